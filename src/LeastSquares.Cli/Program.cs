using LeastSquares.Cli;

// Ctrl-C cancels the work in progress; the command then exits 130 without writing any result
// file (outputs are written atomically at the end, so nothing partial is left behind).
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupt.Cancel();
};
var context = new CliContext(Console.Out, Console.Error, Console.OpenStandardInput)
{
    StderrIsTerminal = !Console.IsErrorRedirected,
    Cancellation = interrupt.Token,
};
return LsqApp.Run(args, context);
