using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Text;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Options;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Commands;

/// <summary>Validated settings of <c>lsq predict</c>.</summary>
internal sealed record PredictSettings
{
    public required string ModelPath { get; init; }

    public string? File { get; init; }

    public CsvDialect Dialect { get; init; } = new() { OffersSkip = false };

    public bool Only { get; init; }

    public string? OutputPath { get; init; }

    public bool Quiet { get; init; }
}

/// <summary>
/// <c>lsq predict</c>: apply a saved model to the rows of a CSV, streaming them out with a
/// <c>prediction</c> column. Memory does not depend on the number of rows.
/// </summary>
internal static class PredictCommand
{
    public const string PredictionColumn = "prediction";

    public static Command Create(CliContext context)
    {
        var file = CommonOptions.File();
        var model = new Option<string>("--model")
        {
            Description = "Model file written by 'lsq fit --save'",
            HelpName = "FILE",
            Required = true,
        };
        var only = new Option<bool>("--only") { Description = "Write only the prediction column (after the row names of an R file), not the input fields" };
        var dialect = new DialectOptions(offersSkip: false);
        var output = CommonOptions.Output();
        var quiet = CommonOptions.Quiet();

        var command = new Command(
            "predict",
            "Apply a saved model to the rows of a CSV: write each row with a 'prediction' column, as CSV. "
            + "Predictor columns are found by name, in any order.")
        {
            file, model, only, dialect.Delimiter, dialect.Decimal, dialect.NoHeader, output, quiet,
        };
        CommandRunner.SetAction(command, context, parse => new PredictSettings
        {
            ModelPath = parse.GetValue(model)!,
            File = parse.GetValue(file),
            Dialect = dialect.Read(parse),
            Only = parse.GetValue(only),
            OutputPath = parse.GetValue(output),
            Quiet = parse.GetValue(quiet),
        }, Execute);
        return command;
    }

    /// <summary>Runs a prediction with validated settings; returns the exit code.</summary>
    public static int Run(PredictSettings settings, CliContext context) => CommandRunner.Run(context, () => Execute(settings, context));

    private static void Execute(PredictSettings settings, CliContext context)
    {
        var saved = ModelFile.Read(settings.ModelPath);
        var linear = saved.ToModel();
        if (saved.Converged == false)
        {
            ErrorReporter.Warn(context.Stderr, settings.Quiet, CliMessages.UnconvergedModel(settings.ModelPath));
        }

        if (settings.OutputPath is { } outputPath)
        {
            AtomicFile.EnsureFolder(outputPath);
        }

        using var source = RowSource.Open(settings.File, settings.Dialect, context);
        var columns = source.Find(linear.Terms, settings.ModelPath, withTarget: false).Columns;
        if (settings.OutputPath is { } path)
        {
            using var pending = AtomicFile.Create(path);
            Stream(source.Csv, linear, columns, settings, pending.Writer, context.Cancellation);
            pending.Commit();
        }
        else
        {
            Stream(source.Csv, linear, columns, settings, context.Stdout, context.Cancellation);
            context.Stdout.Flush();
        }
    }

    private static void Stream(CsvSource source, LinearModel model, int[] columns, PredictSettings settings, TextWriter output, CancellationToken cancellation)
    {
        var row = new FieldWriter(output);
        // With --only, a row-name column (R's write.csv and write.table) still comes first: each
        // prediction beside its row's name, as R prints predict()'s named vector.
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

            row.Text(PredictionColumn);
            row.End();
        }

        var values = new double[columns.Length];
        var levels = ModelColumns.KnownLevels(model.Terms);
        long count = 0;
        RowStatus status;
        while ((status = source.ReadRow(columns, values, levels)) != RowStatus.End)
        {
            if (status == RowStatus.Blank)
            {
                // A blank input line gives a blank output line, so predictions stay beside their rows.
                row.End();
                continue;
            }

            double prediction = model.Predict(values);
            if (!settings.Only)
            {
                for (int i = 0; i < source.Header.Count; i++)
                {
                    row.Utf8(source.Field(i));
                }
            }
            else if (rowNames)
            {
                row.Utf8(source.Field(0));
            }

            row.Number(prediction);
            row.End();
            if ((++count & 0xFFFF) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
            }
        }

        // A header and no rows (a filter upstream matched nothing) gives the header and no rows,
        // exit 0, as mlr and xsv do: an empty answer to an empty question, not an error.
    }

    /// <summary>Writes one CSV record at a time (comma-separated, RFC 4180 quoting, '\n' line ends) without allocating per field.</summary>
    private sealed class FieldWriter(TextWriter output)
    {
        private char[] _chars = new char[256];
        private bool _first = true;

        public void Text(string text)
        {
            Separator();
            output.Write(ResultFormatter.CsvField(text));
        }

        public void Utf8(ReadOnlySpan<byte> field)
        {
            Separator();
            if (_chars.Length < field.Length)
            {
                _chars = new char[Math.Max(field.Length, _chars.Length * 2)];
            }

            int n = Encoding.UTF8.GetChars(field, _chars);
            var text = _chars.AsSpan(0, n);
            if (text.IndexOfAny(NeedsQuotes) < 0)
            {
                output.Write(text);
                return;
            }

            output.Write('"');
            foreach (var c in text)
            {
                if (c == '"')
                {
                    output.Write('"');
                }

                output.Write(c);
            }

            output.Write('"');
        }

        public void Number(double value)
        {
            Separator();
            Span<char> buffer = stackalloc char[32];
            if (!value.TryFormat(buffer, out int n, "R", CultureInfo.InvariantCulture))
            {
                output.Write(Numbers.RoundTrip(value));
                return;
            }

            var text = buffer[..n];
            int e = text.IndexOf('E');
            if (e >= 0)
            {
                text[e] = 'e';
            }

            output.Write(text);
        }

        public void End()
        {
            output.Write('\n');
            _first = true;
        }

        private void Separator()
        {
            if (!_first)
            {
                output.Write(',');
            }

            _first = false;
        }

        private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");
    }
}
