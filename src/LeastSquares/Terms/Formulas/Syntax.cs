namespace LeastSquares.Terms.Formulas;

/// <summary>A node of a parsed formula, as R's parser would build it (parentheses kept as nodes).</summary>
internal abstract class Node(int position)
{
    /// <summary>0-based index of the node's first character in the formula text.</summary>
    public int Position { get; } = position;
}

/// <summary>A numeric literal; <see cref="IsInteger"/> for R's <c>2L</c> (deparsed in plain digits without the L, as R does in term labels).</summary>
internal sealed class NumberNode(int position, double value, bool isInteger) : Node(position)
{
    public double Value { get; } = value;
    public bool IsInteger { get; } = isInteger;
}

/// <summary>A name: a column, or (written without backquotes) a reserved word such as <c>TRUE</c>.</summary>
internal sealed class NameNode(int position, string name, bool reserved = false) : Node(position)
{
    public string Name { get; } = name;

    /// <summary>A reserved word written bare (<c>TRUE</c>, <c>FALSE</c>, <c>NA</c>…): a constant, never a column.</summary>
    public bool IsReserved { get; } = reserved;
}

/// <summary>R's <c>.</c>: every column but the response's.</summary>
internal sealed class DotNode(int position) : Node(position);

/// <summary>Unary <c>-</c> or <c>+</c>.</summary>
internal sealed class UnaryNode(int position, char op, Node operand) : Node(position)
{
    public char Op { get; } = op;
    public Node Operand { get; } = operand;
}

/// <summary>A binary operator: <c>+ - * / ^ :</c> or <c>%in%</c>; <see cref="OpPosition"/> locates the operator itself.</summary>
internal sealed class BinaryNode(string op, int opPosition, Node left, Node right) : Node(left.Position)
{
    public string Op { get; } = op;
    public int OpPosition { get; } = opPosition;
    public Node Left { get; } = left;
    public Node Right { get; } = right;
}

/// <summary>A parenthesised expression, kept so that deparsing writes the parentheses back.</summary>
internal sealed class ParenNode(int position, Node inner) : Node(position)
{
    public Node Inner { get; } = inner;
}

/// <summary>One argument of a call: an optional name (<c>raw = TRUE</c>) and its value.</summary>
internal sealed record Argument(string? Name, int Position, Node Value);

/// <summary>A function call <c>f(a, b, name = c)</c>.</summary>
internal sealed class CallNode(int position, string function, IReadOnlyList<Argument> arguments, int closePosition) : Node(position)
{
    public string Function { get; } = function;
    public IReadOnlyList<Argument> Arguments { get; } = arguments;

    /// <summary>Position of the closing parenthesis (where a missing argument is reported).</summary>
    public int ClosePosition { get; } = closePosition;
}

/// <summary>Walks of a parsed expression.</summary>
internal static class NodeWalk
{
    /// <summary>Every name the expression mentions, in the order written (repeats included).</summary>
    public static List<string> Names(Node node)
    {
        var names = new List<string>();
        Collect(node, names);
        return names;
    }

    private static void Collect(Node node, List<string> names)
    {
        switch (node)
        {
            case NameNode n:
                names.Add(n.Name);
                break;
            case UnaryNode u:
                Collect(u.Operand, names);
                break;
            case ParenNode p:
                Collect(p.Inner, names);
                break;
            case BinaryNode b:
                Collect(b.Left, names);
                Collect(b.Right, names);
                break;
            case CallNode c:
                foreach (var a in c.Arguments)
                {
                    Collect(a.Value, names);
                }

                break;
        }
    }
}
