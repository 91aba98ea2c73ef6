using LeastSquares.Cli;

var context = new CliContext(Console.Out, Console.Error, Console.OpenStandardInput)
{
    StderrIsTerminal = !Console.IsErrorRedirected,
    ThreadsVariable = Environment.GetEnvironmentVariable("LSQ_THREADS"),
};
return LsqApp.Run(args, context);
