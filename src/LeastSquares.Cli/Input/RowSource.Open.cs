namespace LeastSquares.Cli.Input;

// Opening an input: its header, standard input and compressed files split after it for the fast reader, the head looked at for text columns.
internal sealed partial class RowSource
{
    /// <summary>
    /// Opens <paramref name="file"/> ('-' or null for standard input) and reads its header. An input
    /// without a single line is an error unless <paramref name="allowEmpty"/>. With
    /// <paramref name="intoState"/> (the rows will go straight into a state, with no look at each
    /// row) standard input's header is split off so that its rows can go to the fast reader.
    /// </summary>
    public static RowSource Open(string? file, CsvDialect dialect, CliContext context, bool allowEmpty = false, bool intoState = false)
    {
        if (intoState && dialect.HasHeader && !dialect.DecimalComma && !InputFile.IsStdin(file))
        {
            // A compressed file cannot be read in parts; like standard input, its rows go to the fast reader.
            var stream = Compression.Open(InputFile.Open(file!), file!, out var format);
            if (format is not null)
            {
                return OpenSplit(stream, file!, dialect.DelimiterFor(Compression.WithoutSuffix(file!)), dialect, context, allowEmpty);
            }

            stream.Dispose();
        }

        Compression.Decoder? decoder = null;
        (byte[] Bytes, bool Complete)? head = null;
        Func<Stream> openStdin = () =>
        {
            var stream = Compression.Open(context.OpenStdin(), InputFile.StdinName, out _);
            decoder = stream as Compression.Decoder;

            // The first bytes tell which columns hold text; they are read again from a copy.
            var first = ReadHead(stream);
            head = first;
            return new PrefixedStream(first.Bytes, stream);
        };
        StandardInput? split = null;
        if (intoState && InputFile.IsStdin(file) && dialect.HasHeader && !dialect.DecimalComma)
        {
            split = StandardInput.TrySplit(openStdin(), out var replay);
            var header = split?.Header;
            openStdin = header is null ? () => replay : () => new MemoryStream(header);
        }

        try
        {
            var csv = CsvSource.Open(file, dialect, openStdin, allowEmpty);
            csv.Decoder ??= decoder;
            if (!csv.IsEmpty)
            {
                head ??= HeadOfFile(file!);
                TextCheck.RequireTextHeader(csv.Header, head.Value.Bytes, csv.Separator, csv.DisplayName);
                csv.TextColumns = CsvSource.SniffTextColumns(head.Value.Bytes, head.Value.Complete, dialect, csv.Separator, csv.Header.Count);
            }

            WidenForRowNames(csv, split);
            return new RowSource(csv, split, context, file);
        }
        catch
        {
            split?.Rows.Dispose();
            throw;
        }
    }

    /// <summary>A compressed file split after its header, as standard input is: the header to the CSV reader, the rows to the fast reader.</summary>
    private static RowSource OpenSplit(Stream decoded, string name, char separator, CsvDialect dialect, CliContext context, bool allowEmpty)
    {
        var split = StandardInput.TrySplit(decoded, out var replay);
        try
        {
            var head = split is null ? replay : new MemoryStream(split.Header);
            var csv = CsvSource.ForStart(new CountingStream(head, limit: null, countQuotes: false), name, dialect, separator, allowEmpty);
            csv.Decoder = decoded as Compression.Decoder;
            if (!csv.IsEmpty)
            {
                var first = HeadOfFile(name);
                TextCheck.RequireTextHeader(csv.Header, first.Bytes, separator, csv.DisplayName);
                csv.TextColumns = CsvSource.SniffTextColumns(first.Bytes, first.Complete, dialect, separator, csv.Header.Count);
            }

            WidenForRowNames(csv, split);
            return new RowSource(csv, split, context, name);
        }
        catch
        {
            split?.Rows.Dispose();
            replay.Dispose();
            throw;
        }
    }

    /// <summary>How many bytes from the start of an input are looked at to tell text columns from numeric ones.</summary>
    private const int HeadBytes = 64 << 10;

    /// <summary>The first bytes of <paramref name="stream"/> (fewer only at its end: then complete).</summary>
    private static (byte[] Bytes, bool Complete) ReadHead(Stream stream)
    {
        var buffer = new byte[HeadBytes];
        int filled = 0;
        int n;
        while (filled < buffer.Length && (n = stream.Read(buffer, filled, buffer.Length - filled)) > 0)
        {
            filled += n;
        }

        return (buffer[..filled], filled < buffer.Length);
    }

    /// <summary>The first bytes of a file, decompressed, read through a stream of its own.</summary>
    private static (byte[] Bytes, bool Complete) HeadOfFile(string path)
    {
        try
        {
            using var stream = Compression.Open(InputFile.Open(path), path, out _);
            return ReadHead(stream);
        }
        catch (Exception e) when (e is InputException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return ([], true); // a fault of the data is the read's to report
        }
    }

    /// <summary>
    /// For a header read apart from its rows (split off for the fast reader): a first row one field
    /// longer than the header is R's <c>write.table</c>, and its first column the row names.
    /// </summary>
    private static void WidenForRowNames(CsvSource csv, StandardInput? split)
    {
        if (split is not null && !csv.IsEmpty && split.FirstRowFields(csv.Separator) == csv.Header.Count + 1)
        {
            csv.AddRowNameColumn();
        }
    }
}
