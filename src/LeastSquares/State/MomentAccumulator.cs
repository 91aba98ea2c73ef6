using LeastSquares.Numerics;
using LeastSquares.Terms;

namespace LeastSquares.State;

/// <summary>
/// Folds data rows, one at a time or in blocks, into the <see cref="Moments"/> of a model. Memory
/// is O(p²) whatever the number of rows. Each row is <c>[x₁, …, x_k, y]</c> in the order of
/// <see cref="ModelTerms.Predictors"/>, the response last.
/// </summary>
/// <remarks>
/// Every column is shifted before anything is multiplied (by its value in the first row, or, in
/// the linear accumulator, by 0 where the first rows show no offset worth removing), the
/// shifted value is kept exactly as a double-double, and products are formed exactly (FMA) and
/// summed with a compensated (double-double) sum. The result is as accurate as if the sums had
/// been carried out in about 32 significant digits, and the shift keeps large common offsets
/// (timestamps) from eating those digits.
/// </remarks>
public abstract class MomentAccumulator
{
    /// <summary>Creates an accumulator for <paramref name="terms"/>.</summary>
    public static MomentAccumulator Create(ModelTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return Create(terms, FitMethod.Normal);
    }

    /// <summary>An accumulator of <paramref name="terms"/> as they are, categorical columns with the levels they have.</summary>
    internal static MomentAccumulator CreateWithLevels(ModelTerms terms)
    {
        // Plain columns go to the vector kernels as they are; the powers of one column to the exact
        // power sums. Terms that compute their features (interactions, transforms, a mix of kinds)
        // go through an accumulator that writes each row's features for the linear kernels.
        // A transformed response (log(y) ~ …) is computed per row there too.
        return terms.ResponseTransform is not null ? new FeatureAccumulator(terms)
            : terms.AllPlainColumns ? new LinearAccumulator(terms)
            : terms.TermList is [PowerTerm] ? new PolynomialAccumulator(terms)
            : new FeatureAccumulator(terms);
    }

    /// <summary>
    /// Creates the accumulator that <paramref name="method"/> needs: a <see cref="QrAccumulator"/>
    /// (the triangular factor) for <see cref="FitMethod.Qr"/>, the moments for every other method.
    /// </summary>
    public static MomentAccumulator Create(ModelTerms terms, FitMethod method)
    {
        ArgumentNullException.ThrowIfNull(terms);
        // Categorical columns: their indicators summed sparsely (a block per level met), unless a term
        // or the method needs them written out, as the accumulator that grows by a column per level does.
        return !terms.HasFactors ? CreateWithLevels(terms, method)
            : SparseLevelAccumulator.Takes(terms, method) ? new SparseLevelAccumulator(terms)
            : new LevelAccumulator(terms, method);
    }

    /// <summary>As <see cref="Create(ModelTerms, FitMethod)"/>, categorical columns with the levels they have.</summary>
    internal static MomentAccumulator CreateWithLevels(ModelTerms terms, FitMethod method) =>
        method == FitMethod.Qr ? new QrAccumulator(terms) : CreateWithLevels(terms);

    /// <summary>
    /// For a model with categorical columns, the levels of each row value (null for a numeric one):
    /// a reader writes a cell of such a column as its level's code there, adding a level it has not
    /// met. Null when the model has no categorical column.
    /// </summary>
    public virtual IReadOnlyList<FactorLevels?>? RowLevels => null;

    /// <summary>
    /// Creates the accumulator of weighted rows (<see cref="AddWeighted"/>): the triangular factor
    /// of the rows scaled by √w for <see cref="FitMethod.Qr"/>, weighted moments for every other method.
    /// </summary>
    public static MomentAccumulator CreateWeighted(ModelTerms terms, FitMethod method)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return !terms.HasFactors ? CreateWeightedWithLevels(terms, method)
            : SparseLevelAccumulator.Takes(terms, method) ? new SparseLevelAccumulator(terms, weighted: true)
            : new LevelAccumulator(terms, method, weighted: true);
    }

    /// <summary>
    /// An accumulator of the model of <paramref name="reader"/> whose rows carry the level codes of
    /// <paramref name="reader"/>'s <see cref="RowLevels"/>: for rows read once into several states
    /// (cross-validation folds, a group's part, unweighted sums beside weighted ones). Weighted as
    /// <see cref="CreateWeighted"/> when <paramref name="weighted"/>.
    /// </summary>
    public static MomentAccumulator CreateSharingLevels(MomentAccumulator reader, FitMethod method, bool weighted = false)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var terms = reader.Terms;
        return reader.RowLevels is not { } levels ? (weighted ? CreateWeighted(terms, method) : Create(terms, method))
            : SparseLevelAccumulator.Takes(terms, method) ? new SparseLevelAccumulator(terms, levels, weighted)
            : new LevelAccumulator(terms, method, weighted, levels);
    }

    /// <summary>As <see cref="CreateWeighted"/>, categorical columns with the levels they have.</summary>
    internal static MomentAccumulator CreateWeightedWithLevels(ModelTerms terms, FitMethod method) =>
        method == FitMethod.Qr ? new QrAccumulator(terms, weighted: true) : new WeightedAccumulator(terms);

    /// <summary>The model.</summary>
    public abstract ModelTerms Terms { get; }

    /// <summary>
    /// Adds one row with its weight w ≥ 0 (<c>lm(weights =)</c>): only accumulators made by
    /// <see cref="CreateWeighted"/> take weights. A row of weight 0 is left out (not counted).
    /// </summary>
    /// <exception cref="ArgumentException">A negative or non-finite weight, or a bad row.</exception>
    /// <exception cref="NotSupportedException">An accumulator of unweighted rows.</exception>
    public virtual void AddWeighted(ReadOnlySpan<double> row, double weight) =>
        throw new NotSupportedException("This accumulator sums unweighted rows; create it with CreateWeighted.");

    /// <summary>Throws unless <paramref name="weight"/> is finite and not negative.</summary>
    protected static void CheckWeight(double weight)
    {
        if (!(weight >= 0) || !double.IsFinite(weight))
        {
            throw new ArgumentException($"A weight is a finite number ≥ 0, not {weight}.", nameof(weight));
        }
    }

    /// <summary>Rows added so far.</summary>
    public long Count { get; protected set; }

    /// <summary>Adds one row <c>[x₁, …, x_k, y]</c>.</summary>
    /// <exception cref="ArgumentException">Wrong width or a value that is not finite.</exception>
    public abstract void Add(ReadOnlySpan<double> row);

    /// <summary>Adds <paramref name="rows"/> rows stored one after another in <paramref name="block"/>.</summary>
    public void AddRows(ReadOnlySpan<double> block, int rows)
    {
        int w = Terms.RowWidth;
        if (rows < 0 || block.Length < rows * w)
        {
            throw new ArgumentException($"The block holds fewer than {rows} rows of {w} values.", nameof(block));
        }

        AddBlock(block[..(rows * w)], rows);
    }

    /// <summary>Adds the <paramref name="rows"/> rows that make up <paramref name="block"/>: one by one, unless a kernel does better.</summary>
    protected virtual void AddBlock(ReadOnlySpan<double> block, int rows)
    {
        int w = Terms.RowWidth;
        for (int r = 0; r < rows; r++)
        {
            Add(block.Slice(r * w, w));
        }
    }

    /// <summary>The state the rows added so far make: their moments, or the triangular factor of a QR accumulator.</summary>
    public virtual IModelState ToState() => ToMoments();

    /// <summary>The moments of the rows added so far.</summary>
    /// <exception cref="OverflowException">A sum overflowed (values beyond about 1e150).</exception>
    public abstract Moments ToMoments();

    /// <summary>Throws unless the row has the right width and only finite values.</summary>
    protected void CheckRow(ReadOnlySpan<double> row)
    {
        if (row.Length != Terms.RowWidth)
        {
            throw new ArgumentException($"A row of this model has {Terms.RowWidth} values, not {row.Length}.", nameof(row));
        }

        for (int j = 0; j < row.Length; j++)
        {
            if (!double.IsFinite(row[j]))
            {
                throw new ArgumentException($"Value {j + 1} of row {Count + 1} is not finite ({row[j]}).", nameof(row));
            }
        }
    }

    /// <summary>
    /// Throws when a column's values are too large or too small for sums of their squares in
    /// double-double: squares beyond the double range (1.8e308) overflow, and squares below about
    /// 1e-292 lose their low parts, then all their digits, to underflow. Either way the column
    /// must be rescaled; without this check a column of tiny values would pass for a constant one.
    /// </summary>
    /// <param name="column">The column's name.</param>
    /// <param name="sumOfSquares">Σ d² of its shifted values d.</param>
    /// <param name="sumOfMagnitudes">Σ |d|, or any value that is 0 only when every d is.</param>
    protected static void CheckScale(string column, double sumOfSquares, double sumOfMagnitudes)
    {
        if (!double.IsFinite(sumOfSquares))
        {
            throw new OverflowException(
                $"the squares of column '{column}' overflow: its values are too large to square and sum (beyond about 1e150). Rescale it, e.g. divide it by 1e150.");
        }

        if (sumOfSquares < TinySquares && sumOfMagnitudes != 0)
        {
            throw new OverflowException(
                $"column '{column}' varies by amounts too small to square (below about 1e-154; their squares underflow and lose their digits). Rescale it, e.g. multiply it by 1e150.");
        }
    }

    /// <summary>
    /// The least normal double (about 2.2e-308): a sum of squares below it has lost digits to
    /// underflow. (The low parts of the squares go subnormal sooner, near 1e-292, but then only
    /// the digits beyond the 16th suffer: values down to about 1e-154 still fit exactly.)
    /// </summary>
    private const double TinySquares = 2.2250738585072014E-308;

    /// <summary>The name of value <paramref name="j"/> of a row: a predictor, or the response last.</summary>
    protected string ColumnName(int j) => j < Terms.Predictors.Count ? Terms.Predictors[j] : Terms.Target;

    /// <summary>Throws when any entry of <paramref name="values"/> is not finite.</summary>
    protected static void CheckFinite(DoubleDouble[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var v in values)
        {
            if (!v.IsFinite)
            {
                CheckFinite([v]);
            }
        }
    }

    /// <summary>Throws when any of the values is not finite.</summary>
    protected static void CheckFinite(DoubleDouble[] values)
    {
        foreach (var v in values)
        {
            if (!v.IsFinite)
            {
                throw new OverflowException("A sum of squares overflowed: the data hold values too large to square (beyond about 1e150).");
            }
        }
    }
}
