namespace LeastSquares.Cli;

// lsq plot: the drawing library, fonts, traces, kinds of picture.
internal static partial class CliMessages
{
    /// <summary>SkiaSharp's native libraries are not where lsq looks for them (beside the executable).</summary>
    public static string NoDrawingLibrary(string folder)
    {
        string library = OperatingSystem.IsWindows() ? "libSkiaSharp.dll and libHarfBuzzSharp.dll"
            : OperatingSystem.IsMacOS() ? "libSkiaSharp.dylib and libHarfBuzzSharp.dylib"
            : "libSkiaSharp.so and libHarfBuzzSharp.so";
        return $"lsq plot cannot load its drawing library: {library} must sit beside the lsq executable, in {folder.TrimEnd('/', '\\')}. "
            + "A native build gets them from 'dotnet publish' (artifacts/aot/ beside lsq): copy them to that folder with lsq, as the README's install step does. "
            + "A .NET tool installed on a platform lsq has no drawing library for cannot plot there; docs/packaging.md lists the platforms. "
            + "lsq fit, predict and merge do not need them.";
    }

    public static string NotATrace(string file, string header, string expected) =>
        $"{file}:1: not a trace written by 'lsq fit --trace': its header is {Quote(header)}, but a trace starts with '{expected}'. Pass the file that --trace wrote.";

    public static string NegativeLoss(string file, long line, int column, double loss) =>
        $"{file}:{line}:{column}: the loss is {Num(loss)}, but a mean squared error is never negative. Pass the file that 'lsq fit --trace' wrote.";

    public const string NoFont =
        "no font found to draw the picture's text with (lsq looks in /usr/share/fonts). Install one, e.g. 'apt-get install fonts-dejavu-core' on Debian or Ubuntu, and run the command again.";

    public const string PlotNeedsOutput =
        "lsq plot needs the image file to write: add -o FILE.png or -o FILE.svg.";

    public static string PlotFormat(string path) =>
        $"-o {path}: the image format comes from the extension, which must be .png or .svg.";

    public const string PlotFileAndTrace =
        "lsq plot draws either a data file (its fit or residuals) or --trace loss curves, not both in one picture. Drop the FILE argument or --trace.";

    public static string NotForTraces(IReadOnlyList<string> options) =>
        $"{string.Join(", ", options)} {(options.Count == 1 ? "applies" : "apply")} to pictures of data, not to --trace loss curves; leave {(options.Count == 1 ? "it" : "them")} out.";

    public static string NotWithModel(IReadOnlyList<string> options) =>
        $"--model draws a saved model instead of fitting one, so {string.Join(", ", options)} ({(options.Count == 1 ? "a fit option" : "fit options")}) would be ignored. "
        + $"Drop {(options.Count == 1 ? "it" : "them")} to draw the saved model, or drop --model to fit the data.";

    public const string ExcessLossNeedsTrace =
        "--excess-loss draws loss curves less their least loss; it needs --trace FILE (a trace written by 'lsq fit --method gd --trace FILE').";

    public static string PathNeedsAuto(string kind, bool fixedLambda) => fixedLambda
        ? $"--kind {kind} draws the λ path that --lambda auto cross-validates; a fixed --lambda has no path. Use --lambda auto."
        : $"--kind {kind} draws the λ path of a penalized fit; add --penalty lasso (or ridge, elasticnet) --lambda auto.";

    public static string PathNotWithMethod(string kind) =>
        $"--kind {kind} fits the λ path by coordinate descent on the moments; --method does not apply. Drop --method.";

    public static string DiagnosticsNotPenalized(string kind) =>
        $"--kind {kind} shows the influence of each row on a least-squares fit (leverage, standardized residuals, Cook's distance); "
        + "a penalized fit has no such measures. Drop --penalty, or draw its path with --kind path or cv.";

    public static string PenaltyOnlyForPath(string kind) =>
        $"--penalty draws the λ path of a penalized fit with --kind path or --kind cv, not --kind {kind}. Add --kind path or cv, or drop --penalty.";

    public static string KindNotWithModel(string kind) =>
        $"--kind {kind} needs the fit of the data itself, which --model does not carry. Drop --model to fit the data.";

    public static string DiagnosticsNeedFullRank(string name, long rows, int coefficients) =>
        $"{name}: the fit of {rows} row{(rows == 1 ? "" : "s")} with {coefficients} coefficient{(coefficients == 1 ? "" : "s")} has no residual degrees of freedom or no unique coefficients, "
        + "so leverage and standardized residuals are not defined. Use more rows or fewer terms.";

    public static string ZeroLossesHidden(string name, int count) =>
        $"{name}: {count} iteration{(count == 1 ? "" : "s")} with loss 0 cannot be shown on the log scale and {(count == 1 ? "is" : "are")} left out of the picture.";
}
