namespace LeastSquares.Cli.Tests;

/// <summary>
/// The core reports failures and warnings as typed facts and the CLI words them: the advice a
/// message gives depends on the settings it carries, and a bug in the core is never the user's mistake.
/// </summary>
public sealed class CoreWordingTests
{
    [Fact]
    public void Plain_gd_that_stops_short_is_pointed_to_momentum_and_sgd_to_a_larger_batch()
    {
        var plain = CliMessages.Warning(new NotConverged(1000, 0.5, 2e-3, new SolverOptions { Method = FitMethod.GradientDescent }));
        // Numbers as people write them (before: 1.68297E-09 and --tol 1E-10).
        Assert.Equal("1.7e-9", CliMessages.Short(1.68297e-9));
        Assert.Equal("1e-10", CliMessages.Num(1e-10));
        Assert.Equal("2.5e20", CliMessages.Num(2.5e20));
        Assert.Equal(
            "gradient descent did not converge in 1000 iterations: the gradient is still 0.002 of its starting size, and --tol 1e-10 asks for less "
            + "(--max-iter 1000, --alpha 0.5, --scale standard). To go on: raise --max-iter, use --optimizer momentum (about √κ iterations where plain steps need κ), "
            + "use --method normal for the exact answer.",
            plain);

        var sgd = CliMessages.Warning(new NotConverged(5, 0.1, 0.25,
            new SolverOptions { Method = FitMethod.StochasticGradientDescent, MaxIterations = 5, LearningRate = 0.1, Scaling = FeatureScaling.None }));
        Assert.Equal(
            "stochastic gradient descent did not converge in 5 epochs: the gradient is still 0.25 of its starting size, and --tol 1e-10 asks for less "
            + "(--max-iter 5, --alpha 0.1, --scale none). To go on: raise --max-iter, use --scale standard, leave out --alpha to use the automatic rate, "
            + "raise --batch-size (less noise per step), use --method normal for the exact answer.",
            sgd);
    }

    [Fact]
    public void An_argument_exception_from_the_core_is_an_internal_error_not_a_usage_error()
    {
        using var stderr = new StringWriter();
        int code = ErrorReporter.Report(new ArgumentException("The block holds fewer than 3 rows of 2 values."), stderr);
        Assert.Equal(ExitCodes.Internal, code);
        Assert.StartsWith("lsq: error: internal error (ArgumentException: ", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_numerical_failure_is_worded_by_the_cli()
    {
        using var stderr = new StringWriter();
        int code = ErrorReporter.Report(new InsufficientDataException(1, 2), stderr);
        Assert.Equal(ExitCodes.Numerical, code);
        Assert.Equal(
            "lsq: error: 1 data row but the model has 2 coefficients: a least-squares fit needs at least as many rows as coefficients. "
            + "Add rows, or drop predictors or lower --degree." + Environment.NewLine,
            stderr.ToString());
    }
}
