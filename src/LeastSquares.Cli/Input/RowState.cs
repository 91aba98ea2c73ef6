namespace LeastSquares.Cli.Input;

/// <summary>
/// What reading the rows leaves for the solvers: their moments, for qr their triangular factor,
/// for sgd the rows themselves, and how many rows were skipped for an empty cell.
/// </summary>
/// <remarks>
/// This is the one place in the CLI that knows which kind of accumulator a method reads into and
/// what each kind gives back; readers and commands only pass the method along.
/// </remarks>
internal sealed record RowState(Moments Moments, TriangularFactor? Factor, long Skipped)
{
    /// <summary>The rows, <c>[x₁, …, x_k, y]</c> one after another, when the method reads them again (sgd).</summary>
    public double[]? Rows { get; init; }

    /// <summary>The accumulator the state of <paramref name="method"/> is read into.</summary>
    public static MomentAccumulator Accumulator(ModelTerms terms, FitMethod method) => MomentAccumulator.Create(terms, method);

    /// <summary>The state of the rows folded into <paramref name="accumulator"/>.</summary>
    public static RowState Of(MomentAccumulator accumulator, long skipped) =>
        accumulator is QrAccumulator qr && qr.ToFactor() is var factor
            ? new RowState(factor.ToMoments(), factor, skipped)
            : new RowState(accumulator.ToMoments(), null, skipped);

    /// <summary>The state of no rows at all, for a model named by the options alone.</summary>
    public static RowState Empty(ModelTerms terms) => new(MomentAccumulator.Create(terms).ToMoments(), null, 0);

    /// <summary>The state of the rows of <paramref name="first"/> followed by those of <paramref name="second"/>.</summary>
    public static RowState Merge(RowState first, RowState second)
    {
        long skipped = first.Skipped + second.Skipped;
        if (first.Factor is { } a && second.Factor is { } b)
        {
            var factor = TriangularFactor.Merge(a, b);
            return new RowState(factor.ToMoments(), factor, skipped);
        }

        return new RowState(Moments.Merge(first.Moments, second.Moments), null, skipped);
    }
}
