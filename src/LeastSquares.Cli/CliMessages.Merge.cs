namespace LeastSquares.Cli;

// Partials, lsq merge and lsq anova.
internal static partial class CliMessages
{
    public static string WeightedMix(string weighted, string unweighted) =>
        $"{weighted}: this partial's rows are weighted (--weights) and those of {unweighted} are not; partials of one fit are all weighted by the same column, or none is.";

    public static string NotNested(string small, string big, string why) =>
        $"'{small}' is not nested in '{big}': {why}. anova compares a model with a larger one that holds every term of it; give the smaller model first.";

    public static string AnovaFormulas(int count) =>
        $"lsq anova takes one formula (the sequential table) or two (the smaller model, then the larger), not {count}.";

    public static string AnovaFiles(IReadOnlyList<string> files) =>
        $"lsq anova reads one input, but {files.Count} were given ({string.Join(", ", files)}); an argument containing '~' is a formula.";

    public static string CorruptPartial(string where, string reason) =>
        $"{where}: not a usable lsq partial: {reason}. A partial is the one line of JSON that 'lsq fit --partial' writes; write it again (the file may be truncated or come from another program).";

    public static string PartialSchemaVersion(string where, long version, int expected, string lsqVersion) =>
        $"{where}: the partial has schema version {version}, but lsq {lsqVersion} reads version {expected} only. Write every partial with the same lsq version.";

    public static string PartialModelDiffers(string where, string what, string value, string firstWhere, string firstValue) =>
        $"{where}: the partial's {what} is {value}, but the first partial ({firstWhere}) has {firstValue}. Partials merge only when they come from the same model: run every 'lsq fit --partial' with the same --target, --features, --degree and --no-intercept.";

    public static string NoPartials(string sources) =>
        $"no partials to merge: {sources} held no lines. Pass the files that 'lsq fit --partial' wrote, or pipe them in, one per line.";

    public static string NothingToMerge(string sources) =>
        $"{sources} held no partials, so --partial writes nothing (an empty part of a tree reduction); the final 'lsq merge' needs at least one.";

    public static string EmptyInputModelUnknown(string file) =>
        $"{file}: the input is empty, so there is no header to name the model's columns. Name them with --features and --target (by number with --no-header) so that an empty part still writes a partial of the right model.";

    public static string NotWithPartial(string option) =>
        $"{option} has no effect with --partial, which writes the state to merge instead of a fit. Give {option} to 'lsq merge', which solves.";
}
