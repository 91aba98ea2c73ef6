using System.CommandLine;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Partials;

namespace LeastSquares.Cli.Commands;

/// <summary>Validated settings of <c>lsq fit</c>.</summary>
internal sealed record FitSettings
{
    public string? File { get; init; }

    public CsvDialect Dialect { get; init; } = new();

    public ModelSpec Model { get; init; } = new(null, null, 1, true);

    /// <summary>Write the mergeable state of the rows instead of solving.</summary>
    public bool Partial { get; init; }

    public FitOutputSettings Output { get; init; } = new();
}

/// <summary>
/// <c>lsq fit</c>: read a CSV, fit the model, print the coefficients and the loss; or, with
/// <c>--partial</c>, print the moments of the rows for <c>lsq merge</c>.
/// </summary>
internal static class FitCommand
{
    public static Command Create(CliContext context)
    {
        var file = CommonOptions.File();
        var target = CommonOptions.Target();
        var features = CommonOptions.Features();
        var degree = CommonOptions.Degree();
        var noIntercept = CommonOptions.NoIntercept();
        var fitOptions = new FitOutputOptions();
        var delimiter = CommonOptions.Delimiter();
        var noHeader = CommonOptions.NoHeader();
        var missing = CommonOptions.Missing();
        var partial = CommonOptions.Partial();

        var command = new Command("fit", "Fit a linear least-squares model to CSV data and print the coefficients and the loss (MSE).")
        {
            file, target, features, degree, noIntercept,
        };
        foreach (var option in fitOptions.SolveOnly)
        {
            command.Options.Add(option);
        }

        foreach (var option in new Option[] { delimiter, noHeader, missing, partial, fitOptions.Output, fitOptions.Quiet })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            try
            {
                bool isPartial = parse.GetValue(partial);
                if (isPartial)
                {
                    fitOptions.RejectSolveOptions(parse);
                }
                else
                {
                    fitOptions.RejectUnusedOptions(parse);
                }

                var settings = new FitSettings
                {
                    File = parse.GetValue(file),
                    Dialect = CommonOptions.Dialect(parse.GetValue(delimiter), parse.GetValue(noHeader), parse.GetValue(missing)!),
                    Model = new ModelSpec(parse.GetValue(target), CommonOptions.ParseList(parse.GetValue(features), "--features"),
                        parse.GetValue(degree), !parse.GetValue(noIntercept)),
                    Partial = isPartial,
                    Output = fitOptions.Read(parse),
                };
                return Run(settings, context);
            }
            catch (Exception e)
            {
                return ErrorReporter.Report(e, context.Stderr);
            }
        });
        return command;
    }

    /// <summary>Runs a fit with validated settings; returns the exit code.</summary>
    public static int Run(FitSettings settings, CliContext context)
    {
        try
        {
            if (!settings.Partial)
            {
                settings.Output.Solver.Validate();
            }

            FitOutput.CheckTargets(settings.Output.OutputPath, settings.Output.TracePath, settings.Output.SavePath);
            if (settings.Output.InitPath is { } init && !File.Exists(init))
            {
                throw new InputException(CliMessages.FileNotFound(init));
            }

            // Only mini-batch SGD reads the rows again, so only it keeps them.
            bool keepRows = !settings.Partial && settings.Output.Solver.Method == FitMethod.StochasticGradientDescent;
            var rows = keepRows ? new List<double>() : null;
            Moments moments;
            MomentAccumulator? accumulator = null;
            long skipped = 0;
            using (var source = CsvSource.Open(settings.File, settings.Dialect, context.OpenStdin, allowEmpty: settings.Partial))
            {
                if (source.IsEmpty)
                {
                    // An empty byte range from a splitter: still a partial, of zero rows, when the
                    // options alone name the model.
                    var terms = settings.Model.TermsWithoutHeader(settings.Dialect.HasHeader)
                        ?? throw new InputException(CliMessages.EmptyInputModelUnknown(source.DisplayName));
                    moments = MomentAccumulator.Create(terms).ToMoments();
                }
                else
                {
                    var columns = ModelColumns.Resolve(source, settings.Model);
                    // --partial writes moments, so qr's factor is not needed then.
                    var method = settings.Partial ? FitMethod.Normal : settings.Output.Solver.Method;
                    accumulator = columns.Accumulate(source, method, context.Cancellation, keepRows ? rows!.AddRange : null, allowEmpty: settings.Partial);
                    moments = accumulator.ToMoments();
                    skipped = source.SkippedRows;
                    if (skipped > 0)
                    {
                        ErrorReporter.Warn(context.Stderr, settings.Output.Quiet, CliMessages.SkippedRows(skipped, source.DisplayName));
                    }
                }
            }

            if (settings.Partial)
            {
                FitOutput.Write(PartialJson.Serialize(moments, skipped, LsqApp.Version), settings.Output.OutputPath, context);
            }
            else
            {
                FitOutput.Solve(moments, accumulator, rows?.ToArray(), skipped, settings.Output, context);
            }

            return ExitCodes.Success;
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(e, context.Stderr);
        }
    }
}
