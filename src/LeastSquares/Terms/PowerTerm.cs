using LeastSquares.Numerics;

namespace LeastSquares.Terms;

/// <summary>
/// The powers x, x², …, xᴺ of one column (a polynomial of degree N), named <c>x</c>, <c>x^2</c>, ….
/// Accumulated in the centred powers (x − c)ʲ, far better conditioned than the raw ones; the
/// binomial theorem maps them to the raw powers at solve time.
/// </summary>
public sealed class PowerTerm : Term
{
    /// <summary>The powers 1 to <paramref name="degree"/> of <paramref name="column"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A degree below 1.</exception>
    public PowerTerm(string column, int degree)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (degree < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(degree), degree, "The degree must be at least 1.");
        }

        Column = column;
        Degree = degree;
        Columns = [column];
        Names = Enumerable.Range(1, degree).Select(j => j == 1 ? column : $"{column}^{j}").ToArray();
    }

    /// <summary>The column.</summary>
    public string Column { get; }

    /// <summary>The highest power N.</summary>
    public int Degree { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Columns { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Names { get; }

    /// <inheritdoc/>
    public override bool UsesCentre => true;

    /// <inheritdoc/>
    public override (DoubleDouble[,] L, DoubleDouble[] S)? Recentre(DoubleDouble d) => Shift(Degree, d);

    /// <inheritdoc/>
    public override void WorkingFeatures(ReadOnlySpan<double> values, double centre, Span<double> features)
    {
        double t = values[0] - centre;
        double power = 1;
        for (int j = 0; j < Degree; j++)
        {
            power *= t;
            features[j] = power;
        }
    }

    /// <inheritdoc/>
    public override void WorkingFeatures(ReadOnlySpan<double> values, ReadOnlySpan<double> shift, Span<DoubleDouble> features)
    {
        var t = DoubleDouble.TwoDiff(values[0], shift[0]);
        var power = t;
        for (int j = 0; j < Degree; j++)
        {
            features[j] = power;
            power *= t;
        }
    }

    /// <inheritdoc/>
    public override void AddPrediction(ReadOnlySpan<double> values, ReadOnlySpan<double> coefficients, ref DoubleDouble sum)
    {
        double x = values[0];
        DoubleDouble power = x;
        for (int k = 0; k < Degree; k++)
        {
            sum += power * coefficients[k];
            power *= x;
        }
    }

    /// <inheritdoc/>
    public override DesignDefect? Collinear(bool intercept) => new CollinearPowers(Column, Degree, intercept);

    /// <inheritdoc/>
    public override bool SameAs(Term other) => other is PowerTerm p && p.Column == Column && p.Degree == Degree;

    /// <summary>
    /// The map from powers tʲ (j = 1..N) to powers (t + d)ʲ: (t + d)ʲ = dʲ + Σᵢ C(j,i)·dʲ⁻ⁱ·tⁱ.
    /// </summary>
    internal static (DoubleDouble[,] L, DoubleDouble[] S) Shift(int degree, DoubleDouble d)
    {
        var pow = new DoubleDouble[degree + 1];
        pow[0] = DoubleDouble.One;
        for (int k = 1; k <= degree; k++)
        {
            pow[k] = pow[k - 1] * d;
        }

        var l = new DoubleDouble[degree, degree];
        var s = new DoubleDouble[degree];
        for (int j = 1; j <= degree; j++)
        {
            s[j - 1] = pow[j];
            double binom = 1; // C(j, i), exact in double for the degrees used here
            for (int i = 0; i <= j; i++)
            {
                if (i > 0)
                {
                    binom = binom * (j - i + 1) / i;
                    l[j - 1, i - 1] = pow[j - i] * binom;
                }
            }
        }

        return (l, s);
    }
}
