using System.Runtime.ExceptionServices;

namespace LeastSquares.Cli.Input;

/// <summary>The grouped read (--by) of a big file in parts: each part keeps its own dictionary of groups, merged per group in file order.</summary>
internal static partial class ParallelFileReader
{
    /// <summary>
    /// The groups of the data rows of <paramref name="path"/>, read in parts on several threads and
    /// merged per group in file order (so the groups' order and states are those of a sequential
    /// read); null when the file must be read sequentially (see <see cref="TryRead(string, string, CsvDialect, char, ModelColumns, IReadOnlyList{string}, ParallelSettings, FitMethod, ByteCounter?, CancellationToken)"/>).
    /// </summary>
    public static GroupedRowState? TryReadGroups(string path, string displayName, CsvDialect dialect, char separator, ModelColumns columns, GroupColumns by,
        IReadOnlyList<string> header, ParallelSettings settings, FitMethod method, int maxGroups, ByteCounter? progress, CancellationToken cancellation)
    {
        var parts = Split(path, settings);
        if (parts is null)
        {
            return null;
        }

        long dataStart = dialect.HasHeader ? AfterPlainHeader(path, parts[0].End) : 0;
        int next = -1;
        int firstFailed = int.MaxValue;
        void Work()
        {
            int k;
            while ((k = Interlocked.Increment(ref next)) < parts.Count && k < Volatile.Read(ref firstFailed))
            {
                ReadGroupPart(path, displayName, dialect, separator, columns, by, header, parts, k, dataStart, method, maxGroups, progress,
                    stop: () => k > Volatile.Read(ref firstFailed), cancellation);
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

        long quotes = 0;
        for (int k = 0; k < parts.Count; k++)
        {
            if (k > 0 && quotes % 2 != 0)
            {
                return null;
            }

            var part = parts[k];
            if (part.Error is not null)
            {
                if ((quotes + part.Quotes) % 2 != 0)
                {
                    return null;
                }

                part.Error.Throw();
            }

            if (!part.Complete)
            {
                return null;
            }

            quotes += part.Quotes;
        }

        var state = parts[0].Groups!;
        for (int k = 1; k < parts.Count; k++)
        {
            state = GroupedRowState.Merge(state, parts[k].Groups!, maxGroups, displayName);
        }

        return state;
    }

    private static void ReadGroupPart(string path, string displayName, CsvDialect dialect, char separator, ModelColumns columns, GroupColumns by,
        IReadOnlyList<string> header, List<Part> parts, int k, long dataStart, FitMethod method, int maxGroups, ByteCounter? progress, Func<bool> stop,
        CancellationToken cancellation)
    {
        var part = parts[k];
        var table = new GroupTable(columns, by.Names, method, maxGroups, displayName);
        try
        {
            if (k == 0 && dataStart < 0)
            {
                using var file = InputFile.OpenShared(path);
                var stream = new CountingStream(file, part.End, countQuotes: true, progress);
                using var source = CsvSource.ForStart(stream, displayName, dialect, separator);
                GroupedRows.ReadCsv(source, columns, by, table, stop, cancellation);
                part.Groups = table.ToState(source.SkippedRows);
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
                fast = GroupedRows.ReadPlain(stream, dialect, separator, header.Count, columns, by, table, stop, cancellation);
                fastBytes = stream.Bytes;
            }

            part.Complete = fast.End == PlainReadEnd.End;
            long skipped = 0;
            if (fast.End == PlainReadEnd.Handover)
            {
                long resume = start + fast.Offset;
                var file = InputFile.OpenShared(path);
                file.Seek(resume, SeekOrigin.Begin);
                progress?.Add(-(fastBytes - fast.Offset));
                var stream = new CountingStream(file, part.End - resume, countQuotes: true, progress);
                using var source = CsvSource.ForPart(stream, displayName, dialect, separator, header, () => LineBreaks.Before(path, resume));
                GroupedRows.ReadCsv(source, columns, by, table, stop, cancellation);
                skipped = source.SkippedRows;
                part.Quotes = stream.Quotes;
                part.Complete = stream.AtEnd;
            }

            part.Groups = table.ToState(skipped);
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
}
