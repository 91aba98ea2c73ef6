using System.Globalization;
using System.Text.RegularExpressions;
using LeastSquares.Terms.Formulas;

namespace LeastSquares.Cli;

/// <summary>Texts of the CLI's error messages, in one place.</summary>
internal static partial class CliMessages
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

    /// <summary>A write to standard output failed; <paramref name="full"/> when the disk or quota is full.</summary>
    public static string CannotWriteStandardOutput(string reason, bool full) =>
        $"cannot write the output to standard output: {reason}. The output is incomplete; "
        + (full ? "free some space or redirect it elsewhere, then run again." : "redirect it to a file or pipe that can be written (or use -o FILE), then run again.");

    /// <summary>Writing an output file failed; the file was left as it was (it is written through a temporary file).</summary>
    public static string CannotWriteFile(string path, string reason, bool full) =>
        $"cannot write {path}: {reason}. Nothing was written to it; "
        + (full ? "free some space or choose another folder, then run again." : "check the folder's permissions or choose another path, then run again.");

    public static string EmptyFile(string file) =>
        $"{file}: the input is empty; lsq needs a header line and at least one data row.";

    /// <summary>SkiaSharp's native libraries are not where lsq looks for them (beside the executable).</summary>
    public static string NoDrawingLibrary(string folder)
    {
        string library = OperatingSystem.IsWindows() ? "libSkiaSharp.dll and libHarfBuzzSharp.dll"
            : OperatingSystem.IsMacOS() ? "libSkiaSharp.dylib and libHarfBuzzSharp.dylib"
            : "libSkiaSharp.so and libHarfBuzzSharp.so";
        return $"lsq plot cannot load its drawing library: {library} must sit beside the lsq executable, in {folder.TrimEnd('/', '\\')}. "
            + "They come with it from 'dotnet publish' (artifacts/aot/ beside lsq); copy them to that folder with lsq, as the README's install step does. "
            + "lsq fit, predict and merge do not need them.";
    }

    public static string NoRows(string file) => $"{file}: the input has a header but no data rows.";

    public static string FormulaArguments(IReadOnlyList<string> formulas) =>
        $"{formulas.Count} arguments contain '~' ({string.Join(", ", formulas.Select(f => $"'{f}'"))}); the model is one formula.";

    public static string GroupedPredictNoInference(string option) =>
        $"{option} does not work with a model saved by fit --by yet: predict each group with a model saved from that group alone.";

    public static string ByWithFactors(string column) =>
        $"--by does not work with a categorical column in the model ('{column}') yet: fit each group alone (e.g. filter the rows with mlr or awk), or leave the factor out.";

    public const string FoldsReadOneInput =
        "--lambda auto's cross-validation reads one input: join the files first (e.g. 'cat a.csv <(tail -n +2 b.csv) | lsq fit ...'), or fit a fixed --lambda.";

    public const string FormulaTwice = "the formula is given twice (as an argument and with -F); give it once.";

    public static string FormulaWithColumnOptions(string option) =>
        $"{option} cannot be combined with a formula: the formula states the whole model (write 'y ~ x1 + x2', 'y ~ poly(x, 3, raw = TRUE)' or 'y ~ x - 1' instead).";

    public static string BadFormula(FormulaException e) => $"formula: {e.Reason}:{Environment.NewLine}{e.Caret()}";

    public static string FormulaNotSupported(string what) => $"formula: {what} is not supported yet (numeric columns, factors, transforms, interactions and poly() are).";

    public static string UnknownColumn(string file, string option, string name, IReadOnlyList<string> header) =>
        $"{option} '{name}': {file} has no such column. {Columns(name, header)}";

    /// <summary>At most this many column names are listed in full; past it, the nearest ones and the count.</summary>
    private const int ListedColumns = 12;

    /// <summary>
    /// What the file has instead of <paramref name="name"/>: every column of a narrow file, the
    /// closest names and the count of a wide one (a 200-column file would otherwise print 2 KB),
    /// and, when the header is one field holding a ';', a tab or a '|', the --delimiter to try.
    /// </summary>
    internal static string Columns(string name, IReadOnlyList<string> header)
    {
        static string Quote(string h) => "'" + h + "'";
        var text = header.Count <= ListedColumns
            ? $"Its columns are: {string.Join(", ", header.Select(Quote))}."
            : $"It has {header.Count} columns; the nearest names are {string.Join(", ", Nearest(name, header, 5).Select(Quote))}.";
        if (header.Count == 1)
        {
            foreach (var (c, word) in new[] { (';', "';'"), ('\t', "tab"), ('|', "'|'") })
            {
                if (header[0].Contains(c, StringComparison.Ordinal))
                {
                    return text + $" The header is one field holding {(c == '\t' ? "tabs" : $"'{c}'")}: if the file is separated by {(c == '\t' ? "tabs" : $"'{c}'")}, pass --delimiter {word}.";
                }
            }
        }

        return text;
    }

    /// <summary>The <paramref name="count"/> names closest to <paramref name="name"/> (edit distance, ignoring case; ties in file order).</summary>
    internal static IEnumerable<string> Nearest(string name, IReadOnlyList<string> header, int count) =>
        header.Select((h, i) => (h, i, d: Distance(name.ToUpperInvariant(), h.ToUpperInvariant())))
            .OrderBy(t => t.d).ThenBy(t => t.i).Take(count).Select(t => t.h);

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

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

    public static string UnsupportedCompression(string file, string format, string command) =>
        $"{file} is {format}-compressed, which lsq does not read; decompress it into lsq's standard input, e.g. '{command} {(file == Input.InputFile.StdinName ? "FILE" : file)} | lsq fit ...'. lsq reads gzip and zstd itself.";

    public static string TruncatedGzip(string file, uint size, long read) =>
        $"{file}: the gzip data is corrupt or cut short (its trailer records {size} bytes mod 2^32, {read} were decompressed); no result was written. A file of several gzip members joined (cat a.gz b.gz) is checked by its last member only: read it with 'gzip -dc {file} | lsq fit ...'.";

    public static string CorruptCompressed(string file, string format, string detail) =>
        $"{file}: the {format} data is corrupt or cut short ({detail.TrimEnd('.')}); no result was written.";

    public static string HeadersDiffer(string file, string first, string difference) =>
        $"{file}: its header differs from that of {first} ({difference}); the inputs are read as one file, so every header must be the same.";

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

    public static string RaggedRow(string file, long line, int expected, int actual) =>
        $"{file}:{line}: the row has {actual} field{(actual == 1 ? "" : "s")} but the header has {expected}. Every row needs one value per column.";

    public static string NotANumber(string file, long line, int column, string name, string text, bool decimalComma = false, bool factorHint = false) =>
        decimalComma
            ? $"{file}:{line}:{column}: column '{name}' holds {Quote(text)}, which is not a number. With --decimal ',' numbers are written like 1,5, -2, 3e-4 (',' for the decimal mark, no thousands separators)."
            : $"{file}:{line}:{column}: column '{name}' holds {Quote(text)}, which is not a number. Numbers are written like 1.5, -2, 3e-4 ('.' for the decimal point, no thousands separators)."
              + (DecimalCommaNumber().IsMatch(text) ? " For numbers with a decimal comma (R's write.csv2), give --decimal ','." : "")
              + (factorHint && !DecimalCommaNumber().IsMatch(text) ? $" Its first cells are numbers, so it was read as numeric; if it is categorical, write factor({Input.ModelColumns.FormulaName(name)}) in a formula." : "");

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*[-+]?[0-9]+,[0-9]+\s*$")]
    private static partial System.Text.RegularExpressions.Regex DecimalCommaNumber();

    /// <summary>A categorical column read as a number by another variable of the formula.</summary>
    public static string CategoricalAsNumber(string column, string variable, bool isText) =>
        isText
            ? $"formula: column '{column}' holds text, so it is categorical, but {variable} reads it as a number. Use it as a factor (by its name), or fix the column."
            : $"formula: column '{column}' is used both as a factor and as a number ({variable}); use one of the two.";

    /// <summary>Cross-validation folds (--lambda auto, --folds, --fold-column) with a categorical column.</summary>
    public static string FoldsWithFactors(string column) =>
        $"cross-validation folds do not take categorical columns yet ('{column}' is one); give --lambda a number, or leave the column out.";

    /// <summary>--weights, --vcov or --cluster with a categorical column.</summary>
    public static string InferenceRowsWithFactors(string column) =>
        $"--weights, --vcov and --cluster do not take categorical columns yet ('{column}' is one); drop them, or leave the column out.";

    /// <summary>--degree with a categorical predictor.</summary>
    public static string DegreeOfCategorical(string column) =>
        $"--degree takes a numeric predictor, but column '{column}' holds text (a categorical column).";

    /// <summary>A categorical cell whose level the saved model never saw.</summary>
    public static string UnseenLevel(string file, long line, int column, string name, string level, IReadOnlyList<string> known) =>
        $"{file}:{line}:{column}: column '{name}' holds the level {Quote(level)}, which the model was not fitted with; its levels are "
        + string.Join(", ", known.Take(ListedColumns).Select(Quote)) + (known.Count > ListedColumns ? $" and {known.Count - ListedColumns} more" : "")
        + ". A model has no coefficient for a level it never saw: refit with rows of that level, or leave the row out.";

    public static string NotFinite(string file, long line, int column, string name, string text) =>
        $"{file}:{line}:{column}: column '{name}' holds {Quote(text)}, which is not a finite number. lsq works with finite values only; remove the row or fix the value.";

    public static string NegativeWeight(string file, long line, int column, string name, string text) =>
        $"{file}:{line}:{column}: the weight in column '{name}' is {Quote(text)}, which is negative. Weights are numbers >= 0 (a row of weight 0 is left out).";

    public static string MissingWeight(string file, long line, int column, string name, string text) =>
        $"{file}:{line}:{column}: the weight in column '{name}' is missing ({Quote(text)}). Every row needs a weight; fill it in, or give the row weight 0 to leave it out.";

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

    public static string WeightedMix(string weighted, string unweighted) =>
        $"{weighted}: this partial's rows are weighted (--weights) and those of {unweighted} are not; partials of one fit are all weighted by the same column, or none is.";

    public static string NotNested(string small, string big, string why) =>
        $"'{small}' is not nested in '{big}': {why}. anova compares a model with a larger one that holds every term of it; give the smaller model first.";

    public static string AnovaFormulas(int count) =>
        $"lsq anova takes one formula (the sequential table) or two (the smaller model, then the larger), not {count}.";

    public static string AnovaFiles(IReadOnlyList<string> files) =>
        $"lsq anova reads one input, but {files.Count} were given ({string.Join(", ", files)}); an argument containing '~' is a formula.";

    public static string EmptyCell(string file, long line, int column, string name, bool offersSkip = true) =>
        $"{file}:{line}:{column}: column '{name}' is empty. Fill in the value"
        + (offersSkip ? ", or pass --missing skip to leave out rows with empty cells." : ", or remove the row.");

    public static string MissingCell(string file, long line, int column, string name, string text, bool offersSkip = true) =>
        $"{file}:{line}:{column}: column '{name}' is missing ({Quote(text)}). Fill in the value"
        + (offersSkip ? ", or pass --missing skip to leave out rows with missing values." : ", or remove the row.");

    /// <summary>A column the saved model needs is not in the file; <paramref name="role"/> is "a predictor" or "its target".</summary>
    public static string MissingModelColumn(string file, string model, string name, string role, IReadOnlyList<string> header, bool hasHeader) =>
        $"{file} has no column '{name}', which the model {model} uses as {role}. {Columns(name, header)} "
        + (hasHeader
            ? "Give the file a column of that name (the order of the columns does not matter)."
            : "Without a header (--no-header) the columns are named V1, V2, ...; give the file a header line naming the model's columns.");

    public static string AmbiguousModelColumn(string file, string name, string role) =>
        $"{file}: the header names column '{name}' more than once, and the model needs it as {role}. Rename one of them.";

    public static string UnconvergedModel(string model) =>
        $"the model in {model} comes from a gradient-descent run that did not converge; its predictions are not the least-squares ones. Refit with more --max-iter or --method normal.";

    public static string Malformed(string file, long line, string reason) =>
        $"{file}:{line}: malformed CSV: {WithoutReaderPosition(reason)}";

    /// <summary>
    /// CsvHelper's reason without its own record, line and byte offset, which count from where
    /// its reader started (a part of a big file, or the point where the fast reader handed over)
    /// and would contradict the line of the whole file given before it.
    /// </summary>
    private static string WithoutReaderPosition(string reason)
    {
        reason = Regex.Replace(reason, @"^Malformed CSV in record \d+ \(line \d+\): ", "", RegexOptions.CultureInvariant);
        return Regex.Replace(reason, @" \(byte offset \d+\)(?=\.?$)", "", RegexOptions.CultureInvariant);
    }

    public static string SkippedRows(long skipped, string? file) =>
        $"skipped {skipped} row{(skipped == 1 ? "" : "s")}{(file is null ? "" : " of " + file)} with missing values (--missing skip).";

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

    public const string StdinTwice = "'-' (standard input) is given more than once; it can be read only once.";

    public static string EmptyInputModelUnknown(string file) =>
        $"{file}: the input is empty, so there is no header to name the model's columns. Name them with --features and --target (by number with --no-header) so that an empty part still writes a partial of the right model.";

    public static string NotWithPartial(string option) =>
        $"{option} has no effect with --partial, which writes the state to merge instead of a fit. Give {option} to 'lsq merge', which solves.";

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

    public static string BadLevel(string value) =>
        $"--level '{value}': a confidence level lies strictly between 0 and 1, e.g. 0.95 or 0.9.";

    public static string BadThreads(string value) =>
        $"LSQ_THREADS is '{value}', but it must be a whole number from 0 to 256: the threads that read a big file, 0 for one per core (as when it is unset), 1 to read its parts one after another. Fix or unset it.";

    // The core's failures and warnings are typed facts; these are their words on the command line.

    /// <summary>The words for a fit's <paramref name="warning"/>, without the "warning:" prefix.</summary>
    public static string Warning(FitWarning warning) => warning switch
    {
        IllConditioned w => IllConditioned(w),
        RateAboveStabilityLimit w => $"--alpha {Num(w.Rate)} is above the stability limit 2/λmax = {Num(w.Limit)} of this problem; plain gradient descent will diverge.",
        NotConverged w => NotConverged(w),
        CoordinateDescentNotConverged w => $"coordinate descent stopped after {w.Sweeps} sweeps without meeting its stopping rule; the coefficients may be a little off.",
        InferenceWithheld w => $"no standard errors, t, p, intervals or F: the {w.Method} fit did not converge, so its coefficients are not the least-squares estimates they describe. Raise --max-iter, or use --method normal for the exact estimate and its inference.",
        _ => throw new ArgumentOutOfRangeException(nameof(warning), warning, "A warning without words."),
    };

    /// <summary>The words for a numerical failure of the core.</summary>
    public static string Failure(NumericalException failure) => failure switch
    {
        InsufficientDataException e => TooFewRows(e.Rows, e.Coefficients),
        SingularDesignException e => Singular(e.Defect),
        DivergenceException e => Diverged(e),
        _ => failure.Message,
    };

    private static string IllConditioned(IllConditioned w)
    {
        var size = double.IsFinite(w.ConditionNumber)
            ? $"condition number {Num(w.ConditionNumber)}"
            : "condition number too large to estimate, beyond about 1e16";
        return w.RawPowersOf is { } x
            ? $"the raw powers of '{x}' are nearly collinear ({size}). lsq fits in centred powers, so the "
                + "coefficients are those of the data, but each one is very sensitive to small changes in the data; "
                + $"centring '{x}' yourself gives coefficients that are easier to interpret."
            : $"the design is ill-conditioned ({size}): small changes in the data move the coefficients a lot. "
                + "Consider dropping or combining nearly collinear predictors.";
    }

    private static string TooFewRows(long rows, int coefficients) =>
        $"{rows} data row{(rows == 1 ? "" : "s")} but the model has {coefficients} coefficient{(coefficients == 1 ? "" : "s")}: "
        + "a least-squares fit needs at least as many rows as coefficients. Add rows, or drop predictors or lower --degree.";

    private static string Singular(DesignDefect defect) => defect switch
    {
        ConstantColumn d =>
            $"column '{d.Column}' is constant (every value is {Num(d.Value)}), so its coefficient cannot be told apart from the intercept. "
            + "Drop it from --features.",
        ZeroColumn d => $"column '{d.Column}' is zero in every row, so its coefficient is undetermined. Drop it from --features.",
        CollinearColumns d => Collinear(d),
        CollinearPowers d =>
            $"the terms of the degree-{d.Degree} polynomial in '{d.Column}' are numerically collinear: either '{d.Column}' takes fewer than "
            + $"{d.Degree + (d.Intercept ? 1 : 0)} distinct values, or its range is too narrow for its distance from 0"
            + (d.Intercept ? "" : " (without an intercept the raw powers of values far from 0 are nearly proportional)")
            + $". Lower --degree{(d.Intercept ? "" : ", keep the intercept")}, or centre '{d.Column}' before fitting.",
        PolynomialTooFewPoints d =>
            $"{d.Label}: the degree must be less than the number of distinct values of its argument (R's poly() says the same). Lower the degree.",
        PolynomialFarFromZero d =>
            $"{d.Label}: its argument is too far from 0 for its spread to give the degree-{d.Degree} basis to 12 digits in one pass "
            + "(lsq accumulates only the first poly() of a column around the data). Subtract a value near its mean inside poly(), e.g. poly(I(x - 1000), d), or put this poly() first.",
        _ => throw new ArgumentOutOfRangeException(nameof(defect), defect, "A defect without words."),
    };

    private static string Collinear(CollinearColumns d)
    {
        var relation = string.Join(" + ", d.Others.Select(o => $"{Num(o.Weight)}·{o.Name}"));
        if (d.Intercept)
        {
            relation = relation.Length == 0 ? "a constant" : relation + " + constant";
        }

        var names = string.Join(", ", d.Columns.Select(c => $"'{c}'"));
        return $"the design is rank-deficient: columns {names} are collinear ({d.Column} ≈ {relation}), "
            + "so their coefficients are not determined by the data. Drop one of them from --features.";
    }

    private static string Diverged(DivergenceException e)
    {
        bool unscaled = e.Scaling == FeatureScaling.None;
        return $"{(e.Stochastic ? "stochastic " : "")}gradient descent diverged after {e.Iterations} {(e.Stochastic ? "epoch" : "iteration")}{(e.Iterations == 1 ? "" : "s")} with learning rate {Num(e.Rate)}"
            + (e.FinalRate != e.Rate ? $" (by its schedule, {Num(e.FinalRate)} at the end)" : "") + ": "
            + $"the largest stable rate for this problem{(unscaled ? " (unscaled features)" : "")} is {Num(e.LargestStableRate)} (2/λmax of the Hessian)"
            + (e.Stochastic ? " for full batches, and mini-batches need a smaller one still. " : ". ")
            + "Use a smaller --alpha, or leave it out to have lsq choose one"
            + (unscaled ? ", or use --scale standard." : ".");
    }

    private static string NotConverged(NotConverged w)
    {
        var o = w.Settings;
        bool sgd = o.Method == FitMethod.StochasticGradientDescent;
        var what = sgd ? "stochastic gradient descent" : "gradient descent";
        var unit = sgd ? "epochs" : "iterations";
        var advice = new List<string> { "raise --max-iter" };
        if (o.Scaling == FeatureScaling.None)
        {
            advice.Add("use --scale standard");
        }

        if (o.LearningRate is not null)
        {
            advice.Add("leave out --alpha to use the automatic rate");
        }

        if (!sgd && o.Optimizer == Optimizer.Plain)
        {
            advice.Add("use --optimizer momentum (about √κ iterations where plain steps need κ)");
        }

        if (sgd)
        {
            advice.Add("raise --batch-size (less noise per step)");
        }

        advice.Add("use --method normal for the exact answer");
        return $"{what} did not converge in {w.Iterations} {unit}: the gradient is still {Short(w.RelativeGradient)} of its starting size, "
            + $"and --tol {Num(o.Tolerance)} asks for less (--max-iter {o.MaxIterations}, --alpha {Num(w.Rate)}, --scale {o.Scaling.ToString().ToLowerInvariant()}). "
            + $"To go on: {string.Join(", ", advice)}.";
    }

    // --by: one model per group.

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
        $"group {Group(by, values)}: {error}";

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

    /// <summary>A number in messages: up to six significant digits, an exponent as people write it (1e-10, 2.5e+20 as 2.5e20).</summary>
    public static string Num(double v) => Exponent(v.ToString("G6", CultureInfo.InvariantCulture));

    /// <summary>A number to two significant digits, for sizes that only need their order (1.7e-9, 0.029).</summary>
    public static string Short(double v) => Exponent(v.ToString("G2", CultureInfo.InvariantCulture));

    private static string Exponent(string text)
    {
        int e = text.IndexOf('E', StringComparison.Ordinal);
        if (e < 0)
        {
            return text;
        }

        int exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return text[..e] + "e" + exponent.ToString(CultureInfo.InvariantCulture);
    }
}
