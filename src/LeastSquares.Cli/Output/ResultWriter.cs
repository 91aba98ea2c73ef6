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
        var text = settings.Wide ? GroupedWriter.Wide(report, GroupedWriter.Separator(settings.Format)) : ResultFormatter.Format(report, settings.Format);
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

    /// <summary>
    /// Fails early (a usage error) when two of the files to be written are one file: the same path
    /// once made absolute and its links followed (./m.json and m.json, a link to it), so that one
    /// output would silently replace the other.
    /// </summary>
    public static void CheckDistinct(params (string Option, string? Path)[] outputs)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (option, path) in outputs)
        {
            if (path is null)
            {
                continue;
            }

            var key = SameFileKey(path);
            if (seen.TryGetValue(key, out var first))
            {
                throw new UsageException(CliMessages.SameOutputFile(first, option, path));
            }

            seen.Add(key, option);
        }
    }

    /// <summary>The path made absolute, with a link (at the end, or a folder on the way) followed to what it names.</summary>
    private static string SameFileKey(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            var folder = Path.GetDirectoryName(full);
            if (folder is not null && Directory.Exists(folder))
            {
                var real = new DirectoryInfo(folder).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? folder;
                full = Path.Combine(real, Path.GetFileName(full));
            }

            if (File.Exists(full) && new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                full = Path.GetFullPath(target.FullName);
            }
        }
        catch (IOException)
        {
            // an unreadable link is left as written; the write reports it
        }

        return full;
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
