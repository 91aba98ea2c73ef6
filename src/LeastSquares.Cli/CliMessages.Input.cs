using System.Text.RegularExpressions;

namespace LeastSquares.Cli;

// Reading the input: files, standard input, compression, rows and cells.
internal static partial class CliMessages
{
    public static string FileNotFound(string path) =>
        $"{path}: no such file. Check the path, or pass '-' to read standard input.";

    public static string NotAFile(string path) => $"{path}: is a directory, not a CSV file.";

    public static string Unreadable(string path, string reason) => $"{path}: cannot be read ({reason}).";

    public static string EmptyFile(string file) =>
        $"{file}: the input is empty; lsq needs a header line and at least one data row.";

    /// <summary>A cell or header name with a NUL byte or bytes that are not UTF-8 (<paramref name="what"/> shows them escaped).</summary>
    public static string NotText(string file, long line, int column, string what, bool nul) =>
        nul
            ? $"{file}:{line}:{column}: {what}: a NUL byte (shown \\0), which CSV text never holds. Is the file binary, or UTF-16 (convert it with 'iconv -f UTF-16 -t UTF-8')?"
            : $"{file}:{line}:{column}: {what}: bytes that are not UTF-8 (shown \\xNN); lsq reads UTF-8 text. Convert it, e.g. {(file == Input.InputFile.StdinName ? "through 'iconv -f LATIN1 -t UTF-8 |'" : $"'iconv -f LATIN1 -t UTF-8 {file} > utf8.csv'")}.";

    public static string NoRows(string file) => $"{file}: the input has a header but no data rows.";

    /// <summary>One of several inputs without a single line.</summary>
    public static string EmptyAmongInputs(string file, int inputs) =>
        $"{file}: the input is empty (one of {inputs} inputs); an empty part is most often a step before that failed. Check how it was made, or leave it out.";

    /// <summary>One of several inputs with a header and no data row.</summary>
    public static string NoRowsAmongInputs(string file, int inputs) =>
        $"{file}: the input has a header but no data rows (one of {inputs} inputs); an empty part is most often a step before that failed. Check how it was made, or leave it out.";

    public static string UnsupportedCompression(string file, string format, string command) =>
        $"{file} is {format}-compressed, which lsq does not read; decompress it into lsq's standard input, e.g. '{command} {(file == Input.InputFile.StdinName ? "FILE" : file)} | lsq fit ...'. lsq reads gzip and zstd itself.";

    /// <summary>A gzip file whose data ends before the size its last bytes record: most often a file cut short (a copy or download that stopped).</summary>
    public static string TruncatedGzip(string file, long read) =>
        $"{file}: the gzip data is corrupt or cut short: the file ends before its compressed data does ({(read == 0 ? "nothing" : $"only {read} byte{(read == 1 ? "" : "s")}")} could be decompressed); no result was written. "
        + $"'gzip -t {file}' checks the file. A file of several gzip files joined (cat a.gz b.gz) also fails this check: read it with 'gzip -dc {file} | lsq fit ...'.";

    public static string CorruptCompressed(string file, string format, string detail) =>
        $"{file}: the {format} data is corrupt or cut short ({detail.TrimEnd('.')}); no result was written.";

    public static string HeadersDiffer(string file, string first, string difference) =>
        $"{file}: its header differs from that of {first} ({difference}); the inputs are read as one file, so every header must be the same.";

    public static string RaggedRow(string file, long line, int expected, int actual) =>
        $"{file}:{line}: the row has {actual} field{(actual == 1 ? "" : "s")} but the header has {expected}. Every row needs one value per column.";

    public static string NotANumber(string file, long line, int column, string name, string text, bool decimalComma = false, bool factorHint = false) =>
        decimalComma
            ? $"{file}:{line}:{column}: column '{name}' holds {Quote(text)}, which is not a number. With --decimal ',' numbers are written like 1,5, -2, 3e-4 (',' for the decimal mark, no thousands separators)."
            : $"{file}:{line}:{column}: column '{name}' holds {Quote(text)}, which is not a number. Numbers are written like 1.5, -2, 3e-4 ('.' for the decimal point, no thousands separators)."
              + (DecimalCommaNumber().IsMatch(text) ? " For numbers with a decimal comma (R's write.csv2), give --decimal ','." : "")
              + (factorHint && !DecimalCommaNumber().IsMatch(text) ? $" Its first cells are numbers, so it was read as numeric; if it is categorical, write factor({Input.ModelColumns.FormulaName(name)}) in a formula." : "");

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*[-+]?[0-9]+,[0-9]+\s*$")]
    private static partial System.Text.RegularExpressions.Regex DecimalCommaNumber();

    /// <summary>A categorical cell whose level the saved model never saw.</summary>
    public static string UnseenLevel(string file, long line, int column, string name, string level, IReadOnlyList<string> known) =>
        $"{file}:{line}:{column}: column '{name}' holds the level {Quote(level)}, which the model was not fitted with; its levels are "
        + string.Join(", ", known.Take(ListedColumns).Select(Quote)) + (known.Count > ListedColumns ? $" and {known.Count - ListedColumns} more" : "")
        + ". A model has no coefficient for a level it never saw: refit with rows of that level, or leave the row out.";

    public static string NotFinite(string file, long line, int column, string name, string text) =>
        $"{file}:{line}:{column}: column '{name}' holds {Quote(text)}, which is not a finite number. lsq works with finite values only; remove the row or fix the value.";

    public static string NegativeWeight(string file, long line, int column, string name, string text) =>
        $"{file}:{line}:{column}: the weight in column '{name}' is {Quote(text)}, which is negative. Weights are numbers >= 0 (a row of weight 0 is left out).";

    public static string MissingWeight(string file, long line, int column, string name, string text) =>
        $"{file}:{line}:{column}: the weight in column '{name}' is missing ({Quote(text)}). Every row needs a weight; fill it in, or give the row weight 0 to leave it out.";

    public static string EmptyCell(string file, long line, int column, string name, bool offersSkip = true, bool offersNa = false) =>
        $"{file}:{line}:{column}: column '{name}' is empty. Fill in the value"
        + (offersSkip ? ", or pass --missing skip to leave out rows with empty cells." : offersNa ? NaHint : ", or remove the row.");

    public static string MissingCell(string file, long line, int column, string name, string text, bool offersSkip = true, bool offersNa = false) =>
        $"{file}:{line}:{column}: column '{name}' is missing ({Quote(text)}). Fill in the value"
        + (offersSkip ? ", or pass --missing skip to leave out rows with missing values." : offersNa ? NaHint : ", or remove the row.");

    private const string NaHint = ", or pass --missing na to write NA as the row's prediction (as R's predict does), or remove the row.";

    public static string Malformed(string file, long line, string reason) =>
        $"{file}:{line}: malformed CSV: {WithoutReaderPosition(reason)}";

    /// <summary>
    /// CsvHelper's reason without its own record, line and byte offset, which count from where
    /// its reader started (a part of a big file, or the point where the fast reader handed over)
    /// and would contradict the line of the whole file given before it.
    /// </summary>
    private static string WithoutReaderPosition(string reason)
    {
        reason = Regex.Replace(reason, @"^Malformed CSV in record \d+ \(line \d+\): ", "", RegexOptions.CultureInvariant);
        return Regex.Replace(reason, @" \(byte offset \d+\)(?=\.?$)", "", RegexOptions.CultureInvariant);
    }

    public static string SkippedRows(long skipped, string? file) =>
        $"skipped {skipped} row{(skipped == 1 ? "" : "s")}{(file is null ? "" : " of " + file)} with missing values (--missing skip).";

    public const string StdinTwice = "'-' (standard input) is given more than once; it can be read only once.";

    public static string BadThreads(string value) =>
        $"LSQ_THREADS is '{value}', but it must be a whole number from 0 to 256: the threads that read a big file, 0 for one per core (as when it is unset), 1 to read its parts one after another. Fix or unset it.";
}
