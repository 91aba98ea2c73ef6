using LeastSquares.Cli;

var context = new CliContext(Console.Out, Console.Error, Console.OpenStandardInput)
{
    StderrIsTerminal = !Console.IsErrorRedirected,
};
return LsqApp.Run(args, context);
