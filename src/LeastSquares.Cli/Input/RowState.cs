namespace LeastSquares.Cli.Input;

/// <summary>
/// What reading the rows leaves for the solvers: the core's mergeable state of them (the moments,
/// or for qr the triangular factor), for sgd the rows themselves, and how many rows were skipped
/// for an empty cell.
/// </summary>
/// <remarks>
/// Readers and commands pass only the method along; which state a method reads into is the core's
/// choice (<see cref="MomentAccumulator.Create(ModelTerms, FitMethod)"/>), made here for the CLI.
/// </remarks>
internal sealed record RowState(IModelState State, long Skipped)
{
    /// <summary>The rows, <c>[x₁, …, x_k, y]</c> one after another, when the method reads them again (sgd).</summary>
    public double[]? Rows { get; init; }

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

    /// <summary>The state of the rows of <paramref name="first"/> followed by those of <paramref name="second"/>.</summary>
    public static RowState Merge(RowState first, RowState second) => new(first.State.Merge(second.State), first.Skipped + second.Skipped);
}
