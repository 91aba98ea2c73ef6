using System.Text;
using LeastSquares.Cli;
using LeastSquares.Cli.Output;

// Ctrl-C (SIGINT), and SIGTERM as timeout(1) and CI runners send it, cancel the work in
// progress; the command then exits 130 without writing any result file (outputs are written
// atomically at the end, so nothing partial is left behind).
//
// On Unix both go through PosixSignalRegistration, and stderr is written through its file
// descriptor, never System.Console: Console.CancelKeyPress and the first write to a console stream
// set a terminal up for interactive input, switching it to keypad mode (ESC[?1h ESC=), and nothing
// switches it back when lsq exits.
var stderr = StandardStreams.Error();
using var interrupt = new CancellationTokenSource();
if (OperatingSystem.IsWindows())
{
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        Interrupt();
    };
}

using var sigint = OperatingSystem.IsWindows() ? null : System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGINT,
    signal =>
    {
        signal.Cancel = true;
        Interrupt();
    });
using var terminate = OperatingSystem.IsWindows() ? null : System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM,
    signal =>
    {
        signal.Cancel = true;
        Interrupt();
    });

void Interrupt()
{
    interrupt.Cancel();

    // A read blocked on standard input cannot see the cancellation, and a loaded machine may not
    // run the command's own check in time; if the run has not ended within two seconds, end it
    // here. Outputs appear only when committed, and the temporary files of those still being
    // written (predict streams into one) are removed first, so nothing partial is left behind.
    _ = Task.Run(async () =>
    {
        await Task.Delay(2000).ConfigureAwait(false);
        AtomicFile.AbandonAll();
        if (ErrorReporter.TakeInterruptMessage())
        {
            await stderr.WriteLineAsync("lsq: error: interrupted.").ConfigureAwait(false);
        }

        Environment.Exit(130);
    });
}

// Buffered: predict writes a line per row, and Console.Out would flush after each one.
var stdout = new StreamWriter(StdoutStream.Open(), new UTF8Encoding(false), 1 << 16);
var context = new CliContext(stdout, stderr, StandardStreams.OpenInput)
{
    StderrIsTerminal = !Console.IsErrorRedirected,
    Cancellation = interrupt.Token,
    ThreadsVariable = Environment.GetEnvironmentVariable("LSQ_THREADS"),
};
return LsqApp.Run(args, context);
