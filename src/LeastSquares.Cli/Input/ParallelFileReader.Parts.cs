namespace LeastSquares.Cli.Input;

// How long the parts are for a method whose merge is costly: a wide qr factor.
internal static partial class ParallelFileReader
{
    /// <summary>
    /// The parts for <paramref name="method"/>. A wide qr model's parts are merged by a QR of two
    /// m×m triangles (m the factor's width), about m³/6 reflection steps, as much as m/3 rows of
    /// the part cost: a 16 MB part of a 500-column file holds some 1,700 rows, and its merge would
    /// add 10% to the fit. Those parts are made at least <see cref="QrRowsPerColumn"/>·m rows long
    /// (a merge then costs 2%), and as many as a multiple of the cores, so that every core gets as
    /// much to read. The cut depends on the file and the machine, not on LSQ_THREADS, so a run
    /// with one thread gives the same bits.
    /// </summary>
    private static ParallelSettings ForMethod(string path, ParallelSettings settings, ModelTerms terms, FitMethod method)
    {
        int m = terms.FeatureCount + 2;
        if (method != FitMethod.Qr || m < QrWideFrom || settings.PartBytes != Options.Defaults.ParallelPartBytes)
        {
            // Parts sized on purpose (tests that make a small file take the parallel path) stay as they are.
            return settings;
        }

        long length;
        long rowBytes;
        using (var file = InputFile.OpenShared(path))
        {
            if (!file.CanSeek)
            {
                return settings;
            }

            length = file.Length;
            var head = new byte[(int)Math.Min(length, 1 << 20)];
            file.ReadExactly(head);
            int lines = head.AsSpan().Count((byte)'\n');
            rowBytes = lines > 1 ? head.Length / lines : head.Length;
        }

        return settings with { PartBytes = QrPartBytes(length, rowBytes, m, Environment.ProcessorCount, settings.PartBytes) };
    }

    /// <summary>
    /// The part size <see cref="ForMethod"/> picks for a qr factor <paramref name="m"/> wide, from
    /// the file's length, its rows' average length, the cores and the usual part size (a floor).
    /// </summary>
    internal static long QrPartBytes(long length, long rowBytes, int m, int cores, long partBytes)
    {
        long wanted = rowBytes * QrRowsPerColumn * m;
        if (m < QrWideFrom || wanted <= partBytes)
        {
            return partBytes;
        }

        cores = Math.Max(1, cores);
        long count = Math.Max(1, length / wanted);
        count = (count + cores - 1) / cores * cores;
        return Math.Max(partBytes, (length + count - 1) / count);
    }

    /// <summary>Rows a wide qr part holds at least, per column of the factor (see <see cref="ForMethod"/>).</summary>
    private const int QrRowsPerColumn = 16;

    /// <summary>The factor width from which qr parts are sized by <see cref="ForMethod"/>: narrower triangles merge in no time.</summary>
    private const int QrWideFrom = 24;
}
