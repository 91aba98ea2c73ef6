using System.Runtime.ExceptionServices;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Commands;

/// <summary>
/// <c>lsq predict</c> on a big file, on several cores: the file is cut into parts at line breaks
/// (the cuts of <see cref="ParallelFileReader"/>), each part is predicted into its own buffer by
/// whichever thread takes it, and the buffers are written in file order as they complete. At most
/// two parts per thread are in flight, so memory does not grow with the file.
/// </summary>
/// <remarks>
/// The output is byte for byte that of a sequential run: each record is written by the same
/// <see cref="PredictPass"/>, whichever part it falls in. A cut inside a quoted field is found by
/// counting quotes (an odd count before a cut): the parts from there on are then dropped and the
/// rest of the file is read sequentially from the last good cut. An error in a part is reported
/// after the records before it are written, with its line in the whole file, as a sequential read
/// would report it.
/// </remarks>
internal static class PredictInParts
{
    /// <summary>Size of a part: smaller than the fit's parts, since each part's output is held until its turn to be written.</summary>
    public const long PartBytes = 4L << 20;

    private sealed class Part(long start, long end)
    {
        public long Start { get; } = start;

        public long End { get; } = end;

        public CsvBytes? Output { get; set; }

        public ExceptionDispatchInfo? Error { get; set; }

        public long Quotes { get; set; }

        public bool Done { get; set; }
    }

    /// <summary>Writes the predictions of every data row of <paramref name="path"/> (the header is already written) to <paramref name="sink"/>.</summary>
    public static void Run(string path, string displayName, CsvDialect dialect, char separator, IReadOnlyList<string> header, (long Start, long End)[] cuts,
        PredictPass pass, int threads, ByteSink sink, CancellationToken cancellation)
    {
        var parts = cuts.Select(c => new Part(c.Start, c.End)).ToArray();
        // Output buffers go back to a pool once written: at most window + 1 exist, each grown to
        // the size of a part's output once, instead of a new large array per part for the GC.
        var buffers = new System.Collections.Concurrent.ConcurrentBag<CsvBytes>();
        long dataStart = dialect.HasHeader ? ParallelFileReader.AfterPlainHeader(path, parts[0].End) : 0;
        threads = Math.Clamp(threads, 1, parts.Length);
        int window = 2 * threads;
        var gate = new object();
        int next = -1;
        int written = 0;
        bool stop = false;

        void Work(PredictPass mine)
        {
            while (true)
            {
                int k = Interlocked.Increment(ref next);
                if (k >= parts.Length)
                {
                    return;
                }

                lock (gate)
                {
                    while (k >= written + window && !stop)
                    {
                        Monitor.Wait(gate);
                    }

                    if (stop)
                    {
                        return;
                    }
                }

                Predict(path, displayName, dialect, separator, header, parts[k], k == 0 ? dataStart : parts[k].Start, mine, buffers, cancellation);
                lock (gate)
                {
                    parts[k].Done = true;
                    Monitor.PulseAll(gate);
                }
            }
        }

        var workers = threads == 1
            ? []
            : Enumerable.Range(0, threads).Select(_ => new Thread(() => Work(pass.Clone())) { IsBackground = true }).ToList();
        workers.ForEach(w => w.Start());
        try
        {
            long quotes = 0;
            for (int k = 0; k < parts.Length; k++)
            {
                var part = parts[k];
                if (threads == 1)
                {
                    Predict(path, displayName, dialect, separator, header, part, k == 0 ? dataStart : part.Start, pass, buffers, cancellation);
                }
                else
                {
                    lock (gate)
                    {
                        while (!part.Done)
                        {
                            Monitor.Wait(gate, 200);
                            cancellation.ThrowIfCancellationRequested();
                        }
                    }
                }

                if (part.Error?.SourceException is OperationCanceledException)
                {
                    part.Error.Throw();
                }

                quotes += part.Quotes;
                if (k < parts.Length - 1 && quotes % 2 != 0)
                {
                    // The part ends inside a quoted field: what it wrote (or the error it met) is not
                    // what a sequential read gives. Read on sequentially from its start, a good cut.
                    Stop();
                    Sequential(path, displayName, dialect, separator, header, part.Start, pass, sink, cancellation);
                    return;
                }

                var output = part.Output!;
                sink.Write(output.Written);
                part.Output = null;
                part.Error?.Throw();
                output.Clear();
                buffers.Add(output);
                lock (gate)
                {
                    written = k + 1;
                    Monitor.PulseAll(gate);
                }
            }
        }
        finally
        {
            Stop();
        }

        void Stop()
        {
            lock (gate)
            {
                stop = true;
                Monitor.PulseAll(gate);
            }

            workers.ForEach(w => w.Join());
        }
    }

    /// <summary>Predicts one part into its own buffer; an error is kept with the part, and the part's quotes counted.</summary>
    private static void Predict(string path, string displayName, CsvDialect dialect, char separator, IReadOnlyList<string> header, Part part, long start,
        PredictPass pass, System.Collections.Concurrent.ConcurrentBag<CsvBytes> buffers, CancellationToken cancellation)
    {
        var output = buffers.TryTake(out var reused) ? reused : new CsvBytes((int)Math.Min((part.End - part.Start) * 5 / 4, 1 << 26), separator);
        part.Output = output;
        try
        {
            if (start < 0)
            {
                // The first part, after a header the fast reader cannot skip for certain: the CSV reader reads it, header and all.
                using var file = InputFile.OpenShared(path);
                var stream = new CountingStream(file, part.End, countQuotes: true);
                using var source = CsvSource.ForStart(stream, displayName, dialect, separator);
                pass.Slow(source, output, null, cancellation);
                part.Quotes = stream.Quotes;
                return;
            }

            PlainReadResult fast;
            using (var file = InputFile.OpenShared(path))
            {
                file.Seek(start, SeekOrigin.Begin);
                using var stream = new CountingStream(file, part.End - start, countQuotes: false);
                fast = pass.Fast(stream, output, null, cancellation);
            }

            if (fast.End == PlainReadEnd.Handover)
            {
                // The lines the fast reader took hold an even number of quotes: only the rest is counted.
                long resume = start + fast.Offset;
                var file = InputFile.OpenShared(path);
                file.Seek(resume, SeekOrigin.Begin);
                var stream = new CountingStream(file, part.End - resume, countQuotes: true);
                using var source = CsvSource.ForPart(stream, displayName, dialect, separator, header, () => LineBreaks.Before(path, resume));
                pass.Slow(source, output, null, cancellation);
                part.Quotes = stream.Quotes;
            }
        }
        catch (OperationCanceledException e)
        {
            part.Error = ExceptionDispatchInfo.Capture(e);
        }
        catch (Exception e)
        {
            part.Error = ExceptionDispatchInfo.Capture(e);
            part.Quotes = ParallelFileReader.QuotesIn(path, part.Start, part.End);
        }
    }

    /// <summary>The rows from <paramref name="start"/> (a record boundary) to the end, through the CSV reader, written as they come.</summary>
    private static void Sequential(string path, string displayName, CsvDialect dialect, char separator, IReadOnlyList<string> header, long start,
        PredictPass pass, ByteSink sink, CancellationToken cancellation)
    {
        var file = InputFile.OpenShared(path);
        file.Seek(start, SeekOrigin.Begin);
        var stream = new CountingStream(file, limit: null, countQuotes: false);
        using var source = CsvSource.ForPart(stream, displayName, dialect, separator, header, () => LineBreaks.Before(path, start));
        Stream(source, pass, sink, cancellation);
    }

    /// <summary>The rows <paramref name="source"/> has left, written to <paramref name="sink"/> about every megabyte (and the rows before an error).</summary>
    public static void Stream(CsvSource source, PredictPass pass, ByteSink sink, CancellationToken cancellation)
    {
        var output = new CsvBytes(1 << 20, source.Separator);
        try
        {
            pass.Slow(source, output, () =>
            {
                if (output.Length >= 1 << 20)
                {
                    sink.Write(output.Written);
                    output.Clear();
                }
            }, cancellation);
        }
        finally
        {
            sink.Write(output.Written);
        }
    }
}
