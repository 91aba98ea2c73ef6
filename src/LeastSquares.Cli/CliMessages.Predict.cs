namespace LeastSquares.Cli;

// Saved models as predict reads them: their columns, convergence and inference.
internal static partial class CliMessages
{
    /// <summary>A column the saved model needs is not in the file; <paramref name="role"/> is "a predictor" or "its target".</summary>
    public static string MissingModelColumn(string file, string model, string name, string role, IReadOnlyList<string> header, bool hasHeader) =>
        $"{file} has no column '{name}', which the model {model} uses as {role}. {Columns(name, header)} "
        + (hasHeader
            ? "Give the file a column of that name (the order of the columns does not matter)."
            : "Without a header (--no-header) the columns are named V1, V2, ...; give the file a header line naming the model's columns.");

    public static string AmbiguousModelColumn(string file, string name, string role) =>
        $"{file}: the header names column '{name}' more than once, and the model needs it as {role}. Rename one of them.";

    public static string RankDeficientModel(string model, IReadOnlyList<string> aliased) =>
        $"the model in {model} comes from a rank-deficient fit: {string.Join(", ", aliased.Select(a => $"'{a}'"))} {(aliased.Count == 1 ? "is" : "are")} aliased (NA) and left out of every prediction, "
        + "as R's predict.lm does (prediction from a rank-deficient fit may be misleading): rows where the aliased columns do not follow the fitted rows' relation get the fitted rows' answer.";

    public static string PredictedNa(long rows, string file) =>
        $"{rows} row{(rows == 1 ? "" : "s")} of {file} had a missing predictor (--missing na): {(rows == 1 ? "its" : "their")} prediction is written as NA, as R's predict gives it.";

    public static string PredictMissingNaGrouped(string model) =>
        $"--missing na does not work yet with a model per group ({model}); a row with a missing cell stops the run. Drop --missing na, or fill in or remove the rows with missing cells first.";

    public static string UnconvergedModel(string model) =>
        $"the model in {model} comes from a gradient-descent run that did not converge; its predictions are not the least-squares ones. Refit with more --max-iter or --method normal.";

    public static string DiagnosticsWithoutTarget(string file, string model, string target) =>
        $"{file} has no column '{target}', the target of the model {model}: --diagnostics compares each row's '{target}' with its prediction. "
        + "Give the file that column, or leave out --diagnostics to predict only.";

    public static string NoInference(string model, string option, string why) =>
        $"{option} needs the fit's residual standard error and covariance, but the model {model} has none: {why}";

    public static string NoInferenceOldModel(int version) =>
        $"it is a version {version} model file, written before lsq saved them. Refit with 'lsq fit ... --save' and predict with the new file.";

    public const string NoInferencePenalized =
        "it is a penalized fit (ridge, lasso or elastic net), whose estimates are biased on purpose, so least-squares intervals do not hold for them. Refit without --penalty for intervals.";

    public const string NoInferenceUnconverged =
        "it comes from a gradient-descent run that did not converge, which is not the least-squares estimate. Refit with more --max-iter or --method normal, and save again.";

    public const string NoInferenceOther =
        "the fit had no residual degrees of freedom (as many coefficients as rows) or a rank-deficient design. Refit with more rows than coefficients.";

    /// <summary>A row whose prediction (or an end of its interval) <paramref name="name"/> is not finite: lsq fit refuses such rows too.</summary>
    public static string PredictionNotFinite(string file, long line, string name, double value, IReadOnlyList<string> predictors) =>
        $"{file}:{line}: the {name} of this row is {(double.IsNaN(value) ? "NaN" : value > 0 ? "Inf" : "-Inf")} ({string.Join(", ", predictors)}): "
        + "a term of the model is outside its domain there (log of 0 or less, sqrt of a negative) or the sum overflows (beyond ±1.8e308). "
        + "lsq works with finite values only and lsq fit refuses such rows too; leave the row out.";

    public static string NoModelFile(string path) => $"{path}: no such model file. Save one with 'lsq fit DATA --save {path}'.";

    /// <summary>A model file that fails a check; <paramref name="problem"/> says which.</summary>
    public static string InvalidModelFile(string file, string problem) =>
        $"{file}: {problem}. Model files are written by 'lsq fit --save'; refit to get a valid one.";

    /// <summary>predict's new column takes a name the input already has (chained predicts).</summary>
    public static string PredictColumnRenamed(string file, string name, string unique) =>
        $"{file} already has a column '{name}': the new one is named '{unique}' (as R's make.unique), so that every column keeps a name of its own.";
}
