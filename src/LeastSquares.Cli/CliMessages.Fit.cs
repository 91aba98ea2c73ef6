namespace LeastSquares.Cli;

// The fit's options: cross-validation folds, weights, robust and clustered covariance, --level.
internal static partial class CliMessages
{
    public const string FoldsReadOneInput =
        "--lambda auto's cross-validation reads one input: join the files first (e.g. 'cat a.csv <(tail -n +2 b.csv) | lsq fit ...'), or fit a fixed --lambda.";

    public static string ClusterVcov(string word) =>
        $"--cluster computes sandwich::vcovCL's HC1 (or HC0) covariance; --vcov {word} has no clustered form here. Use --vcov HC1 or HC0 with --cluster, or drop one of them.";

    public static string RobustNeedsSummary(string option) =>
        $"{option} changes the standard errors, t, p, intervals and F, which only --summary (or -f json) prints. Add --summary, or drop {option}.";

    /// <summary>--level given where no interval is printed (<paramref name="where"/> names what prints them).</summary>
    public static string LevelWithoutIntervals(string where) =>
        $"--level sets the level of the confidence intervals, which only {where} prints. Add {where.Split(" (", 2)[0]}, or drop --level.";

    public static string PolyFrameNeedsFile(string label) =>
        $"{label} with rows skipped for a missing cell (--missing skip): R builds poly()'s basis from every row where its argument is present, "
        + "the skipped rows too, so lsq reads the input again for it, and standard input cannot be read twice. Save the input to a file first, "
        + "or write poly(x, d, raw = TRUE) (the same fitted values).";

    public static string PolyFrameNot(string label, string what) =>
        $"{label} with rows skipped for a missing cell (--missing skip) does not work with {what} yet: R builds poly()'s basis from every row "
        + "where its argument is present, the skipped rows too, and that basis is not carried there. Write poly(x, d, raw = TRUE) (the same fitted values), "
        + "or drop the rows with missing cells from the input first.";

    public static string WeightsNot(string what) =>
        $"--weights does not work with {what} yet.";

    public static string RobustNot(string what) =>
        $"--vcov and --cluster need a second pass over the rows, which {what} cannot give.";

    public static string RobustNeedsFullRank =>
        "--vcov and --cluster need a least-squares fit with standard errors (full rank, not penalized, converged).";

    public static string AliasedClosedFormOnly(string method) =>
        $"--aliased na fits a rank-deficient design without its aliased columns by the closed-form methods; --method {method} has no such fallback. Use --method normal or qr, or drop --aliased.";

    public const string AliasedWithPenalty =
        "--aliased na is for least squares: a --penalty fit is well posed however collinear the columns, so nothing is aliased. Drop --aliased.";

    public const string AliasedNotRobust =
        "--aliased na does not work with --vcov or --cluster yet (their second pass needs a design of full rank). Leave the aliased terms out of the model, "
        + "which gives the same fit, or drop --vcov and --cluster.";

    public static string OneCluster(string column) =>
        $"--cluster {column}: the column holds one group only; clustered standard errors need at least 2 groups.";

    public static string BadLevel(string value) =>
        $"--level '{value}': a confidence level lies strictly between 0 and 1, e.g. 0.95 or 0.9.";

    public const string MaxGroupsWithoutBy = "--max-groups limits the groups of --by; add --by COLUMNS, or drop --max-groups.";

    public static string MoreFoldsThanRows(string file, int folds, long rows) =>
        $"--folds {folds} is more folds than the {rows} rows of {file}; give at most {rows}.";

    public static string UnknownFoldColumn(string file, string column, IReadOnlyList<string> header) =>
        $"--fold-column '{column}': no column of {file} has that name; its columns are {string.Join(", ", header)}.";

    public static string FoldColumnInModel(string column) =>
        $"--fold-column {column} is also in the model; the fold ids cannot be a predictor or the target.";

    public static string OneFold(string file, string column) =>
        $"--fold-column {column} holds one value only in {file}; cross-validation needs at least 2 folds.";

    public static string TooFewFolds(int folds) =>
        $"the rows fall in {folds} fold only; cross-validation needs at least 2.";

    public const string PartialsWithoutFolds =
        "--lambda auto reads the rows into folds as it goes; these partial fits carry no folds (write them with --partial --folds K or --fold-column COL), or give a number to --lambda.";

    public const string PenaltyNeedsIntercept = "--penalty needs the intercept (it is left unpenalized, as in glmnet and scikit-learn); drop --no-intercept.";

    public const string DescentPenaltyPlainColumns = "--penalty with gd/sgd works on plain columns; for polynomial terms drop --method (coordinate descent handles them).";

    public const string SgdNeedsRows = "--method sgd needs the data rows, which partial fits do not carry; use --method gd or normal with lsq merge.";

    public const string QrNeedsRows = "--method qr factorises the rows as they are read, and partial fits carry moments only; use --method normal (as accurate) with lsq merge.";

    public static string StrictNotConverged(bool stochastic) =>
        $"{(stochastic ? "stochastic " : "")}gradient descent did not converge and --strict is set; no result is printed.";

    public const string InitWithoutDescent = "--init gives gradient descent a starting point; it has no effect on the closed-form methods. Add --method gd or sgd, or drop --init.";
}
