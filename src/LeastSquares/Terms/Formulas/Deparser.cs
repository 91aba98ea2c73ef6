using System.Globalization;
using System.Text;

namespace LeastSquares.Terms.Formulas;

/// <summary>
/// Writes a tree back as R's <c>deparse</c> does, which is how R labels terms and coefficients:
/// <c>+ - * %in%</c> with a space on each side, <c>/ ^ :</c> with none, unary minus glued to its operand,
/// <c>f(a, b, raw = TRUE)</c>, parentheses where they were written, numbers to 15 significant digits,
/// and names that are not syntactic in backquotes.
/// </summary>
internal static class Deparser
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "if", "else", "repeat", "while", "function", "for", "next", "break", "in",
        "TRUE", "FALSE", "NULL", "Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_character_", "NA_complex_",
    };

    public static string Deparse(Node node)
    {
        var sb = new StringBuilder();
        Write(node, sb);
        return sb.ToString();
    }

    /// <summary>A column name as R prints it in labels: as is when syntactic, else in backquotes.</summary>
    public static string Name(string name) => IsSyntactic(name) ? name : "`" + name + "`";

    /// <summary>Whether <paramref name="name"/> is one of R's reserved words (a constant or a keyword, never a plain name).</summary>
    public static bool IsReservedWord(string name) => Reserved.Contains(name);

    /// <summary>R's rule for a name that needs no backquotes.</summary>
    public static bool IsSyntactic(string name)
    {
        if (name.Length == 0 || Reserved.Contains(name))
        {
            return false;
        }

        if (name == "..." || (name.StartsWith("..", StringComparison.Ordinal) && name[2..].All(char.IsAsciiDigit) && name.Length > 2))
        {
            return false;
        }

        char first = name[0];
        if (!(char.IsLetter(first) || first == '.'))
        {
            return false;
        }

        if (first == '.' && name.Length > 1 && char.IsAsciiDigit(name[1]))
        {
            return false;
        }

        return name.All(c => char.IsLetterOrDigit(c) || c is '.' or '_');
    }

    private static void Write(Node node, StringBuilder sb)
    {
        switch (node)
        {
            case NumberNode { IsInteger: true } n:
                // R writes an integer constant (2L, 1e5L) in plain digits and, in labels, without the L.
                sb.Append(n.Value.ToString("0", CultureInfo.InvariantCulture));
                break;
            case NumberNode n:
                sb.Append(RNumber.Format(n.Value));
                break;
            case NameNode n:
                sb.Append(n.IsReserved ? n.Name : Name(n.Name));
                break;
            case DotNode:
                sb.Append('.');
                break;
            case UnaryNode u:
                sb.Append(u.Op);
                Write(u.Operand, sb);
                break;
            case ParenNode p:
                sb.Append('(');
                Write(p.Inner, sb);
                sb.Append(')');
                break;
            case BinaryNode b:
                Write(b.Left, sb);
                sb.Append(b.Op is "/" or "^" or ":" ? b.Op : " " + b.Op + " ");
                Write(b.Right, sb);
                break;
            case CallNode c:
                sb.Append(Name(c.Function)).Append('(');
                for (int i = 0; i < c.Arguments.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    if (c.Arguments[i].Name is { } argName)
                    {
                        sb.Append(Name(argName)).Append(" = ");
                    }

                    Write(c.Arguments[i].Value, sb);
                }

                sb.Append(')');
                break;
            default:
                throw new InvalidOperationException(node.GetType().Name);
        }
    }
}
