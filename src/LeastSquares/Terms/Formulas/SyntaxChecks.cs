using System.Numerics;

namespace LeastSquares.Terms.Formulas;

/// <summary>The checks of a formula that need no data: what R would reject, or lsq cannot fit.</summary>
internal static class SyntaxChecks
{
    /// <summary>Checks what R would reject (or lsq cannot fit) before any data is read; records the named columns and the use of '.'.</summary>
    public static void Validate(FormulaSyntax syntax)
    {
        var names = new List<string>();
        var check = new Checker(syntax.Text, names);
        if (syntax.Lhs is null)
        {
            throw new FormulaException(syntax.Text, syntax.TildePosition, "no response before '~': the formula must be 'response ~ terms'");
        }

        check.Response(syntax.Lhs);
        check.Terms(syntax.Rhs);
        syntax.UsesDot = check.UsesDot;
        syntax.NamedColumns = names;
    }

    private sealed class Checker(string text, List<string> names)
    {
        public bool UsesDot { get; private set; }

        public void Response(Node node)
        {
            if (node is CallNode { Function: "poly" or "factor" or "as.factor" } call && FormulaParser.Functions.Contains(call.Function))
            {
                throw Fail(node.Position, $"the response must be numeric, not {call.Function}()");
            }

            Numeric(node);
        }

        public void Terms(Node node)
        {
            switch (node)
            {
                case NumberNode n when n.Value is 0 or 1:
                    break;
                case NumberNode n:
                    throw Fail(n.Position, "only 0 and 1 can stand alone in a formula; write arithmetic inside I(), as in I(2 * x)");
                case NameNode n:
                    Name(n);
                    break;
                case DotNode:
                    UsesDot = true;
                    break;
                case ParenNode p:
                    Terms(p.Inner);
                    break;
                case UnaryNode u:
                    Terms(u.Operand);
                    break;
                case BinaryNode { Op: "^" } b:
                    Terms(b.Left);
                    if (b.Right is not NumberNode { Value: >= 2 } exponent || double.IsInfinity(exponent.Value))
                    {
                        throw Fail(b.Right.Position, "invalid power: in a formula '^' takes a whole number of at least 2, as in (a + b)^2");
                    }

                    break;
                case BinaryNode b:
                    Terms(b.Left);
                    Terms(b.Right);
                    break;
                case CallNode c:
                    Call(c, standalone: true);
                    break;
            }
        }

        private void Numeric(Node node)
        {
            switch (node)
            {
                case NumberNode:
                    break;
                case NameNode n:
                    Name(n);
                    break;
                case DotNode d:
                    throw Fail(d.Position, "'.' (every other column) can only be a term, not part of an expression");
                case ParenNode p:
                    Numeric(p.Inner);
                    break;
                case UnaryNode u:
                    Numeric(u.Operand);
                    break;
                case BinaryNode { Op: ":" or "%in%" } b:
                    throw Fail(b.OpPosition, $"'{b.Op}' is a formula operator; inside a function use + - * / ^");
                case BinaryNode b:
                    Numeric(b.Left);
                    Numeric(b.Right);
                    break;
                case CallNode c:
                    Call(c, standalone: false);
                    break;
            }
        }

        private void Name(NameNode n)
        {
            if (n.IsReserved)
            {
                throw Fail(n.Position, $"'{n.Name}' is a reserved word, not a column; backquote a column of that name: `{n.Name}`");
            }

            if (!names.Contains(n.Name))
            {
                names.Add(n.Name);
            }
        }

        private void Call(CallNode c, bool standalone)
        {
            if (!FormulaParser.Functions.Contains(c.Function))
            {
                throw Fail(c.Position, $"unknown function '{c.Function}'; supported: {string.Join(", ", FormulaParser.Functions)}");
            }

            switch (c.Function)
            {
                case "poly":
                    if (!standalone)
                    {
                        throw Fail(c.Position, "poly() must be a term of its own, not inside an expression");
                    }

                    Poly(c);
                    return;
                case "factor" or "as.factor":
                    if (!standalone)
                    {
                        throw Fail(c.Position, $"{c.Function}() must be a term of its own, not inside an expression");
                    }

                    Arguments(c, 1, 1, "x");
                    return;
                case "log":
                    Arguments(c, 1, 2, "x", "base");
                    return;
                default:
                    Arguments(c, 1, 1, "x");
                    return;
            }
        }

        /// <summary>Checks count and names (positional, or by R's parameter names in order) and validates each value as numeric.</summary>
        private void Arguments(CallNode c, int min, int max, params string[] parameters)
        {
            if (c.Arguments.Count < min || c.Arguments.Count > max)
            {
                string count = min == max ? $"{min} argument" : $"{min} or {max} arguments";
                int at = c.Arguments.Count < min ? c.ClosePosition : c.Arguments[max].Position;
                throw Fail(at, $"{c.Function}() takes {count}");
            }

            for (int i = 0; i < c.Arguments.Count; i++)
            {
                var a = c.Arguments[i];
                if (a.Name is not null && a.Name != parameters[i])
                {
                    throw Fail(a.Position, $"{c.Function}() has no argument '{a.Name}' here; its arguments are {string.Join(", ", parameters)}");
                }

                Numeric(a.Value);
            }
        }

        private void Poly(CallNode c)
        {
            Argument? x = null;
            Argument? raw = null;
            foreach (var a in c.Arguments)
            {
                switch (a.Name)
                {
                    case "x":
                    case null when x is null:
                        if (x is not null)
                        {
                            throw Fail(a.Position, "poly() takes one variable");
                        }

                        x = a;
                        break;
                    case "degree":
                    case null:
                        break;
                    case "raw":
                        raw = a;
                        break;
                    default:
                        throw Fail(a.Position, $"poly() has no argument '{a.Name}' here; its arguments are x, degree, raw");
                }
            }

            if (x is null)
            {
                throw Fail(c.ClosePosition, "poly() needs a variable, as in poly(x, 2)");
            }

            var degree = Variable.PolyDegreeArgument(c);
            int positional = c.Arguments.Count(a => a.Name is null);
            int expected = (c.Arguments.Any(a => a.Name == "x") ? 0 : 1) + (c.Arguments.Any(a => a.Name == "degree") ? 0 : 1);
            if (positional > expected || c.Arguments.Count(a => a.Name == "degree") > 1)
            {
                var extra = c.Arguments.Where(a => a.Name is null).Skip(expected).FirstOrDefault() ?? c.Arguments.Last(a => a.Name == "degree");
                throw Fail(extra.Position, "poly() takes one variable and a degree: poly(x, d) or poly(x, d, raw = TRUE)");
            }

            if (degree is null)
            {
                throw Fail(c.ClosePosition, "poly() needs a degree, as in poly(x, 2)");
            }

            if (degree.Value is not NumberNode { Value: >= 1 and <= 1000 } d || d.Value != Math.Floor(d.Value))
            {
                throw Fail(degree.Value.Position, "bad degree for poly(): a whole number of at least 1, as in poly(x, 3)");
            }

            if (raw is not null && raw.Value is not NameNode { Name: "TRUE" or "FALSE" or "T" or "F" })
            {
                throw Fail(raw.Value.Position, "raw = in poly() is TRUE or FALSE");
            }

            Numeric(x.Value);
        }

        private FormulaException Fail(int position, string reason) => new(text, position, reason);
    }
}
