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
        var grouped = GroupedModelFile.Read(settings.ModelPath);
        var models = grouped.Groups.ToDictionary(g => g.Key, g => g.Value.Model?.ToModel(), StringComparer.Ordinal);
        if (grouped.Groups.Values.Any(g => g.Model?.Converged == false))
        {
            ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.UnconvergedModel(settings.ModelPath));
        }

        if (settings.OutputPath is { } outputPath)
        {
            AtomicFile.EnsureFolder(outputPath);
        }

        using var source = RowSource.Open(settings.File, settings.Dialect, context);
        var columns = source.Find(grouped.Terms, settings.ModelPath, withTarget: false).Columns;
        var groupColumns = grouped.By.Select(name => source.Header.ToList().IndexOf(name) is >= 0 and var i
            ? i
            : throw new InputException(CliMessages.MissingGroupColumn(source.DisplayName, settings.ModelPath, name, source.Header))).ToArray();
        if (settings.OutputPath is { } path)
        {
            using var pending = AtomicFile.Create(path);
            Stream(source.Csv, grouped, models, columns, groupColumns, settings, pending.Writer, context.Cancellation);
            pending.Commit();
        }
        else
        {
            Stream(source.Csv, grouped, models, columns, groupColumns, settings, context.Stdout, context.Cancellation);
            context.Stdout.Flush();
        }
    }

    private static void Stream(CsvSource source, GroupedModel grouped, Dictionary<string, LinearModel?> models, int[] columns, int[] groupColumns,
        PredictSettings settings, TextWriter output, CancellationToken cancellation)
    {
        var row = new PredictCommand.FieldWriter(output, source.Separator);
        if (settings.Dialect.HasHeader)
        {
            if (!settings.Only)
            {
                foreach (var name in source.Header)
                {
                    row.Text(name);
                }
            }

            row.Text(PredictCommand.PredictionColumn);
            row.End();
        }

        var values = new double[columns.Length];
        var cells = new string[groupColumns.Length];
        long count = 0;
        RowStatus status;
        while ((status = source.ReadRow(columns, values)) != RowStatus.End)
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

            if (!models.TryGetValue(GroupTable.KeyOf(cells), out var model))
            {
                throw new InputException(CliMessages.UnseenGroup(source.DisplayName, source.Line, settings.ModelPath, grouped.By, cells));
            }

            if (model is null)
            {
                throw new InputException(CliMessages.UnfittedGroup(source.DisplayName, source.Line, settings.ModelPath, grouped.By, cells));
            }

            double prediction = model.Predict(values);
            if (!settings.Only)
            {
                for (int i = 0; i < source.Header.Count; i++)
                {
                    row.Utf8(source.Field(i));
                }
            }

            row.Number(prediction);
            row.End();
            if ((++count & 0xFFFF) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
            }
        }
    }
}
