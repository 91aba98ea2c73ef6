using System.Globalization;

namespace LeastSquares.Cli;

// --by: one model per group.
internal static partial class CliMessages
{
    public static string GroupedPredictNoInference(string option) =>
        $"{option} does not work with a model saved by fit --by yet: predict each group with a model saved from that group alone.";

    /// <summary>A group's values as messages show them: region=north, year=2020.</summary>
    public static string Group(IReadOnlyList<string> by, IReadOnlyList<string> values) =>
        string.Join(", ", by.Select((name, i) => $"{name}={Quote(values[i])}"));

    public static string PartialGroupingDiffers(string where, string firstWhere) =>
        $"{where}: this partial and the one at {firstWhere} differ: one is of a fit per group (--by), the other of all rows. Merge partials written with the same --by.";

    public static string TooManyGroups(string file, IReadOnlyList<string> by, int max) =>
        $"{file}: --by {string.Join(",", by)} makes more than {max.ToString(CultureInfo.InvariantCulture)} groups; lsq keeps one model per group in memory. "
        + "Raise --max-groups, or group by fewer or coarser columns.";

    public static string ByColumnInModel(string name) =>
        $"--by column '{name}' is also in the model; a group column cannot be a predictor or the target. Leave it out of --features, --target or the formula.";

    public static string ByNotWith(string option, string reason) =>
        $"{option} does not work with --by: {reason}";

    public static string GroupFailed(IReadOnlyList<string> by, IReadOnlyList<string> values, string error) =>
        $"group {Group(by, values)} was not fitted: {error}";

    public static string StrictGroupFailed(IReadOnlyList<string> by, IReadOnlyList<string> values, string error, int failed, int groups) =>
        $"group {Group(by, values)} cannot be fitted ({error.TrimEnd('.')}), and --strict is set; no result is printed "
        + $"({failed.ToString(CultureInfo.InvariantCulture)} of {groups.ToString(CultureInfo.InvariantCulture)} groups failed). Drop --strict to get the other groups' fits with an error field for this one.";

    public static string UnseenGroup(string file, long line, string model, IReadOnlyList<string> by, IReadOnlyList<string> values) =>
        $"{file}:{line.ToString(CultureInfo.InvariantCulture)}: the row's group {Group(by, values)} is not in {model}, which has a model per group of --by {string.Join(",", by)}. "
        + "Refit with the rows of that group, or leave its rows out.";

    public static string MissingGroupColumn(string file, string model, string name, IReadOnlyList<string> header) =>
        $"{file}: no column '{name}', which {model} groups its models by (--by); its columns are {string.Join(", ", header)}.";

    public static string PlotTooManyGroups(string file, IReadOnlyList<string> by, int max) =>
        $"{file}: --by {string.Join(",", by)} makes more than {max.ToString(CultureInfo.InvariantCulture)} groups, and lsq plot draws at most {max.ToString(CultureInfo.InvariantCulture)} panels in one picture. "
        + "Group by fewer or coarser columns, or plot the groups you want from their rows, e.g. mlr --icsv --ocsv filter '$region == \"north\"' data.csv | lsq plot -o north.png.";

    public static string PlotByNotWithKind(string kind) =>
        $"--kind {kind} draws one fit, and a picture per group of it is not there yet; use --kind fit or residuals with --by, or plot a group from its rows alone.";

    public static string PlotGroupNotInModel(string model) => $"no model in {Path.GetFileName(model)}";

    public static string PlotGroupUnfitted => "not fitted";

    public static string PlotGroupNoLine(string reason) =>
        $"its panel shows no fit: {reason.TrimEnd('.')}.";

    public static string UnfittedGroup(string file, long line, string model, IReadOnlyList<string> by, IReadOnlyList<string> values) =>
        $"{file}:{line.ToString(CultureInfo.InvariantCulture)}: the row's group {Group(by, values)} has no model in {model}: its fit failed. "
        + "Leave its rows out, or refit when it has enough rows.";
}
