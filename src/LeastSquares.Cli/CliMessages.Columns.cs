using LeastSquares.Terms.Formulas;

namespace LeastSquares.Cli;

// Stating the model: the formula, the columns chosen by -x, -y, --features and --exclude.
internal static partial class CliMessages
{
    public static string FormulaArguments(IReadOnlyList<string> formulas) =>
        $"{formulas.Count} arguments contain '~' ({string.Join(", ", formulas.Select(f => $"'{f}'"))}); the model is one formula.";

    public const string FormulaTwice = "the formula is given twice (as an argument and with -F); give it once.";

    public static string FormulaWithColumnOptions(string option) =>
        $"{option} cannot be combined with a formula: the formula states the whole model (write 'y ~ x1 + x2', 'y ~ poly(x, 3, raw = TRUE)' or 'y ~ x - 1' instead).";

    public static string BadFormula(FormulaException e, IReadOnlyList<string>? columns = null) =>
        $"formula: {e.Reason}{(e.UnknownColumn is { } name && columns is not null && Suggestion(name, columns) is { } close ? $" (did you mean '{close}'?)" : "")}:{Environment.NewLine}{e.Caret()}";

    public static string FormulaNotSupported(string what) => $"formula: {what} is not supported yet (numeric columns, factors, transforms, interactions and poly() are).";

    public static string EmptyModel(string formula, string response) =>
        $"formula: '{formula}' leaves neither an intercept nor a predictor, so there is nothing to fit (R's lm() returns an empty model without coefficients); write '{response} ~ 1' for the mean alone, or add a predictor.";

    public static string UnknownColumn(string file, string option, string name, IReadOnlyList<string> header) =>
        $"{option} '{name}': {file} has no such column.{DidYouMean(name, header)} {Columns(name, header)}";

    public static string ColumnIndexOutOfRange(string file, string option, int index, int count) =>
        $"{option} {index}: column numbers run from 1 to {count} in {file}.";

    public static string BadNumberRange(string file, string option, string range, int count) =>
        $"{option} '{range}': a column-number range runs from a lower to a higher number within 1 to {count} ({file} has {count} columns).";

    public static string BackwardNameRange(string file, string option, string range, string first, string last) =>
        $"{option} '{range}': in {file} column '{first}' comes after '{last}'; write the range in header order ('{last}:{first}').";

    public static string GlobMatchesNothing(string file, string option, string glob, IReadOnlyList<string> header) =>
        $"{option} '{glob}': no column of {file} matches. Its columns are: {string.Join(", ", header.Select(h => "'" + h + "'"))}.";

    public static string NothingLeftAfterExclude(string file) =>
        $"{file}: --exclude leaves no predictor column; exclude fewer columns.";

    public static string TargetIsFeature(string name) =>
        $"column '{name}' is both the target (--target) and a feature (--features); a column cannot predict itself. Remove it from --features.";

    public static string DuplicateFeature(string name) =>
        $"column '{name}' is listed twice in --features; list each predictor once.";

    /// <summary>A column the model would use has no name in the header (1-based <paramref name="column"/>).</summary>
    public static string EmptyHeaderName(string file, int column, IReadOnlyList<string> header)
    {
        var named = header.Where(h => !string.IsNullOrWhiteSpace(h)).Select(ShellWord).ToList();
        var choose = named.Count >= 2
            ? $"choose the columns with -x and -y (here: -x {string.Join(",", named.Take(named.Count - 1))} -y {named[^1]})"
            : "choose the columns with -x and -y";
        return $"{file}:1:{column}: the header has an empty column name at column {column}"
            + (column == header.Count
                ? $" (the header line ends with a separator, so lsq sees an extra column). Remove the trailing separator, name the column, or {choose}."
                : $". Name the column in the header, or {choose}.");
    }

    /// <summary>A column name as it can be typed in a shell: quoted when it holds anything but letters, digits and <c>_.-</c>.</summary>
    private static string ShellWord(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-') ? name : "'" + name.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public static string DuplicateHeader(string file, string name) =>
        $"{file}: the header names column '{name}' more than once, so it cannot be chosen by name. Rename one of them, or use --no-header and column numbers.";

    public static string NoFeatures(string file) =>
        $"{file}: there is no column left to use as a predictor (only the target). Add a predictor column; if the file is separated by something other than ',', pass --delimiter (e.g. --delimiter ';' or --delimiter tab).";

    public static string DegreeNeedsOnePredictor(int count) =>
        $"--degree fits a polynomial in one predictor, but {count} were given. Pick one with --features.";

    /// <summary>A categorical column read as a number by another variable of the formula.</summary>
    public static string CategoricalAsNumber(string column, string variable, bool isText) =>
        isText
            ? $"formula: column '{column}' holds text, so it is categorical, but {variable} reads it as a number. Use it as a factor (by its name), or fix the column."
            : $"formula: column '{column}' is used both as a factor and as a number ({variable}); use one of the two.";

    /// <summary>--degree with a categorical predictor.</summary>
    public static string DegreeOfCategorical(string column) =>
        $"--degree takes a numeric predictor, but column '{column}' holds text (a categorical column).";
}
