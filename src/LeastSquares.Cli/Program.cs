using System.Text;
using LeastSquares.Cli;
using LeastSquares.Cli.Output;

// Buffered: predict writes a line per row, and Console.Out would flush after each one.
var stdout = new StreamWriter(StdoutStream.Open(), new UTF8Encoding(false), 1 << 16);
var context = new CliContext(stdout, Console.Error, Console.OpenStandardInput)
{
    StderrIsTerminal = !Console.IsErrorRedirected,
};
return LsqApp.Run(args, context);
