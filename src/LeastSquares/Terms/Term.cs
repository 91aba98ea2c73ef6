using LeastSquares.Numerics;

namespace LeastSquares.Terms;

/// <summary>
/// One term of a model, in the sense of R's model frame: it reads one or more source columns of a
/// row and contributes one or more features, each with the name its coefficient is reported
/// under. A <see cref="ModelTerms"/> is a response, an intercept flag and an ordered list of terms;
/// the features of the model are those of its terms, in order.
/// </summary>
/// <remarks>
/// <para>
/// A term's features are accumulated in its <em>working basis</em>, which may be better conditioned
/// than the user's (a power's features are the centred powers (x − c)ʲ). The term states how its
/// working features change with the centre (<see cref="Recentre"/>); the map to the user's basis is
/// the change to centre 0, applied at solve time (<see cref="BasisMap"/>), so no solver knows which
/// kinds of term a model has.
/// </para>
/// <para>
/// Kinds today: <see cref="ColumnTerm"/> (a numeric column as it is, the fast path: such rows go
/// straight to the accumulation kernel) and <see cref="PowerTerm"/> (the powers of one column).
/// Kinds to come fit the same shape: a factor's indicator columns (levels found while streaming
/// grow the state by a zero row and column; the reference level is dropped at solve time), an
/// interaction (the products of other terms' features), a transform (log(x), I(expr): a function of
/// its columns), and an orthogonal polynomial (a linear map of the centred powers computed from the
/// moments at solve time, like <see cref="Recentre"/> is today).
/// </para>
/// </remarks>
public abstract class Term
{
    /// <summary>The source columns the term reads, in the order it reads them.</summary>
    public abstract IReadOnlyList<string> Columns { get; }

    /// <summary>The names of the term's coefficients, one per feature.</summary>
    public abstract IReadOnlyList<string> Names { get; }

    /// <summary>Number of features the term contributes.</summary>
    public int FeatureCount => Names.Count;

    /// <summary>
    /// True when the term's one feature is its one column as it is: rows of such terms need no
    /// per-row work before the accumulation kernel.
    /// </summary>
    public virtual bool IsPlainColumn => false;

    /// <summary>Whether the term's working features depend on the state's centre (<see cref="Recentre"/> is not null).</summary>
    public virtual bool UsesCentre => false;

    /// <summary>
    /// The map between working bases at two centres: the working features around c − d are
    /// L·f + S in those around c (f the features around c). Null when the features do not depend on
    /// the centre. The user's features are those around centre 0.
    /// </summary>
    public virtual (DoubleDouble[,] L, DoubleDouble[] S)? Recentre(DoubleDouble d) => null;

    /// <summary>The working features of one row, from the term's column values, around <paramref name="centre"/>.</summary>
    public abstract void WorkingFeatures(ReadOnlySpan<double> values, double centre, Span<double> features);

    /// <summary>The working features of one row in double-double, the row's values shifted exactly.</summary>
    /// <param name="values">The term's column values.</param>
    /// <param name="shift">What to subtract from each value (its column's shift, or the centre).</param>
    /// <param name="features">Where the features go.</param>
    public abstract void WorkingFeatures(ReadOnlySpan<double> values, ReadOnlySpan<double> shift, Span<DoubleDouble> features);

    /// <summary>Adds the term's part Σ βⱼ·uⱼ of a prediction, u its features in the user's basis, to <paramref name="sum"/>.</summary>
    public abstract void AddPrediction(ReadOnlySpan<double> values, ReadOnlySpan<double> coefficients, ref DoubleDouble sum);

    /// <summary>
    /// The defect to report when the term's own features are found collinear, or null to report
    /// the columns (a power's columns are its own: the defect is the polynomial's).
    /// </summary>
    public virtual DesignDefect? Collinear(bool intercept) => null;

    /// <summary>True when <paramref name="other"/> is the same term (the same kind over the same columns).</summary>
    public abstract bool SameAs(Term other);
}
