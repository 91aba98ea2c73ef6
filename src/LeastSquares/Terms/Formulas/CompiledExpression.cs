namespace LeastSquares.Terms.Formulas;

/// <summary>
/// A numeric expression of a formula (<c>log(hp)</c>, <c>I(wt^2)</c>, the argument of <c>poly()</c>)
/// compiled once into a small tree of operations over a row of doubles. Evaluating it allocates
/// nothing, so it can run per row; it holds no state, so one instance may serve several threads.
/// Arithmetic follows IEEE doubles as R does: <c>log(0)</c> is <c>-Inf</c>, <c>sqrt(-1)</c> and
/// <c>log(-1)</c> are NaN; the caller decides what to do with a value that is not finite.
/// </summary>
public sealed class CompiledExpression
{
    private readonly Op _root;

    internal CompiledExpression(Op root, IReadOnlyList<int> indices)
    {
        _root = root;
        Indices = indices;
    }

    /// <summary>The row indices this expression reads, in order of first use.</summary>
    public IReadOnlyList<int> Indices { get; }

    /// <summary>The value for one row; <paramref name="row"/> is indexed by the indices given at compile time.</summary>
    public double Evaluate(ReadOnlySpan<double> row) => _root.Eval(row);

    internal static CompiledExpression Compile(Node node, string formula, Func<string, int> columnIndex)
    {
        var indices = new List<int>();
        var root = Build(node, formula, columnIndex, indices);
        return new CompiledExpression(root, indices);
    }

    private static Op Build(Node node, string formula, Func<string, int> columnIndex, List<int> indices)
    {
        switch (node)
        {
            case NumberNode n:
                return new Constant(n.Value);
            case NameNode n:
                int index = columnIndex(n.Name);
                if (index < 0)
                {
                    throw new FormulaException(formula, n.Position, $"no column named '{n.Name}'");
                }

                if (!indices.Contains(index))
                {
                    indices.Add(index);
                }

                return new Column(index);
            case ParenNode p:
                return Build(p.Inner, formula, columnIndex, indices);
            case UnaryNode u:
                var operand = Build(u.Operand, formula, columnIndex, indices);
                return u.Op == '-' ? new Unary(UnaryKind.Negate, operand) : operand;
            case BinaryNode b:
                var left = Build(b.Left, formula, columnIndex, indices);
                var right = Build(b.Right, formula, columnIndex, indices);
                return b.Op switch
                {
                    "+" => new Add(left, right),
                    "-" => new Subtract(left, right),
                    "*" => new Multiply(left, right),
                    "/" => new Divide(left, right),
                    "^" => new Power(left, right),
                    _ => throw new FormulaException(formula, b.OpPosition, $"'{b.Op}' is a formula operator, not arithmetic"),
                };
            case CallNode c:
                var arg = Build(c.Arguments[0].Value, formula, columnIndex, indices);
                if (c.Function == "log" && c.Arguments.Count == 2)
                {
                    return new LogBase(arg, Build(c.Arguments[1].Value, formula, columnIndex, indices));
                }

                return c.Function switch
                {
                    "I" => arg,
                    "log" => new Unary(UnaryKind.Log, arg),
                    "log2" => new Unary(UnaryKind.Log2, arg),
                    "log10" => new Unary(UnaryKind.Log10, arg),
                    "log1p" => new Unary(UnaryKind.Log1p, arg),
                    "exp" => new Unary(UnaryKind.Exp, arg),
                    "sqrt" => new Unary(UnaryKind.Sqrt, arg),
                    "abs" => new Unary(UnaryKind.Abs, arg),
                    _ => throw new FormulaException(formula, c.Position, $"{c.Function}() is not a numeric expression here"),
                };
            default:
                throw new FormulaException(formula, node.Position, "'.' is not a numeric expression");
        }
    }

    /// <summary>log(1 + x) without the cancellation of forming 1 + x (Goldberg's correction).</summary>
    internal static double Log1p(double x)
    {
        if (double.IsPositiveInfinity(x))
        {
            return x;
        }

        double u = 1.0 + x;
        if (u == 1.0)
        {
            return x;
        }

        return Math.Log(u) * (x / (u - 1.0));
    }

    /// <summary>R's <c>^</c>: <c>x^2</c> is <c>x*x</c> exactly; otherwise C's pow.</summary>
    internal static double Pow(double x, double y) => y == 2.0 ? x * x : Math.Pow(x, y);

    /// <summary>R's <c>log(x, base)</c>: base 10 and 2 use log10 and log2, others log(x)/log(base).</summary>
    internal static double LogWithBase(double x, double b) => b switch
    {
        10.0 => Math.Log10(x),
        2.0 => Math.Log2(x),
        _ => Math.Log(x) / Math.Log(b),
    };

    internal abstract class Op
    {
        public abstract double Eval(ReadOnlySpan<double> row);
    }

    private sealed class Constant(double value) : Op
    {
        public override double Eval(ReadOnlySpan<double> row) => value;
    }

    private sealed class Column(int index) : Op
    {
        public override double Eval(ReadOnlySpan<double> row) => row[index];
    }

    private sealed class Add(Op a, Op b) : Op
    {
        public override double Eval(ReadOnlySpan<double> row) => a.Eval(row) + b.Eval(row);
    }

    private sealed class Subtract(Op a, Op b) : Op
    {
        public override double Eval(ReadOnlySpan<double> row) => a.Eval(row) - b.Eval(row);
    }

    private sealed class Multiply(Op a, Op b) : Op
    {
        public override double Eval(ReadOnlySpan<double> row) => a.Eval(row) * b.Eval(row);
    }

    private sealed class Divide(Op a, Op b) : Op
    {
        public override double Eval(ReadOnlySpan<double> row) => a.Eval(row) / b.Eval(row);
    }

    private sealed class Power(Op a, Op b) : Op
    {
        public override double Eval(ReadOnlySpan<double> row) => Pow(a.Eval(row), b.Eval(row));
    }

    private sealed class LogBase(Op a, Op b) : Op
    {
        public override double Eval(ReadOnlySpan<double> row) => LogWithBase(a.Eval(row), b.Eval(row));
    }

    private enum UnaryKind
    {
        Negate,
        Log,
        Log2,
        Log10,
        Log1p,
        Exp,
        Sqrt,
        Abs,
    }

    private sealed class Unary(UnaryKind kind, Op a) : Op
    {
        public override double Eval(ReadOnlySpan<double> row)
        {
            double x = a.Eval(row);
            return kind switch
            {
                UnaryKind.Negate => -x,
                UnaryKind.Log => Math.Log(x),
                UnaryKind.Log2 => Math.Log2(x),
                UnaryKind.Log10 => Math.Log10(x),
                UnaryKind.Log1p => Log1p(x),
                UnaryKind.Exp => Math.Exp(x),
                UnaryKind.Sqrt => Math.Sqrt(x),
                _ => Math.Abs(x),
            };
        }
    }
}
