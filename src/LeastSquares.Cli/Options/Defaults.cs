using LeastSquares.Cli.Input;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Options;

/// <summary>
/// Every default of the command line, declared once: the options' help, the settings records and
/// the readers all take their values from here.
/// </summary>
/// <remarks>
/// The solver's defaults are the core's own (<see cref="SolverOptions"/>), so that the library used
/// without the CLI behaves as <c>lsq</c> does; they are read from it rather than written twice.
/// </remarks>
internal static class Defaults
{
    private static readonly SolverOptions Solver = new();

    /// <summary>normal: the fastest exact method, and exact is what a least-squares tool should give unasked.</summary>
    public static FitMethod Method => Solver.Method;

    /// <summary>1000: plenty for well-scaled problems with the automatic learning rate.</summary>
    public static int MaxIterations => Solver.MaxIterations;

    /// <summary>1e-10, relative to the starting gradient: well past what the printed digits show, short of rounding noise.</summary>
    public static double Tolerance => Solver.Tolerance;

    /// <summary>Standard scaling: it makes the automatic learning rate near optimal.</summary>
    public static FeatureScaling Scaling => Solver.Scaling;

    public static LearningRateSchedule Schedule => Solver.Schedule;

    public static Optimizer Optimizer => Solver.Optimizer;

    /// <summary>32 rows: the usual mini-batch, small enough to be stochastic, big enough to vectorise.</summary>
    public static int BatchSize => Solver.BatchSize;

    /// <summary>A fixed seed (1), so that two runs of sgd, or two plots, are the same unless asked otherwise.</summary>
    public static int Seed => Solver.Seed;

    /// <summary>An elastic net half lasso, half ridge (scikit-learn's ElasticNet default).</summary>
    public const double L1Ratio = 0.5;

    /// <summary>100 λ values on the path, as glmnet and scikit-learn.</summary>
    public const int LambdaCount = 100;

    /// <summary>10 folds, as cv.glmnet and common practice.</summary>
    public const int Folds = 10;

    /// <summary>0.95: R's confint and predict default, the level most readers expect.</summary>
    public const double Level = 0.95;

    /// <summary>Degree 1: a straight line in each predictor, the linear model the user asked for.</summary>
    public const int Degree = 1;

    /// <summary>A table: people read stdout first; scripts ask for json or csv.</summary>
    public const OutputFormat Format = OutputFormat.Table;

    /// <summary>A rank-deficient design stops the run naming the columns (the SPEC: never answered silently); --aliased na is R's lm.</summary>
    public const AliasedPolicy Aliased = AliasedPolicy.Error;

    /// <summary>An empty cell stops the run: data silently left out would change the fit without a word.</summary>
    public const MissingPolicy Missing = MissingPolicy.Error;

    /// <summary>Cell texts read as missing besides the empty cell (--na-values): R's <c>NA</c>.</summary>
    public static readonly IReadOnlyList<string> NaValues = ["NA"];

    /// <summary>Plot size in pixels: 800×600 reads well on a screen and in a report.</summary>
    public const int PlotWidth = 800;

    public const int PlotHeight = 600;

    /// <summary>Most rows drawn: enough to show the shape, few enough to stay readable and quick.</summary>
    public const int MaxPoints = 10_000;

    /// <summary>Files smaller than this are read by one thread (a part costs a file open and a buffer).</summary>
    /// <summary>--max-groups: the most groups --by may make (one model each, O(p²) memory each).</summary>
    public const int MaxGroups = 10_000;

    /// <summary>The most groups lsq plot --by draws, a panel each, in one picture (5 × 5): more would not be readable.</summary>
    public const int MaxFacets = 25;

    public const long ParallelMinBytes = 16L << 20;

    /// <summary>Size of the parts of a big file; fixed by the file, not by the number of threads, so the result does not depend on it.</summary>
    public const long ParallelPartBytes = 16L << 20;
}
