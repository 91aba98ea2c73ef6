using System.Globalization;

namespace LeastSquares.Cli;

// Option values the parser or the settings refuse: numbers, lists, separators, and options that do not go together.
internal static partial class CliMessages
{
    public static string NumericNaValue(string text) =>
        $"--na-values '{text}': a number cannot mark a missing value here (a cell that reads as a number is read as that number, "
        + "so the sentinel would be fitted as data). Turn the sentinel into NA in the file first (e.g. with sed or mlr), then run lsq.";

    public static string EmptyFileName(string option) => $"{option} '' is an empty file name (an unset shell variable?); give {option} FILE.";

    public static string UnknownOption(string option) => $"unknown option '{option}'.";

    /// <summary>An unknown option, with the one option of the command it is most likely a slip of.</summary>
    public static string UnknownOption(string option, IEnumerable<string> known) =>
        $"unknown option '{option}'." + DidYouMean(option.Split('=', 2)[0], known);

    public static string UnknownCommand(string command, IReadOnlyList<string> commands) =>
        $"unknown command '{command}'.{DidYouMean(command, commands)} The commands are: {string.Join(", ", commands)}.";

    public static string UnknownValue(string option, string value, IReadOnlyList<string> choices) =>
        Suggestion(value, choices) is { } close
            ? $"{option} '{value}': unknown value; did you mean '{close}'? Use one of: {string.Join(", ", choices)}."
            : $"{option} '{value}': unknown value; use one of: {string.Join(", ", choices)}.";

    public static string BadWholeNumber(string option, string text, string min, string max) =>
        $"{option} '{text}': give a whole number from {min} to {max}.";

    /// <summary>A number option's value that is not a finite number from <paramref name="min"/> (null: no bound but 0).</summary>
    public static string BadReal(string option, string text, string? min, bool minExclusive) =>
        $"{option} '{text}': give a {(min is null ? minExclusive ? "positive" : "non-negative" : "finite")} number written with '.' for the decimal point, e.g. 0.01 or 1e-3"
        + (min is not null ? $", {(minExclusive ? "above" : "at least")} {min}." : ".");

    public const string DecimalCommaWithComma =
        "--decimal ',' with --delimiter ',': a comma cannot both separate fields and mark decimals; give --delimiter ';' (R's write.csv2) or leave it out.";

    public static string BadDecimal(string? text) => $"--decimal '{text}': give '.' or ','.";

    public static string BadDelimiter(string? text) => $"--delimiter '{text}': give one ASCII character (not a quote or line break), or 'tab'.";

    public static string EmptyListEntry(string option, string text) =>
        $"{option} '{text}': the list has an empty entry; separate column names with single commas.";

    public static string WideNeedsCsv(string format) =>
        $"--wide puts one model on one row of csv or tsv; add -f csv or -f tsv (the {format} format has its own shape).";

    public static string AutoLambdaWithMethod(string method) =>
        $"--lambda auto cross-validates by coordinate descent; --method {method} takes a fixed --lambda. Give a number, or drop --method.";

    public const string DescentPenaltyOptimizer = "--penalty with gd/sgd takes plain proximal steps; drop --optimizer.";

    public static string FoldsBelowTwo(int folds) => $"--folds {folds}: cross-validation needs at least 2 folds.";

    public static string PenaltyWithMethod(string penalty, string method) =>
        $"--penalty {penalty} is fitted by coordinate descent on the moments (ridge in closed form), or by proximal gradient descent with --method gd or sgd; --method {method} does not apply.";

    public static string BadL1Ratio(double ratio) =>
        $"--l1-ratio '{ratio.ToString(CultureInfo.InvariantCulture)}': give a number from 0 (ridge) to 1 (lasso).";

    public static string PenaltyNeedsLambda(string penalty) =>
        $"--penalty {penalty} needs --lambda: a number >= 0, or auto to choose it by cross-validation.";

    public static string BadLambda(string text) =>
        $"--lambda '{text}': give a number >= 0 written with '.' for the decimal point (e.g. 0.5 or 1e-3), or auto.";

    public static string PenaltyOnlyOption(string option) =>
        $"{option} sets up a penalized fit; add --penalty ridge, lasso or elasticnet, or drop {option}.";

    public static string DescentOnlyOption(string option, string method) =>
        $"{option} steers gradient descent and has no effect with --method {method}. Add --method gd (or sgd), or drop {option}.";

    public static string SgdOnlyOption(string option, string method) =>
        $"{option} applies to --method sgd only; it has no effect with --method {method}. Add --method sgd, or drop {option}.";

    public static string SeedWithoutPenalty(string option) =>
        $"{option} seeds the folds of --lambda auto; it has no effect without a penalty. Drop {option}.";

    public static string FoldsWithFoldColumn(string option) =>
        $"{option} assigns rows to folds by a hash; --fold-column gives the folds itself. Drop one of them.";

    public static string DescentOptionWithPenalty(string option) =>
        $"{option} steers gradient descent and has no effect with --penalty unless --method gd or sgd. Add --method gd, or drop {option}.";

    public static string L1RatioFixed(string option, string penalty, double ratio) =>
        $"{option} sets the lasso's share of an elastic net; --penalty {penalty} fixes it at {ratio}. Use --penalty elasticnet, or drop {option}.";

    public static string AutoOnlyOption(string option) =>
        $"{option} steers the cross-validation of --lambda auto; it has no effect with a fixed --lambda. Use --lambda auto, or drop {option}.";
}
