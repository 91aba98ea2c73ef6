using LeastSquares.Cli.Options;
using LeastSquares.Cli.Partials;

namespace LeastSquares.Cli.Output;

/// <summary>Where results go: a fit formatted (and saved), or a partial state, to stdout or, atomically, to a file.</summary>
internal static class ResultWriter
{
    /// <summary>
    /// Formats <paramref name="fit"/> as asked, saves the model when asked, and writes the text;
    /// the inference from <paramref name="robust"/> when given, and naming the column of a weighted fit's <paramref name="weights"/>.
    /// </summary>
    public static void Print(FitResult fit, SolverOptions solver, long skippedRows, SolveSettings settings, CliContext context,
        RobustCovariance? robust = null, string? weights = null)
    {
        var report = new FitReport(fit, RegressionStatistics.Compute(fit, settings.Level, robust), settings.Summary, skippedRows, weights);
        var text = ResultFormatter.Format(report, settings.Format);
        if (settings.SavePath is { } savePath)
        {
            ModelFile.Write(savePath, ModelFile.FromFit(fit, report.Statistics, solver));
        }

        Write(text, settings.OutputPath, context);
    }

    /// <summary>Writes the mergeable state of the rows: one JSON line for <c>lsq merge</c>.</summary>
    public static void PrintPartial(Moments moments, long skippedRows, string? outputPath, CliContext context, IReadOnlyList<Input.Fold>? folds = null) =>
        Write(PartialJson.Serialize(moments, skippedRows, LsqApp.Version, folds), outputPath, context);

    /// <summary>Fails early, before any input is read, when a file to be written has no folder to go in.</summary>
    public static void CheckTargets(params string?[] paths)
    {
        foreach (var path in paths)
        {
            if (path is not null)
            {
                AtomicFile.EnsureFolder(path);
            }
        }
    }

    /// <summary>Writes the text to <paramref name="outputPath"/> atomically, or to stdout when it is null.</summary>
    public static void Write(string text, string? outputPath, CliContext context)
    {
        if (outputPath is { } path)
        {
            AtomicFile.WriteAllText(path, text);
        }
        else
        {
            context.Stdout.Write(text);
            context.Stdout.Flush();
        }
    }
}
