using System.Text;
using LeastSquares.Cli;
using LeastSquares.Cli.Output;

// Ctrl-C cancels the work in progress; the command then exits 130 without writing any result
// file (outputs are written atomically at the end, so nothing partial is left behind).
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupt.Cancel();
};

// Buffered: predict writes a line per row, and Console.Out would flush after each one.
var stdout = new StreamWriter(StdoutStream.Open(), new UTF8Encoding(false), 1 << 16);
var context = new CliContext(stdout, Console.Error, Console.OpenStandardInput)
{
    StderrIsTerminal = !Console.IsErrorRedirected,
    Cancellation = interrupt.Token,
    ThreadsVariable = Environment.GetEnvironmentVariable("LSQ_THREADS"),
};
return LsqApp.Run(args, context);
