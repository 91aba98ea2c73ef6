using System.Globalization;

namespace LeastSquares.Cli;

/// <summary>Texts of the CLI's error messages, in one place.</summary>
internal static class CliMessages
{
    public static string Quote(string text)
    {
        const int Max = 40;
        var shown = text.Length > Max ? string.Concat(text.AsSpan(0, Max), "…") : text;
        return "'" + shown.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "'";
    }

    public static string FileNotFound(string path) =>
        $"{path}: no such file. Check the path, or pass '-' to read standard input.";

    public static string NotAFile(string path) => $"{path}: is a directory, not a CSV file.";

    public static string Unreadable(string path, string reason) => $"{path}: cannot be read ({reason}).";

    public static string EmptyFile(string file) =>
        $"{file}: the input is empty; lsq needs a header line and at least one data row.";

    public static string NoRows(string file) => $"{file}: the input has a header but no data rows.";

    public static string UnknownColumn(string file, string option, string name, IReadOnlyList<string> header) =>
        $"{option} '{name}': {file} has no such column. Its columns are: {string.Join(", ", header.Select(h => "'" + h + "'"))}.";

    public static string ColumnIndexOutOfRange(string file, string option, int index, int count) =>
        $"{option} {index}: column numbers run from 1 to {count} in {file}.";

    public static string TargetIsFeature(string name) =>
        $"column '{name}' is both the target (--target) and a feature (--features); a column cannot predict itself. Remove it from --features.";

    public static string DuplicateFeature(string name) =>
        $"column '{name}' is listed twice in --features; list each predictor once.";

    public static string DuplicateHeader(string file, string name) =>
        $"{file}: the header names column '{name}' more than once, so it cannot be chosen by name. Rename one of them, or use --no-header and column numbers.";

    public static string NoFeatures(string file) =>
        $"{file}: there is no column left to use as a predictor (only the target). Add a predictor column.";

    public static string DegreeNeedsOnePredictor(int count) =>
        $"--degree fits a polynomial in one predictor, but {count} were given. Pick one with --features.";

    public static string RaggedRow(string file, long line, int expected, int actual) =>
        $"{file}:{line}: the row has {actual} field{(actual == 1 ? "" : "s")} but the header has {expected}. Every row needs one value per column.";

    public static string NotANumber(string file, long line, int column, string name, string text) =>
        $"{file}:{line}:{column}: column '{name}' holds {Quote(text)}, which is not a number. Numbers are written like 1.5, -2, 3e-4 ('.' for the decimal point, no thousands separators).";

    public static string NotFinite(string file, long line, int column, string name, string text) =>
        $"{file}:{line}:{column}: column '{name}' holds {Quote(text)}, which is not a finite number. lsq fits finite values only; remove the row or fix the value.";

    public static string EmptyCell(string file, long line, int column, string name) =>
        $"{file}:{line}:{column}: column '{name}' is empty. Fill in the value, or pass --missing skip to leave out rows with empty cells.";

    public static string Malformed(string file, long line, string reason) =>
        $"{file}:{line}: malformed CSV: {reason}";

    public static string SkippedRows(long skipped, string file) =>
        $"skipped {skipped} row{(skipped == 1 ? "" : "s")} of {file} with empty cells (--missing skip).";

    public static string BadThreads(string value) =>
        $"LSQ_THREADS is '{value}', but it must be a whole number from 1 to 256 (the threads that read a big file; 1 reads it sequentially). Fix or unset it.";

    public static string Num(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
