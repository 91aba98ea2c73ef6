using LeastSquares.Cli.Input;
using LeastSquares.Cli.Options;
using LeastSquares.Cli.Output;
using LeastSquares.Cli.Plotting;

namespace LeastSquares.Cli.Commands;

/// <summary>
/// <c>lsq plot --by COLS</c>, and <c>lsq plot --model</c> of a model per group: one panel per group
/// in one picture, as ggplot's <c>facet_wrap(~ region)</c> draws them: the panels share their axes
/// (so groups compare at a glance), in the order of the groups' first rows, on a grid of
/// ⌈√n⌉ columns, each panel half the --width and --height. Each panel is the picture of that
/// group's rows plotted alone (the same fit, the same seeded sample of points), titled by its group.
/// </summary>
/// <remarks>
/// The rows are read once, sequentially, each into its group's state and point sample: memory is
/// O(groups · (p² + --max-points)). More than <see cref="Defaults.MaxFacets"/> groups is an input
/// error: a picture of more panels is no longer readable.
/// </remarks>
internal static class GroupedPlot
{
    /// <summary>Whether the settings ask for a picture per group: --by, or a model file of a model per group.</summary>
    public static bool Applies(PlotSettings settings) =>
        settings.By is not null || (settings.ModelPath is { } model && GroupedModelFile.IsGrouped(model));

    /// <summary>The panels, one per group, in the order of the groups' first rows.</summary>
    public static IReadOnlyList<ChartSpec> Charts(PlotSettings settings, CliContext context)
    {
        var saved = settings.ModelPath is { } path ? GroupedModelFile.Read(path) : null;
        if (saved?.Groups.Values.Any(g => g.Model?.Converged == false) == true)
        {
            ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.UnconvergedModel(settings.ModelPath!));
        }

        var samples = new List<(PointSample Sample, double[] Range)>();
        GroupedRowState state;
        using (var source = RowSource.Open(settings.File, settings.Dialect, context))
        {
            var by = ModelColumns.ResolveBy(source.Csv, saved?.By ?? settings.By!);
            var columns = saved is null
                ? ModelColumns.ResolveGrouped(source.Csv, settings.Model, by)
                : source.Find(saved.Terms, settings.ModelPath!, withTarget: true);
            int width = columns.Columns.Length;
            var table = new GroupTable(columns, by.Names, saved is null ? settings.Solver.Method : FitMethod.Normal, Defaults.MaxFacets, source.DisplayName,
                watch: (k, inner) =>
                {
                    var sample = new PointSample(settings.MaxPoints, width, settings.Seed); // the seed of the group plotted alone
                    var range = new[] { double.PositiveInfinity, double.NegativeInfinity };
                    samples.Add((sample, range));
                    return new WatchedAccumulator(inner, row =>
                    {
                        sample.Offer(row);
                        range[0] = Math.Min(range[0], row[0]);
                        range[1] = Math.Max(range[1], row[0]);
                    });
                },
                tooMany: CliMessages.PlotTooManyGroups(source.DisplayName, by.Names, Defaults.MaxFacets));
            GroupedRows.ReadCsv(source.Csv, columns, by, table, stop: null, context.Cancellation);
            state = table.ToState(source.Csv.SkippedRows);
            if (state.Groups.Count == 0)
            {
                ModelColumns.RequireRows(0, state.Skipped, source.DisplayName);
            }

            if (state.Skipped > 0)
            {
                ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.SkippedRows(state.Skipped, source.DisplayName));
            }
        }

        var panels = new List<ChartSpec>();
        for (int g = 0; g < state.Groups.Count; g++)
        {
            var group = state.Groups[g];
            var name = string.Join(", ", state.By.Select((column, j) => column + " = " + group.Values[j]));
            var groupContext = GroupedFit.ForGroup(context, state.By, group.Values);
            SavedModel? model = null;
            string? missing = null;
            if (saved is not null)
            {
                model = saved.Groups.TryGetValue(group.Key, out var entry) ? entry.Model : null;
                missing = model is not null ? null : entry is null ? CliMessages.PlotGroupNotInModel(settings.ModelPath!) : CliMessages.PlotGroupUnfitted;
            }

            var (sample, range) = samples[g];
            if (saved is null && group.RowTerms is { HasFactors: true } read)
            {
                sample.Recode(new LevelRecoding(read, group.State.Terms)); // the levels every group shares, as the group's own
            }

            string? failure = missing;
            if (failure is null)
            {
                try
                {
                    var rows = new PlotCommand.DataRows(new RowState(group.State, group.Skipped), sample, range[0], range[1]);
                    var (spec, r2) = PlotCommand.Chart(settings, groupContext, model, rows);
                    panels.Add(spec with { Title = $"{name}   (R² {(model is null ? "" : "on these rows ")}= {PlotCommand.Show(r2)})" });
                    continue;
                }
                catch (Exception e) when (e is NumericalException or OverflowException)
                {
                    failure = e is NumericalException n ? CliMessages.Failure(n) : e.Message;
                }
            }

            ErrorReporter.Warn(groupContext.Stderr, settings.Quiet, CliMessages.PlotGroupNoLine(failure));
            bool scatter = settings.Kind == PlotKind.Fit && sample.Width == 2; // y against one x: its rows can be drawn without a fit
            panels.Add(new ChartSpec
            {
                Title = $"{name}   ({missing ?? CliMessages.PlotGroupUnfitted})",
                XLabel = "",
                YLabel = "",
                Points = scatter && sample.Count > 0 ? new Series("rows", sample.Column(0), sample.Column(1)) : null,
            });
        }

        // A panel without a fit takes the axis names of one with a fit.
        if (panels.FirstOrDefault(p => p.XLabel.Length > 0) is { } named)
        {
            panels = [.. panels.Select(p => p.XLabel.Length > 0 ? p : p with { XLabel = named.XLabel, YLabel = named.YLabel })];
        }

        // Shared scales, as facet_wrap's default: the frame that holds every panel's data.
        var drawn = panels.Where(p => p.Points is not null || p.Lines.Count > 0).ToList();
        if (drawn.Count > 1)
        {
            var frame = Plotting.Charts.SharedFrame(drawn);
            panels = [.. panels.Select(p => p with { Frame = frame })];
        }

        return panels;
    }

    /// <summary>Draws the panels in one picture: one group is a picture of its own; more go on a grid of ⌈√n⌉ columns, each panel half the size asked for.</summary>
    public static byte[] Render(IReadOnlyList<ChartSpec> panels, PictureSpec picture, string font)
    {
        if (panels.Count == 1)
        {
            return Plotting.Charts.Render(panels[0], picture, font);
        }

        int columns = (int)Math.Ceiling(Math.Sqrt(panels.Count));
        int rows = (panels.Count + columns - 1) / columns;
        var whole = picture with { Width = columns * (picture.Width / 2), Height = rows * (picture.Height / 2) };
        return Plotting.Charts.RenderGrid(panels, columns, whole, font, Math.Max(0.6f, 0.75f * Plotting.Charts.ScaleFactor(picture)));
    }
}
