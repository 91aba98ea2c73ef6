using System.CommandLine;
using System.CommandLine.Help;
using System.Reflection;
using LeastSquares.Cli.Commands;

namespace LeastSquares.Cli;

/// <summary>Builds the command tree and runs it; the only place that decides the process's exit code.</summary>
internal static class LsqApp
{
    public static string Version { get; } =
        typeof(LsqApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static int Run(string[] args, CliContext context)
    {
        var root = BuildRoot(context);
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                context.Stderr.WriteLine($"lsq: error: {error.Message}");
            }

            var name = parse.CommandResult.Command.Name;
            context.Stderr.WriteLine($"lsq: run '{(name == "lsq" ? "lsq" : "lsq " + name)} --help' for the usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration
            {
                Output = context.Stdout,
                Error = context.Stderr,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(e, context.Stderr);
        }
    }

    public static Command BuildRoot(CliContext context)
    {
        var version = new Option<bool>("--version") { Description = "Show the version" };
        var root = new Command("lsq", "Fit linear least-squares models to CSV data.\n" + ExitCodes.Summary)
        {
            new HelpOption { Recursive = true },
            version,
            FitCommand.Create(context),
            PlotCommand.Create(context),
        };
        root.SetAction(parse =>
        {
            if (parse.GetValue(version))
            {
                context.Stdout.WriteLine($"lsq {Version}");
                return ExitCodes.Success;
            }

            context.Stderr.WriteLine("lsq: error: no command given. Run 'lsq --help' for the commands, e.g. 'lsq fit data.csv'.");
            return ExitCodes.Usage;
        });
        return root;
    }
}
