using System.Runtime.ExceptionServices;

namespace LeastSquares.Cli.Input;

/// <summary>How a file is split for reading on several cores.</summary>
internal sealed record ParallelSettings
{
    /// <summary>Threads reading at once; 1 reads the parts one after another on the calling thread.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Files smaller than this are read by one thread.</summary>
    public long MinBytes { get; init; } = Options.Defaults.ParallelMinBytes;

    /// <summary>Size of the parts.</summary>
    public long PartBytes { get; init; } = Options.Defaults.ParallelPartBytes;
}

/// <summary>
/// Reads a big file on several threads: the file is cut into parts at line breaks, each part is
/// read by its own CSV reader into its own moments, and the moments are combined in file order
/// with <see cref="Moments.Merge"/> (for qr, each part's triangular factor, combined with
/// <see cref="TriangularFactor.Merge"/>), so the result is the same whichever thread read which part.
/// </summary>
/// <remarks>
/// A cut is only right when it does not fall inside a quoted field. A line break is inside one
/// exactly when an odd number of quote characters comes before it (RFC 4180 quotes pair up), so
/// each part counts its quotes as it reads, and when a cut turns out to be inside quotes the whole
/// result is dropped and the caller reads the file sequentially. Errors keep the line numbers of
/// the whole file: a part that fails counts the lines before its start, and the error reported is
/// the first in the file, as a sequential read would report it.
/// </remarks>
internal static partial class ParallelFileReader
{
    private sealed class Part
    {
        public long Start;
        public long End;
        public long Quotes;
        public bool Complete;
        public RowState? State;
        public GroupedRowState? Groups;
        public ExceptionDispatchInfo? Error;
    }

    /// <summary>
    /// The moments and the count of skipped rows of the data rows of <paramref name="path"/>, or
    /// null when the file must be read sequentially (too small, a cut inside quotes, or an
    /// encoding other than UTF-8).
    /// </summary>
    public static (Moments Moments, long Skipped)? TryRead(string path, string displayName, CsvDialect dialect, char separator, ModelColumns columns,
        IReadOnlyList<string> header, ParallelSettings settings, ByteCounter? progress, CancellationToken cancellation) =>
        TryRead(path, displayName, dialect, separator, columns, header, settings, FitMethod.Normal, progress, watch: null, cancellation) is { } state
            ? (state.Moments, state.Skipped)
            : null;

    /// <summary>
    /// As above for <paramref name="method"/>: with <see cref="FitMethod.Qr"/> the parts keep
    /// triangular factors and the result carries their merged factor as well as its moments.
    /// <paramref name="watch"/>, when given, wraps the accumulator of part k, to see its rows as
    /// they go in (plot's point sample); a part's rows reach it in file order, parts at once.
    /// </summary>
    public static RowState? TryRead(string path, string displayName, CsvDialect dialect, char separator,
        ModelColumns columns, IReadOnlyList<string> header, ParallelSettings settings, FitMethod method, ByteCounter? progress,
        Func<int, MomentAccumulator, MomentAccumulator>? watch, CancellationToken cancellation)
    {
        var parts = Split(path, ForMethod(path, settings, columns.Terms, method));
        if (parts is null)
        {
            return null;
        }

        long dataStart = dialect.HasHeader ? AfterPlainHeader(path, parts[0].End, separator) : 0;

        // Parts' states are merged in file order as soon as every part before them is in, so that
        // a wide model (a state of megabytes) keeps a few states in memory, not one per part.
        var gate = new object();
        RowState? merged = null;
        int mergedParts = 0;
        void MergeReady()
        {
            lock (gate)
            {
                while (mergedParts < parts.Count && parts[mergedParts] is { State: { } ready, Error: null })
                {
                    merged = merged is null ? ready : RowState.Merge(merged, ready);
                    parts[mergedParts].State = null;
                    mergedParts++;
                }
            }
        }

        if (!ReadParts(parts, settings, (k, stop) =>
            {
                var accumulator = RowState.Accumulator(columns.Terms, method);
                var sink = new StateSink(columns, method, watch is null ? accumulator : watch(k, accumulator));
                ReadPart(path, displayName, dialect, separator, header, parts, k, dataStart, progress, stop, sink, cancellation);
                MergeReady();
            }, cancellation))
        {
            return null;
        }

        MergeReady();
        return mergedParts == parts.Count ? merged : null; // every part read without error: all merged, in file order
    }

    /// <summary>
    /// Reads every part, on up to <see cref="ParallelSettings.Threads"/> threads, with
    /// <paramref name="read"/> (part k, and the stop condition it is to heed: a part before it
    /// failed); then checks the cuts. False when the file must be read sequentially: a cut fell
    /// inside a quoted field before the first error, or a part could not be read to its end. The
    /// first error in the file, when one is real, is thrown as a sequential read would throw it.
    /// </summary>
    private static bool ReadParts(List<Part> parts, ParallelSettings settings, Action<int, Func<bool>> read, CancellationToken cancellation)
    {
        int next = -1;
        int firstFailed = int.MaxValue;
        void Work()
        {
            int k;
            while ((k = Interlocked.Increment(ref next)) < parts.Count && k < Volatile.Read(ref firstFailed))
            {
                read(k, () => k > Volatile.Read(ref firstFailed));
                if (parts[k].Error is not null)
                {
                    int seen;
                    while (k < (seen = Volatile.Read(ref firstFailed)) && Interlocked.CompareExchange(ref firstFailed, k, seen) != seen)
                    {
                    }
                }
            }
        }

        var threads = Enumerable.Range(1, Math.Min(settings.Threads, parts.Count) - 1).Select(_ => new Thread(Work) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        Work();
        threads.ForEach(t => t.Join());
        cancellation.ThrowIfCancellationRequested();

        // Each cut up to the first failing part must fall outside quotes: then every part before
        // it was read exactly as a sequential reader would have read it.
        long quotes = 0;
        for (int k = 0; k < parts.Count; k++)
        {
            if (k > 0 && quotes % 2 != 0)
            {
                return false;
            }

            var part = parts[k];
            if (part.Error is not null)
            {
                // A part that ends inside a quoted field fails at its end for no fault of the
                // data; only a sequential read can tell what the real error is, if any.
                if ((quotes + part.Quotes) % 2 != 0)
                {
                    return false;
                }

                part.Error.Throw();
            }

            if (!part.Complete)
            {
                return false; // cannot happen without an error before it; read sequentially to be safe
            }

            quotes += part.Quotes;
        }

        return true;
    }

    /// <summary>Where the rows of a part go: the fast reader's way in and the CSV reader's, and the part's state once its rows are in.</summary>
    private interface IPartSink
    {
        PlainReadResult ReadPlain(Stream stream, CsvDialect dialect, char separator, int fieldCount, Func<bool> stop, CancellationToken cancellation);

        void ReadCsv(CsvSource source, Func<bool> stop, CancellationToken cancellation);

        void Finish(Part part, long skipped);
    }

    /// <summary>A part's rows into one accumulator (the moments, or qr's factor).</summary>
    private sealed class StateSink(ModelColumns columns, FitMethod method, MomentAccumulator accumulator) : IPartSink
    {
        public PlainReadResult ReadPlain(Stream stream, CsvDialect dialect, char separator, int fieldCount, Func<bool> stop, CancellationToken cancellation) =>
            PlainRowReader.Read(stream, separator, fieldCount, columns.Columns, accumulator, stop, cancellation, dialect: dialect);

        public void ReadCsv(CsvSource source, Func<bool> stop, CancellationToken cancellation) =>
            columns.ReadRows(source, method, onRow: null, stop, cancellation, accumulator);

        public void Finish(Part part, long skipped) => part.State = RowState.Of(accumulator, skipped);
    }

    /// <summary>
    /// Reads part k into <paramref name="sink"/>: the fast reader first, and from the first line it
    /// does not take, the CSV reader; a part that fails keeps its error and its count of quotes.
    /// </summary>
    private static void ReadPart(string path, string displayName, CsvDialect dialect, char separator, IReadOnlyList<string> header,
        List<Part> parts, int k, long dataStart, ByteCounter? progress, Func<bool> stop, IPartSink sink, CancellationToken cancellation)
    {
        var part = parts[k];
        try
        {
            if (k == 0 && dataStart < 0)
            {
                // A header the fast reader cannot skip for certain: the CSV reader reads the part.
                using var file = InputFile.OpenShared(path);
                var stream = new CountingStream(file, part.End, countQuotes: true, progress);
                using var source = CsvSource.ForStart(stream, displayName, dialect, separator);
                sink.ReadCsv(source, stop, cancellation);
                sink.Finish(part, source.SkippedRows);
                part.Quotes = stream.Quotes;
                part.Complete = stream.AtEnd;
                return;
            }

            long start = k == 0 ? dataStart : part.Start;
            PlainReadResult fast;
            long fastBytes;
            using (var file = InputFile.OpenShared(path))
            {
                file.Seek(start, SeekOrigin.Begin);
                using var stream = new CountingStream(file, part.End - start, countQuotes: false, progress);
                fast = sink.ReadPlain(stream, dialect, separator, header.Count, stop, cancellation);
                fastBytes = stream.Bytes;
            }

            part.Complete = fast.End == PlainReadEnd.End;
            long skipped = fast.Skipped;
            if (fast.End == PlainReadEnd.Handover)
            {
                long resume = start + fast.Offset;
                var file = InputFile.OpenShared(path);
                file.Seek(resume, SeekOrigin.Begin);

                // The fast reader read, and counted, up to a buffer past the point where it
                // stopped; those bytes are read again, so they are taken off the count first.
                progress?.Add(-(fastBytes - fast.Offset));
                var stream = new CountingStream(file, part.End - resume, countQuotes: true, progress);
                using var source = CsvSource.ForPart(stream, displayName, dialect, separator, header, () => LineBreaks.Before(path, resume));
                sink.ReadCsv(source, stop, cancellation);
                skipped += source.SkippedRows;
                part.Quotes = stream.Quotes; // the lines the fast reader takes hold an even number of quotes
                part.Complete = stream.AtEnd;
            }

            sink.Finish(part, skipped);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            part.Error = ExceptionDispatchInfo.Capture(e);
            part.Quotes = QuotesIn(path, part.Start, part.End);
        }
    }

    /// <summary>
    /// Where the data rows start after the header line, when the header is plain (see
    /// <see cref="PlainRecord.HeaderLength"/>; given the <paramref name="separator"/>, its names may
    /// be quoted, as R's write.csv writes them) and not longer than the first part; otherwise -1.
    /// </summary>
    internal static long AfterPlainHeader(string path, long limit, char? separator = null)
    {
        using var file = InputFile.OpenShared(path);
        var start = new MemoryStream();
        var buffer = new byte[64 << 10];
        int n;
        while (start.Length < limit && (n = file.Read(buffer)) > 0)
        {
            start.Write(buffer, 0, n);
            int length = PlainRecord.HeaderLength(start.GetBuffer().AsSpan(0, (int)start.Length), separator);
            if (length != 0)
            {
                return length > 0 && length <= limit ? length : -1;
            }
        }

        return -1;
    }

    internal static long QuotesIn(string path, long start, long end)
    {
        using var file = InputFile.OpenShared(path);
        file.Seek(start, SeekOrigin.Begin);
        var buffer = new byte[1 << 20];
        long quotes = 0;
        int n;
        while (start < end && (n = file.Read(buffer, 0, (int)Math.Min(buffer.Length, end - start))) > 0)
        {
            quotes += buffer.AsSpan(0, n).Count((byte)'"');
            start += n;
        }

        return quotes;
    }

    /// <summary>The byte ranges of the parts of <paramref name="path"/>, each starting just after a line break (the same cuts the fit reads); null when it is not worth it.</summary>
    internal static (long Start, long End)[]? Cuts(string path, ParallelSettings settings) =>
        Split(path, settings)?.Select(p => (p.Start, p.End)).ToArray();

    /// <summary>Cuts the file into parts that start just after a line break; null when it is not worth it.</summary>
    private static List<Part>? Split(string path, ParallelSettings settings)
    {
        using var file = InputFile.OpenShared(path);
        if (!file.CanSeek || file.Length < settings.MinBytes || file.Length < 2)
        {
            return null;
        }

        long length = file.Length;
        Span<byte> head = stackalloc byte[2];
        file.ReadExactly(head);
        if ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF))
        {
            return null; // UTF-16: a byte '\n' is not a line break there
        }

        long count = Math.Clamp((length + settings.PartBytes - 1) / Math.Max(1, settings.PartBytes), 1, 4096);
        var parts = new List<Part>();
        long start = 0;
        var buffer = new byte[64 << 10];
        for (long k = 1; k < count; k++)
        {
            long target = Math.Max(length / count * k, start + 1);
            long cut = NextLineStart(file, target, buffer);
            if (cut < 0 || cut >= length)
            {
                break;
            }

            if (cut > start)
            {
                parts.Add(new Part { Start = start, End = cut });
                start = cut;
            }
        }

        parts.Add(new Part { Start = start, End = length });
        return parts.Count < 2 ? null : parts;
    }

    private static long NextLineStart(FileStream file, long from, byte[] buffer)
    {
        file.Seek(from, SeekOrigin.Begin);
        long position = from;
        int n;
        while ((n = file.Read(buffer)) > 0)
        {
            int at = buffer.AsSpan(0, n).IndexOf((byte)'\n');
            if (at >= 0)
            {
                return position + at + 1;
            }

            position += n;
        }

        return -1;
    }
}

/// <summary>Counts lines the way the CSV reader does: "\r\n", "\n" and a lone "\r" each end one.</summary>
internal static class LineBreaks
{
    /// <summary>The number of line breaks in the first <paramref name="end"/> bytes of the file.</summary>
    public static long Before(string path, long end)
    {
        using var file = InputFile.OpenShared(path);
        var buffer = new byte[1 << 20];
        long lines = 0;
        long position = 0;
        bool carriageReturn = false; // the previous chunk ended with '\r'
        while (position < end)
        {
            int n = file.Read(buffer, 0, (int)Math.Min(buffer.Length, end - position));
            if (n == 0)
            {
                break;
            }

            var chunk = buffer.AsSpan(0, n);
            lines += Count(chunk, carriageReturn);
            carriageReturn = chunk[^1] == (byte)'\r';
            position += n;
        }

        return lines;
    }

    /// <summary>Line breaks in <paramref name="chunk"/>; <paramref name="afterCarriageReturn"/>: the byte before it was '\r'.</summary>
    public static long Count(ReadOnlySpan<byte> chunk, bool afterCarriageReturn)
    {
        long lines = chunk.Count((byte)'\n');
        if (chunk.IndexOf((byte)'\r') < 0)
        {
            return afterCarriageReturn && chunk.Length > 0 && chunk[0] == (byte)'\n' ? lines - 1 : lines;
        }

        // A '\r' counts unless a '\n' follows it (then that '\n' counts for both).
        for (int i = 0; i < chunk.Length; i++)
        {
            if (chunk[i] == (byte)'\r' && (i + 1 == chunk.Length || chunk[i + 1] != (byte)'\n'))
            {
                lines++;
            }
        }

        return afterCarriageReturn && chunk.Length > 0 && chunk[0] == (byte)'\n' ? lines - 1 : lines;
    }
}
