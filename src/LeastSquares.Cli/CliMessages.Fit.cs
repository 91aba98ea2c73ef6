namespace LeastSquares.Cli;

// The fit's options: cross-validation folds, weights, robust and clustered covariance, --level.
internal static partial class CliMessages
{
    public const string FoldsReadOneInput =
        "--lambda auto's cross-validation reads one input: join the files first (e.g. 'cat a.csv <(tail -n +2 b.csv) | lsq fit ...'), or fit a fixed --lambda.";

    /// <summary>Cross-validation folds (--lambda auto, --folds, --fold-column) with a categorical column.</summary>
    public static string FoldsWithFactors(string column) =>
        $"cross-validation folds do not take categorical columns yet ('{column}' is one); give --lambda a number, or leave the column out.";

    /// <summary>--weights, --vcov or --cluster with a categorical column.</summary>
    public static string InferenceRowsWithFactors(string column) =>
        $"--weights, --vcov and --cluster do not take categorical columns yet ('{column}' is one); drop them, or leave the column out.";

    public static string ClusterVcov(string word) =>
        $"--cluster computes sandwich::vcovCL's HC1 (or HC0) covariance; --vcov {word} has no clustered form here. Use --vcov HC1 or HC0 with --cluster, or drop one of them.";

    public static string RobustNeedsSummary(string option) =>
        $"{option} changes the standard errors, t, p, intervals and F, which only --summary (or -f json) prints. Add --summary, or drop {option}.";

    public static string WeightsNot(string what) =>
        $"--weights does not work with {what} yet.";

    public static string RobustNot(string what) =>
        $"--vcov and --cluster need a second pass over the rows, which {what} cannot give.";

    public static string RobustNeedsFullRank =>
        "--vcov and --cluster need a least-squares fit with standard errors (full rank, not penalized, converged).";

    public static string OneCluster(string column) =>
        $"--cluster {column}: the column holds one group only; clustered standard errors need at least 2 groups.";

    public static string BadLevel(string value) =>
        $"--level '{value}': a confidence level lies strictly between 0 and 1, e.g. 0.95 or 0.9.";
}
