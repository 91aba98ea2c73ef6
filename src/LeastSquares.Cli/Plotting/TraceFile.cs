using LeastSquares.Cli.Input;

namespace LeastSquares.Cli.Plotting;

/// <summary>The loss curve of one gradient-descent run, as <c>lsq fit --trace</c> wrote it.</summary>
internal sealed record LossCurve(string Name, double[] Iterations, double[] Losses)
{
    /// <summary>Number of points of the curve.</summary>
    public int Count => Iterations.Length;
}

/// <summary>Reads and checks a trace CSV (<c>iteration,loss,gradient_norm,step</c>).</summary>
internal static class TraceFile
{
    public const string Header = "iteration,loss,gradient_norm,step";

    /// <summary>
    /// Reads the iteration and loss columns of <paramref name="path"/>. Errors name the file and
    /// line: a header without those columns, a value that is not a finite number, a negative loss,
    /// a file without rows.
    /// </summary>
    public static LossCurve Read(string path, string name, Func<Stream> stdin, CancellationToken cancellation)
    {
        using var source = CsvSource.Open(path, new CsvDialect { Delimiter = ',' }, stdin);
        int iteration = IndexOf(source.Header, "iteration");
        int loss = IndexOf(source.Header, "loss");
        if (iteration < 0 || loss < 0)
        {
            throw new InputException(CliMessages.NotATrace(source.DisplayName, string.Join(",", source.Header), Header));
        }

        var iterations = new List<double>();
        var losses = new List<double>();
        int[] columns = [iteration, loss];
        var values = new double[2];
        RowStatus status;
        while ((status = source.ReadRow(columns, values)) != RowStatus.End)
        {
            if (values[1] < 0)
            {
                throw new InputException(CliMessages.NegativeLoss(source.DisplayName, source.Line, loss + 1, values[1]));
            }

            iterations.Add(values[0]);
            losses.Add(values[1]);
            if ((iterations.Count & 0xFFFF) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
            }
        }

        if (iterations.Count == 0)
        {
            throw new InputException(CliMessages.NoRows(source.DisplayName));
        }

        return new LossCurve(name, [.. iterations], [.. losses]);
    }

    /// <summary>
    /// Every <c>k</c>-th point, first and last always kept, so that a curve has at most
    /// <paramref name="maxPoints"/> points; a line through them looks the same at image resolution.
    /// </summary>
    public static LossCurve Thin(LossCurve curve, int maxPoints)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        if (curve.Count <= maxPoints)
        {
            return curve;
        }

        int stride = (int)Math.Ceiling((curve.Count - 1) / (double)(maxPoints - 1));
        var keep = new List<int>();
        for (int i = 0; i < curve.Count - 1; i += stride)
        {
            keep.Add(i);
        }

        keep.Add(curve.Count - 1);
        return curve with
        {
            Iterations = keep.Select(i => curve.Iterations[i]).ToArray(),
            Losses = keep.Select(i => curve.Losses[i]).ToArray(),
        };
    }

    private static int IndexOf(IReadOnlyList<string> header, string name)
    {
        for (int i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i].Trim(), name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
