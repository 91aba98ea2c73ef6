namespace LeastSquares.Cli.Input;

/// <summary>The moments of one cross-validation fold and its id (the hash's fold number, or the fold column's value).</summary>
internal sealed record Fold(double Id, Moments Moments)
{
    /// <summary>Folds of two sets of rows combined: the moments of equal ids merged, in the order of the ids.</summary>
    public static IReadOnlyList<Fold> Merge(IReadOnlyList<Fold> a, IReadOnlyList<Fold> b) =>
        [.. a.Concat(b).GroupBy(f => f.Id).OrderBy(g => g.Key).Select(g => new Fold(g.Key, g.Select(f => f.Moments).Aggregate(Moments.Merge)))];
}

/// <summary>
/// What reading the rows leaves for the solvers: the core's mergeable state of them (the moments,
/// or for qr the triangular factor), for sgd a second pass over the rows themselves, and how many
/// rows were skipped for an empty cell.
/// </summary>
/// <remarks>
/// Readers and commands pass only the method along; which state a method reads into is the core's
/// choice (<see cref="MomentAccumulator.Create(ModelTerms, FitMethod)"/>), made here for the CLI.
/// </remarks>
internal sealed record RowState(IModelState State, long Skipped)
{
    /// <summary>
    /// The rows, <c>[x₁, …, x_k, y]</c> each, to be read again as blocks, when the method reads them
    /// again (sgd): a <see cref="RowCache"/>, which its reader disposes.
    /// </summary>
    public IRowBlocks? Rows { get; init; }

    /// <summary>The moments of each cross-validation fold, when the rows were read into folds (--lambda auto).</summary>
    public IReadOnlyList<Fold>? Folds { get; init; }

    /// <summary>
    /// For weighted rows of a model with an orthogonal <c>poly()</c>: the unweighted moments of the
    /// same rows, from which the polynomials' basis is computed, as R computes <c>poly(x, d)</c> from x
    /// alone before <c>lm</c> weighs the rows.
    /// </summary>
    public Moments? PolynomialBasis { get; init; }

    /// <summary>
    /// When rows were left out for a missing cell (--missing skip) and the model has an orthogonal
    /// <c>poly()</c>: for each one, the unweighted moments of every row where its argument is present,
    /// skipped or not, from which its basis is computed (R evaluates <c>poly(x, d)</c> on the whole
    /// model frame before <c>na.omit</c> drops rows); see <see cref="RowSource.PolynomialFrames"/>.
    /// Null when the basis comes from the rows fitted.
    /// </summary>
    public IReadOnlyList<Moments>? PolynomialFrames { get; init; }

    /// <summary>
    /// The fold of data row <paramref name="row"/> (0-based, counting the rows used) among
    /// <paramref name="folds"/>: a seeded hash (SplitMix64's finaliser) of the row number, so the
    /// assignment is the same on every run with the same seed and needs no pass to count rows.
    /// </summary>
    public static int FoldOf(long row, int seed, int folds)
    {
        ulong z = unchecked((ulong)row + ((ulong)(uint)seed << 32) + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z % (ulong)folds);
    }

    /// <summary>The moments of the rows (computed from a triangular factor; ask once).</summary>
    public Moments Moments => State.ToMoments();

    /// <summary>The triangular factor of the rows when the state is one (qr); null for moments.</summary>
    public TriangularFactor? Factor => State as TriangularFactor;

    /// <summary>The accumulator the rows of <paramref name="method"/> are read into.</summary>
    public static MomentAccumulator Accumulator(ModelTerms terms, FitMethod method) => MomentAccumulator.Create(terms, method);

    /// <summary>The state of the rows folded into <paramref name="accumulator"/>.</summary>
    public static RowState Of(MomentAccumulator accumulator, long skipped) => new(accumulator.ToState(), skipped);

    /// <summary>The state of no rows at all, for a model named by the options alone.</summary>
    public static RowState Empty(ModelTerms terms) => new(MomentAccumulator.Create(terms).ToState(), 0);

    /// <summary>
    /// The state to solve: for a model with categorical columns, R's model matrix of the levels met
    /// (sorted, the reference levels dropped where R uses contrasts), a selection of the state's
    /// indicator columns; the state itself otherwise.
    /// </summary>
    public RowState Coded()
    {
        var terms = State.Terms;
        if (!terms.HasFactors || terms.IsCoded)
        {
            return this;
        }

        if (State.Count > 0 && terms.Factors.Values.FirstOrDefault(f => f.Levels.Count == 1) is { } single)
        {
            throw new SingularDesignException(new SingleLevelFactor(single.Column, single.Levels[0]));
        }

        var coded = terms.Coded();
        return this with
        {
            State = State.Recode(coded),
            Folds = Folds is null ? null : [.. Folds.Select(f => f with { Moments = f.Moments.Reindex(coded) })],
            Rows = Rows is null ? null : new RecodedRowBlocks(Rows, terms, coded),
            PolynomialBasis = PolynomialBasis?.Reindex(coded),
        };
    }

    /// <summary>The state of the rows of <paramref name="first"/> followed by those of <paramref name="second"/>.</summary>
    public static RowState Merge(RowState first, RowState second) => new(first.State.Merge(second.State), first.Skipped + second.Skipped);
}
