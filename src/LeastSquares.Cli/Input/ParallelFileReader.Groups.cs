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

        long dataStart = dialect.HasHeader ? AfterPlainHeader(path, parts[0].End, separator) : 0;
        if (!ReadParts(parts, settings, (k, stop) =>
            {
                var sink = new GroupSink(columns, by, dialect, new GroupTable(columns, by.Names, method, maxGroups, displayName));
                ReadPart(path, displayName, dialect, separator, header, parts, k, dataStart, progress, stop, sink, cancellation);
            }, cancellation))
        {
            return null;
        }

        var state = parts[0].Groups!;
        for (int k = 1; k < parts.Count; k++)
        {
            state = GroupedRowState.Merge(state, parts[k].Groups!, maxGroups, displayName);
        }

        return state;
    }

    /// <summary>A part's rows into its own dictionary of groups.</summary>
    private sealed class GroupSink(ModelColumns columns, GroupColumns by, CsvDialect dialect, GroupTable table) : IPartSink
    {
        public PlainReadResult ReadPlain(Stream stream, CsvDialect partDialect, char separator, int fieldCount, Func<bool> stop, CancellationToken cancellation) =>
            GroupedRows.ReadPlain(stream, dialect, separator, fieldCount, columns, by, table, stop, cancellation);

        public void ReadCsv(CsvSource source, Func<bool> stop, CancellationToken cancellation) =>
            GroupedRows.ReadCsv(source, columns, by, table, stop, cancellation);

        public void Finish(Part part, long skipped) => part.Groups = table.ToState(skipped);
    }
}
