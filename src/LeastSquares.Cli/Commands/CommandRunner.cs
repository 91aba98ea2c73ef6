using System.CommandLine;

namespace LeastSquares.Cli.Commands;

/// <summary>
/// The one try/report every command runs in: what the user typed is read into settings and run;
/// the run ends in success, or in the error reported and the exit code it maps to. Commands
/// themselves only throw.
/// </summary>
internal static class CommandRunner
{
    /// <summary>Runs <paramref name="work"/>; returns the exit code.</summary>
    public static int Run(CliContext context, Action work)
    {
        try
        {
            work();
            return ExitCodes.Success;
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(e, context.Stderr);
        }
    }

    /// <summary>Makes <paramref name="command"/> read its settings with <paramref name="read"/> and run them with <paramref name="execute"/>.</summary>
    public static void SetAction<TSettings>(Command command, CliContext context, Func<ParseResult, TSettings> read, Action<TSettings, CliContext> execute) =>
        command.SetAction(parse => Run(context, () => execute(read(parse), context)));
}
