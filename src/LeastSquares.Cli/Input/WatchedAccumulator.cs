namespace LeastSquares.Cli.Input;

/// <summary>An accumulator that shows each row to <paramref name="onRow"/> before it goes into <paramref name="inner"/> (plot's point sample of a part read on its own core).</summary>
internal sealed class WatchedAccumulator(MomentAccumulator inner, WatchedAccumulator.RowAction onRow, Action? onDone = null) : MomentAccumulator
{
    /// <summary>What is done with each row: <c>[x₁, …, x_k, y]</c>, valid only during the call.</summary>
    public delegate void RowAction(ReadOnlySpan<double> row);

    public override ModelTerms Terms => inner.Terms;

    public override void Add(ReadOnlySpan<double> row)
    {
        inner.Add(row);
        onRow(row);
        Count = inner.Count;
    }

    protected override void AddBlock(ReadOnlySpan<double> block, int rows)
    {
        inner.AddRows(block, rows);
        int w = Terms.RowWidth;
        for (int r = 0; r < rows; r++)
        {
            onRow(block.Slice(r * w, w));
        }

        Count = inner.Count;
    }

    /// <summary>The state of the rows; a part asks for it once, when its last row is in, and <c>onDone</c> is told.</summary>
    public override IModelState ToState()
    {
        var state = inner.ToState();
        onDone?.Invoke();
        return state;
    }

    public override Moments ToMoments() => inner.ToMoments();
}
