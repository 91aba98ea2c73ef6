using System.Globalization;

namespace LeastSquares;

/// <summary>The texts of the core's messages, in one place.</summary>
internal static class Messages
{
    public static string Num(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    public static string TooFewRows(long rows, int coefficients) =>
        $"{rows} data row{(rows == 1 ? "" : "s")} but the model has {coefficients} coefficient{(coefficients == 1 ? "" : "s")}: "
        + "a least-squares fit needs at least as many rows as coefficients. Add rows, or drop predictors or lower --degree.";

    public static string ConstantColumn(string column, double value) =>
        $"column '{column}' is constant (every value is {Num(value)}), so its coefficient cannot be told apart from the intercept. "
        + "Drop it from --features.";

    public static string ZeroColumn(string column) =>
        $"column '{column}' is zero in every row, so its coefficient is undetermined. Drop it from --features.";

    public static string Collinear(string column, IReadOnlyList<(string Name, double Weight)> others, bool intercept)
    {
        var relation = string.Join(" + ", others.Select(o => $"{Num(o.Weight)}·{o.Name}"));
        if (intercept)
        {
            relation = relation.Length == 0 ? "a constant" : relation + " + constant";
        }

        var names = string.Join(", ", others.Select(o => $"'{o.Name}'").Prepend($"'{column}'"));
        return $"the design is rank-deficient: columns {names} are collinear ({column} ≈ {relation}), "
            + "so their coefficients are not determined by the data. Drop one of them from --features.";
    }

    public static string PolynomialSingular(string column, int degree, bool intercept) =>
        $"the terms of the degree-{degree} polynomial in '{column}' are numerically collinear: either '{column}' takes fewer than "
        + $"{degree + (intercept ? 1 : 0)} distinct values, or its range is too narrow for its distance from 0"
        + (intercept ? "" : " (without an intercept the raw powers of values far from 0 are nearly proportional)")
        + $". Lower --degree{(intercept ? "" : ", keep the intercept")}, or centre '{column}' before fitting.";

    public static string Diverged(double alpha, double last, double limit, int iterations, FeatureScaling scaling, bool stochastic) =>
        $"{(stochastic ? "stochastic " : "")}gradient descent diverged after {iterations} {(stochastic ? "epoch" : "iteration")}{(iterations == 1 ? "" : "s")} with learning rate {Num(alpha)}"
        + (last != alpha ? $" (by its schedule, {Num(last)} at the end)" : "") + ": "
        + $"the largest stable rate for this problem{(scaling == FeatureScaling.None ? " (unscaled features)" : "")} is {Num(limit)} (2/λmax of the Hessian)"
        + (stochastic ? " for full batches, and mini-batches need a smaller one still. " : ". ")
        + "Use a smaller --alpha, or leave it out to have lsq choose one"
        + (scaling == FeatureScaling.None ? ", or use --scale standard." : ".");

    public static string NotConverged(SolverOptions o, double alpha, int iterations, double relativeGradient)
    {
        bool sgd = o.Method == FitMethod.StochasticGradientDescent;
        var what = sgd ? "stochastic gradient descent" : "gradient descent";
        var unit = sgd ? "epochs" : "iterations";
        var advice = new List<string> { "raise --max-iter" };
        if (o.Scaling == FeatureScaling.None)
        {
            advice.Add("use --scale standard");
        }

        if (o.LearningRate is not null)
        {
            advice.Add("leave out --alpha to use the automatic rate");
        }

        if (!sgd && o.Optimizer == Optimizer.Plain)
        {
            advice.Add("use --optimizer momentum (about √κ iterations where plain steps need κ)");
        }

        if (sgd)
        {
            advice.Add("raise --batch-size (less noise per step)");
        }

        advice.Add("use --method normal for the exact answer");
        return $"{what} did not converge in {iterations} {unit} (--max-iter {o.MaxIterations}, --alpha {Num(alpha)}, "
            + $"--tol {Num(o.Tolerance)}, --scale {o.Scaling.ToString().ToLowerInvariant()}): the gradient is still {Num(relativeGradient)} "
            + $"of its starting size, as --tol measures it. To go on: {string.Join(", ", advice)}.";
    }
}
