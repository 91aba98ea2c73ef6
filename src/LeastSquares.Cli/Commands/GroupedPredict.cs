using System.Text;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Commands;

/// <summary>
/// <c>lsq predict --model M</c> for a model saved by <c>lsq fit --by COLS --save M</c>: each row is
/// predicted by the model of its group (the row's values in the --by columns). A group the file has
/// no model for is an input error naming the row and the group.
/// </summary>
internal static class GroupedPredict
{
    public static void Execute(PredictSettings settings, CliContext context)
    {
        if (settings.Interval != PredictInterval.None || settings.Diagnostics)
        {
            throw new UsageException(CliMessages.GroupedPredictNoInference(settings.Interval != PredictInterval.None ? "--interval" : "--diagnostics"));
        }

        var grouped = GroupedModelFile.Read(settings.ModelPath);
        var models = grouped.Groups.ToDictionary(g => g.Key, g => g.Value.Model?.ToModel(), StringComparer.Ordinal);
        if (grouped.Groups.Values.Any(g => g.Model?.Converged == false))
        {
            ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.UnconvergedModel(settings.ModelPath));
        }

        if (settings.OutputPath is { } outputPath)
        {
            AtomicFile.EnsureFolder(outputPath);
            AtomicFile.EnsureNotInput(outputPath, [settings.File, settings.ModelPath]);
        }

        using var source = RowSource.Open(settings.File, settings.Dialect, context);
        var names = PredictCommand.NewColumnNames(source, settings, [PredictCommand.PredictionColumn], context);
        var columns = source.Find(grouped.Terms, settings.ModelPath, withTarget: false).Columns;
        var groupColumns = grouped.By.Select(name => source.Header.ToList().IndexOf(name) is >= 0 and var i
            ? i
            : throw new InputException(CliMessages.MissingGroupColumn(source.DisplayName, settings.ModelPath, name, source.Header))).ToArray();
        if (settings.OutputPath is { } path)
        {
            using var pending = AtomicFile.Create(path);
            var sink = new ByteSink(pending.Writer);
            Stream(source.Csv, grouped, models, columns, groupColumns, names, settings, sink, context.Cancellation);
            pending.Writer.Flush();
            pending.Commit();
        }
        else
        {
            var sink = new ByteSink(context.Stdout);
            Stream(source.Csv, grouped, models, columns, groupColumns, names, settings, sink, context.Cancellation);
            sink.Flush();
        }
    }

    private static void Stream(CsvSource source, GroupedModel grouped, Dictionary<string, LinearModel?> models, int[] columns, int[] groupColumns, IReadOnlyList<string> names,
        PredictSettings settings, ByteSink sink, CancellationToken cancellation)
    {
        var row = new CsvBytes(1 << 16, source.Separator); // the input's delimiter: TSV in, TSV out
        // With --only, a row-name column (R's write.csv and write.table) still comes first, as in ungrouped predict.
        bool rowNames = settings.Only && settings.Dialect.HasHeader && ModelColumns.HasRowNames(source.Header);
        if (settings.Dialect.HasHeader)
        {
            if (!settings.Only)
            {
                foreach (var name in source.Header)
                {
                    row.Text(name);
                }
            }
            else if (rowNames)
            {
                row.Text(source.Header[0]);
            }

            foreach (var name in names)
            {
                row.Text(name);
            }

            row.End();
        }

        // Categorical cells: read as the levels met (each group has levels of its own), then carried
        // to the levels of the row's group; a level its group was not fitted with is an input error.
        var terms = grouped.Terms;
        IReadOnlyList<FactorLevels?>? read = terms.HasFactors
            ? [.. terms.Predictors.Select(p => terms.Factors.TryGetValue(p, out var f) ? new FactorLevels(f.Column, f.Numeric) : null)]
            : null;
        var codes = new Dictionary<LinearModel, Dictionary<string, int>?[]>(ReferenceEqualityComparer.Instance);
        try
        {
            var values = new double[columns.Length];
            var cells = new string[groupColumns.Length];
            long count = 0;
            RowStatus status;
            while ((status = source.ReadRow(columns, values, read, columns.Length)) != RowStatus.End)
            {
                if (status == RowStatus.Blank)
                {
                    row.End();
                    continue;
                }

                for (int j = 0; j < groupColumns.Length; j++)
                {
                    var cell = source.Field(groupColumns[j]);
                    if (GroupColumns.IsMissing(cell, settings.Dialect.NaValues))
                    {
                        int c = groupColumns[j];
                        var text = Encoding.UTF8.GetString(cell);
                        throw new InputException(text.Trim().Length == 0
                            ? CliMessages.EmptyCell(source.DisplayName, source.Line, c + 1, source.Header[c], offersSkip: false)
                            : CliMessages.MissingCell(source.DisplayName, source.Line, c + 1, source.Header[c], text, offersSkip: false));
                    }

                    cells[j] = Encoding.UTF8.GetString(cell);
                }

                // A numeric group column's groups are values, as fit keyed them (4.0 is group 4).
                if (!models.TryGetValue(GroupTable.KeyOf(cells), out var model)
                    && !models.TryGetValue(GroupTable.KeyOf([.. groupColumns.Select(c => source.IsText(c) ? null : GroupColumns.ValueKey(source.Field(c)))
                        .Select((value, j) => value ?? cells[j])]), out model))
                {
                    throw new InputException(CliMessages.UnseenGroup(source.DisplayName, source.Line, settings.ModelPath, grouped.By, cells));
                }

                if (model is null)
                {
                    throw new InputException(CliMessages.UnfittedGroup(source.DisplayName, source.Line, settings.ModelPath, grouped.By, cells));
                }

                if (read is not null)
                {
                    ToGroupLevels(source, columns, read, model, codes, values);
                }

                double prediction = model.Predict(values);
                if (!double.IsFinite(prediction))
                {
                    var predictor = new RowPredictor(model, null, 0, PredictInterval.None, diagnostics: false);
                    predictor.Compute(values);
                    throw predictor.NotFiniteError(source.DisplayName, source.Line, values);
                }

                if (!settings.Only)
                {
                    for (int i = 0; i < source.Header.Count; i++)
                    {
                        row.Field(source.Field(i));
                    }
                }
                else if (rowNames)
                {
                    row.Field(source.Field(0));
                }

                row.Number(prediction);
                row.End();
                if (row.Length >= 1 << 20)
                {
                    sink.Write(row.Written);
                    row.Clear();
                }

                if ((++count & 0xFFFF) == 0)
                {
                    cancellation.ThrowIfCancellationRequested();
                }
            }
        }
        finally
        {
            sink.Write(row.Written); // the rows before an error are written too, as ungrouped predict does
        }
    }

    /// <summary>Rewrites the row's level codes (those of <paramref name="read"/>) as codes of <paramref name="model"/>'s levels.</summary>
    private static void ToGroupLevels(CsvSource source, int[] columns, IReadOnlyList<FactorLevels?> read, LinearModel model,
        Dictionary<LinearModel, Dictionary<string, int>?[]> codes, double[] values)
    {
        if (!codes.TryGetValue(model, out var index))
        {
            index = [.. read.Select(l => l is null ? null : model.Terms.Factors[l.Column].Levels.Select((name, k) => (name, k)).ToDictionary(p => p.name, p => p.k, StringComparer.Ordinal))];
            codes.Add(model, index);
        }

        for (int j = 0; j < read.Count; j++)
        {
            if (read[j] is { } levels)
            {
                var level = levels.Levels[(int)values[j]];
                if (!index[j]!.TryGetValue(level, out int code))
                {
                    int c = columns[j];
                    throw new InputException(CliMessages.UnseenLevel(source.DisplayName, source.Line, c + 1, source.Header[c], level, model.Terms.Factors[levels.Column].Levels));
                }

                values[j] = code;
            }
        }
    }
}
