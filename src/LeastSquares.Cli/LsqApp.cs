using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
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
        int code = Dispatch(args, context);
        try
        {
            context.Stdout.Flush();
        }
        catch (Exception e)
        {
            // A reader that went away (| head) ends the run quietly with success; any other failure
            // (a full disk) is reported and ends it with exit 2, unless the run had failed already.
            int flushCode = ErrorReporter.Report(e, context.Stderr);
            return code == ExitCodes.Success ? flushCode : code;
        }

        return code;
    }

    private static int Dispatch(string[] args, CliContext context)
    {
        var root = BuildRoot(context);
        args = SuggestionLine(args);
        Operands.Remember(args);
        ParseResult parse = root.Parse(args);
        bool suggesting = root.Directives.Any(d => d is SuggestDirective s && parse.GetResult(s) is not null);
        // --help and [suggest] answer even when the rest of the line is incomplete (predict without --model).
        var taken = ParseErrors.OptionTakenAsValue(parse) ?? ParseErrors.EmptyFileName(parse);
        if ((parse.Errors.Count > 0 || taken is not null) && !suggesting && parse.Action is not HelpWithExitCodes)
        {
            context.Stderr.WriteLine($"lsq: error: {taken ?? ParseErrors.Describe(parse)}");
            var command = parse.CommandResult.Command;
            context.Stderr.WriteLine($"lsq: run '{(command is RootCommand ? "lsq" : "lsq " + command.Name)} --help' for the usage.");
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

    /// <summary>
    /// A completion request (<c>[suggest:N] "fit --format=j"</c>) with every <c>--option=value</c> of its line
    /// spelled <c>--option value</c>: the same length, so the cursor position N still holds, and the
    /// parser's completer, which fails on the joined spelling, completes the value as bash expects
    /// (bash splits words at '=').
    /// </summary>
    private static string[] SuggestionLine(string[] args)
    {
        if (args is [var directive, var line, ..] && directive.StartsWith("[suggest", StringComparison.Ordinal))
        {
            var copy = (string[])args.Clone();
            copy[1] = System.Text.RegularExpressions.Regex.Replace(line, @"(?<=(^|\s)--?[A-Za-z][A-Za-z0-9-]*)=", " ");
            return copy;
        }

        return args;
    }

    public static RootCommand BuildRoot(CliContext context)
    {
        var version = new Option<bool>("--version") { Description = "Show the version" };
        var root = new RootCommand("Fit linear least-squares models to CSV data; apply saved models to new data.")
        {
            HelpName = "lsq",
        };

        // RootCommand brings its own help, version and directives; lsq declares exactly the ones it
        // supports: recursive help, --version, and [suggest] for shell completion (completions/lsq.bash).
        root.Options.Clear();
        root.Directives.Clear();
        var help = new HelpOption { Recursive = true };
        help.Action = new HelpWithExitCodes((SynchronousCommandLineAction)help.Action!);

        root.Options.Add(help);
        root.Options.Add(version);
        root.Directives.Add(new SuggestDirective());
        root.Subcommands.Add(FitCommand.Create(context));
        root.Subcommands.Add(PredictCommand.Create(context));
        root.Subcommands.Add(MergeCommand.Create(context));
        root.Subcommands.Add(PlotCommand.Create(context));
        root.Subcommands.Add(AnovaCommand.Create(context));
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

    /// <summary>The standard help, followed by the exit codes of the command asked about.</summary>
    private sealed class HelpWithExitCodes(SynchronousCommandLineAction help) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            int code = help.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Exit codes:");
            var command = parseResult.CommandResult.Command.Name;
            foreach (var (exit, meaning) in ExitCodes.For(command))
            {
                output.WriteLine($"  {exit,-5}{meaning}");
            }

            output.WriteLine();
            output.WriteLine("Examples:");
            foreach (var example in ExitCodes.Examples(command))
            {
                output.WriteLine($"  {example}");
            }

            output.WriteLine();
            return code;
        }
    }
}
