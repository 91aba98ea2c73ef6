using LeastSquares.Numerics;
using LeastSquares.Terms.Formulas;

namespace LeastSquares.Terms;

/// <summary>
/// The coefficients R's <c>poly()</c> keeps to evaluate its orthogonal basis at new values
/// (<c>attr(, "coefs")</c>): <see cref="Alpha"/> (d values) and <see cref="Norm2"/> (d + 2 values,
/// the first 1 and the second the row count).
/// </summary>
/// <param name="Alpha">αₖ, k = 0..d − 1: the recurrence's shifts.</param>
/// <param name="Norm2">1, n, ‖p₁‖², …, ‖p_d‖²: the squared norms of the monic polynomials.</param>
public sealed record PolyBasis(IReadOnlyList<double> Alpha, IReadOnlyList<double> Norm2)
{
    /// <summary>
    /// α in double-double, as computed from the training rows (null for a basis read back from a
    /// file): the training rows are carried to the exact orthogonal basis, as R's QR gives it, while
    /// new rows are evaluated with the rounded α and norm2, as R's predict() does.
    /// </summary>
    internal DoubleDouble[]? ExactAlpha { get; init; }

    /// <summary>norm2 in double-double, beside <see cref="ExactAlpha"/>.</summary>
    internal DoubleDouble[]? ExactNorm2 { get; init; }

    /// <summary>Checks the sizes against <paramref name="degree"/> and that every norm is positive and finite.</summary>
    public bool FitsDegree(int degree) =>
        Alpha.Count == degree && Norm2.Count == degree + 2 && Alpha.All(double.IsFinite) && Norm2.All(v => double.IsFinite(v) && v > 0);
}

/// <summary>
/// R's orthogonal polynomial <c>poly(x, d)</c>: d features, the monic polynomials p₁ … p_d that are
/// orthogonal over the training rows (and to the constant), each divided by its norm, named
/// <c>poly(x, d)1</c> … as R names them.
/// </summary>
/// <remarks>
/// <para>
/// The rows are accumulated in the raw powers of x, which span the same space as the orthogonal
/// basis: the working features are (x − s)ʲ around a shift s the accumulator chooses (the first
/// value), and its moments are mapped exactly (in double-double) to those of the raw powers xʲ,
/// so parts read with different shifts merge. At solve time the moments of x up to x²ᵈ give R's
/// α and ‖pₖ‖² (<see cref="OrthogonalPolynomials"/>), and the state is carried to the orthogonal
/// basis by a triangular change of basis: the solvers then fit R's parametrisation itself.
/// </para>
/// <para>
/// Until then <see cref="Basis"/> is null and the working features are the shifted powers; once
/// fitted, the working and the user features are the orthogonal ones, evaluated at any x by the
/// three-term recurrence R's <c>predict()</c> uses.
/// </para>
/// </remarks>
public sealed class OrthogonalPolyTerm : Term
{
    private readonly CompiledExpression _x;

    /// <summary>The term of <paramref name="variable"/>, an orthogonal <c>poly()</c>; <paramref name="basis"/> once fitted.</summary>
    /// <exception cref="ArgumentException">The variable is not an orthogonal polynomial, or the basis does not fit its degree.</exception>
    /// <param name="variable">The formula variable.</param>
    /// <param name="basis">R's coefficients once fitted; null before.</param>
    /// <param name="centred">
    /// Whether, before the fit, the term's working features are the powers around the state's centre
    /// (the first value of its column; see <see cref="ModelTerms.CentreColumn"/>): true for the first
    /// orthogonal polynomial of a bare column. The others are written around a shift of their own
    /// that the accumulator maps back to the raw powers.
    /// </param>
    public OrthogonalPolyTerm(Variable variable, PolyBasis? basis = null, bool centred = false)
    {
        ArgumentNullException.ThrowIfNull(variable);
        if (variable.Kind != VariableKind.Polynomial || variable.Raw)
        {
            throw new ArgumentException($"{variable.Label} is not an orthogonal polynomial.", nameof(variable));
        }

        if (basis is not null && !basis.FitsDegree(variable.Degree))
        {
            throw new ArgumentException($"The coefficients of {variable.Label} need {variable.Degree} alpha and {variable.Degree + 2} positive norm2 values.", nameof(basis));
        }

        Variable = variable;
        Basis = basis;
        Centred = centred;
        Columns = variable.Columns;
        Names = variable.CoefficientNames();
        _x = variable.Compile();
    }

    /// <summary>The formula variable (<c>poly(wt, 3)</c>).</summary>
    public Variable Variable { get; }

    /// <summary>R's label, <c>poly(wt, 3)</c>.</summary>
    public string Label => Variable.Label;

    /// <summary>The degree d.</summary>
    public int Degree => Variable.Degree;

    /// <summary>Whether the unfitted term's working features are the powers (x − c)ʲ around the state's centre c.</summary>
    public bool Centred { get; }

    /// <inheritdoc/>
    public override bool UsesCentre => Centred && Basis is null;

    /// <inheritdoc/>
    public override (DoubleDouble[,] L, DoubleDouble[] S)? Recentre(DoubleDouble d) => UsesCentre ? PowerTerm.Shift(Degree, d) : null;

    /// <summary>R's α and norm2 from the training rows; null before the fit.</summary>
    public PolyBasis? Basis { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Columns { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Names { get; }

    /// <summary>The polynomial's argument x on one row (its column values, in the order of <see cref="Columns"/>).</summary>
    public double Argument(ReadOnlySpan<double> values) => _x.Evaluate(values);

    /// <summary>The same term with its fitted basis.</summary>
    public OrthogonalPolyTerm WithBasis(PolyBasis basis) => new(Variable, basis, Centred);

    /// <summary>Before the fit, (x − <paramref name="centre"/>)ʲ for j = 1..d; after it, the orthogonal features.</summary>
    public override void WorkingFeatures(ReadOnlySpan<double> values, double centre, Span<double> features)
    {
        double x = Argument(values);
        if (Basis is null)
        {
            double t = x - centre;
            double power = 1;
            for (int j = 0; j < Degree; j++)
            {
                power *= t;
                features[j] = power;
            }

            return;
        }

        Span<DoubleDouble> dd = stackalloc DoubleDouble[Degree];
        Orthogonal(x, dd);
        for (int j = 0; j < Degree; j++)
        {
            features[j] = dd[j].ToDouble();
        }
    }

    /// <inheritdoc/>
    public override void WorkingFeatures(ReadOnlySpan<double> values, ReadOnlySpan<double> shift, Span<DoubleDouble> features)
    {
        double x = Argument(values);
        if (Basis is null)
        {
            var t = DoubleDouble.TwoDiff(x, shift.Length > 0 ? shift[0] : 0);
            var power = t;
            for (int j = 0; j < Degree; j++)
            {
                features[j] = power;
                power *= t;
            }

            return;
        }

        Orthogonal(x, features);
    }

    /// <inheritdoc/>
    public override void AddPrediction(ReadOnlySpan<double> values, ReadOnlySpan<double> coefficients, ref DoubleDouble sum)
    {
        if (Basis is null)
        {
            throw new InvalidOperationException($"{Label} has no basis before the fit: predict with the fitted model's terms.");
        }

        Span<DoubleDouble> features = stackalloc DoubleDouble[Degree];
        Orthogonal(Argument(values), features);
        for (int j = 0; j < Degree; j++)
        {
            sum += features[j] * coefficients[j];
        }
    }

    /// <inheritdoc/>
    public override bool SameAs(Term other) => other is OrthogonalPolyTerm p && p.Label == Label;

    /// <summary>
    /// R's <c>predict()</c> of the basis at <paramref name="x"/>: p₀ = 1, p₁ = x − α₀,
    /// pₖ₊₁ = (x − αₖ)·pₖ − (‖pₖ‖²/‖pₖ₋₁‖²)·pₖ₋₁, each pₖ divided by ‖pₖ‖ (in double-double).
    /// </summary>
    private void Orthogonal(double x, Span<DoubleDouble> features)
    {
        var basis = Basis!;
        var previous = DoubleDouble.One;
        var current = DoubleDouble.TwoDiff(x, basis.Alpha[0]);
        features[0] = current / DoubleDouble.Sqrt(new DoubleDouble(basis.Norm2[2]));
        for (int k = 1; k < Degree; k++)
        {
            var next = (DoubleDouble.TwoDiff(x, basis.Alpha[k]) * current) - (new DoubleDouble(basis.Norm2[k + 1]) / basis.Norm2[k] * previous);
            previous = current;
            current = next;
            features[k] = current / DoubleDouble.Sqrt(new DoubleDouble(basis.Norm2[k + 2]));
        }
    }
}
