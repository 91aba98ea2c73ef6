namespace LeastSquares.Solvers;

/// <summary>How an iterative run ended.</summary>
internal sealed record RunOutcome(int Iterations, bool Converged, bool Diverged, double RelativeGradient, IReadOnlyList<IterationRecord> Trace);

/// <summary>
/// The stop-and-trace rule gd and sgd share: after each iteration (epoch) the iterate is recorded
/// when a trace is asked for, then the run stops as diverged (a loss that is not finite or exceeds
/// a million times the starting loss), converged (the relative gradient at or below tol; or, at
/// the iteration limit, the loss at its floor: it can no longer fall measurably in double
/// precision, see <see cref="LossFloor"/>) or at the iteration limit, not converged.
/// </summary>
internal sealed class IterationLoop(SolverOptions options, double startLoss)
{
    private const double DivergenceFactor = 1e6;
    private readonly List<IterationRecord> _trace = [];
    private readonly double _startLoss = Math.Max(startLoss, double.Epsilon);

    /// <summary>Records the starting point (iterate 0 of an sgd trace, judged by the first epoch).</summary>
    public void Record(IterationRecord record)
    {
        if (options.RecordTrace)
        {
            _trace.Add(record);
        }
    }

    /// <summary>The outcome of a run that used up its iterations without being judged at the last.</summary>
    public RunOutcome Exhausted() => new(options.MaxIterations, false, false, double.NaN, _trace);

    /// <summary>
    /// Records <paramref name="record"/>; the outcome when the run stops there, else null.
    /// <paramref name="atFloor"/> is true when the loss can no longer fall measurably.
    /// </summary>
    public RunOutcome? Judge(IterationRecord record, double relativeGradient, bool atLimit, bool atFloor = false)
    {
        Record(record);
        int k = record.Iteration;
        double loss = record.Loss;
        return !double.IsFinite(loss) || loss > DivergenceFactor * _startLoss ? new RunOutcome(k, false, true, relativeGradient, _trace)
            : relativeGradient <= options.Tolerance || atFloor ? new RunOutcome(k, true, false, relativeGradient, _trace)
            : atLimit ? new RunOutcome(k, false, false, relativeGradient, _trace)
            : null;
    }

    /// <summary>The Euclidean norm.</summary>
    public static double Norm(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (var x in v)
        {
            s += x * x;
        }

        return Math.Sqrt(s);
    }
}
