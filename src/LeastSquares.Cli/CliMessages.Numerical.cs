namespace LeastSquares.Cli;

// The core's failures and warnings are typed facts; these are their words on the command line.
internal static partial class CliMessages
{
    /// <summary>The words for a fit's <paramref name="warning"/>, without the "warning:" prefix.</summary>
    public static string Warning(FitWarning warning) => warning switch
    {
        IllConditioned w => IllConditioned(w),
        RateAboveStabilityLimit w => $"--alpha {Num(w.Rate)} is above the stability limit 2/λmax = {Num(w.Limit)} of this problem; plain gradient descent will diverge.",
        NotConverged w => NotConverged(w),
        CoordinateDescentNotConverged w => $"coordinate descent stopped after {w.Sweeps} sweeps without meeting its stopping rule; the coefficients may be a little off.",
        LeverageOne w => LeverageOne(w),
        EssentiallyPerfectFit => "essentially perfect fit: the residuals are zero to about 15 digits, so the standard errors, t, p and intervals rest on rounding and may be unreliable (R's summary.lm warns the same).",
        AliasedCoefficients w =>
            $"the design is rank-deficient: {(w.Terms.Count == 1 ? "the coefficient" : "the coefficients")} {string.Join(", ", w.Terms.Select(t => $"'{t}'"))} "
            + $"{(w.Terms.Count == 1 ? "is" : "are")} aliased (a combination of the columns before {(w.Terms.Count == 1 ? "it" : "them")}) and reported as NA, as R's lm does; "
            + "the other coefficients are those of the model without "
            + (w.Terms.Count == 1 ? "it." : "them."),
        InferenceWithheld w => $"no standard errors, t, p, intervals or F: the {w.Method} fit did not converge, so its coefficients are not the least-squares estimates they describe. Raise --max-iter, or use --method normal for the exact estimate and its inference.",
        _ => throw new ArgumentOutOfRangeException(nameof(warning), warning, "A warning without words."),
    };

    /// <summary>The words for a numerical failure of the core.</summary>
    public static string Failure(NumericalException failure) => failure switch
    {
        InsufficientDataException e => TooFewRows(e.Rows, e.Coefficients),
        SingularDesignException e => Singular(e.Defect),
        DivergenceException e => Diverged(e),
        _ => failure.Message,
    };

    private static string LeverageOne(LeverageOne w)
    {
        var rows = string.Join(", ", w.Rows.Select(r => r.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            + (w.Count > w.Rows.Count ? $", … ({w.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)} rows in all)" : "");
        var which = w.Count == 1 ? $"row {rows} of the rows used has" : $"rows {rows} of the rows used have";
        return $"{which} leverage 1 (a coefficient rests on {(w.Count == 1 ? "that row" : "each of them")} alone), so its {w.Type} weight e²/(1 − h)"
            + $"{(w.Type == "HC3" ? "²" : "")} is 0/0: the {w.Type} standard errors, t, p, intervals and F are NaN, as sandwich gives them. "
            + "Use --vcov HC0 or HC1, or drop the term that isolates the row.";
    }

    private static string IllConditioned(IllConditioned w)
    {
        var size = double.IsFinite(w.ConditionNumber)
            ? $"condition number {Num(w.ConditionNumber)}"
            : "condition number too large to estimate, beyond about 1e16";
        return w.RawPowersOf is { } x
            ? $"the raw powers of '{x}' are nearly collinear ({size}). lsq fits in centred powers, so the "
                + "coefficients are those of the data, but each one is very sensitive to small changes in the data; "
                + $"centring '{x}' yourself gives coefficients that are easier to interpret."
            : $"the design is ill-conditioned ({size}): small changes in the data move the coefficients a lot. "
                + "Consider dropping or combining nearly collinear predictors.";
    }

    /// <summary>Inputs whose lines cannot hold a row per coefficient, found before any row was read.</summary>
    public static string TooFewLines(string files, long rows, int coefficients, bool hasHeader) =>
        $"{files}: {(rows == 0 ? "no line" : $"only {rows} line{(rows == 1 ? "" : "s")}")}{(hasHeader ? files.Contains(", ", StringComparison.Ordinal) ? " after their headers" : " after the header" : "")}, so at most {rows} data row{(rows == 1 ? "" : "s")}, "
        + $"but the model has {coefficients} coefficients: a least-squares fit needs at least as many rows as coefficients. "
        + "Add rows, or choose fewer predictors (-x, --exclude, a formula); a penalty (--penalty ridge --lambda L) fits more coefficients than rows.";

    private static string TooFewRows(long rows, int coefficients) =>
        $"{rows} data row{(rows == 1 ? "" : "s")} but the model has {coefficients} coefficient{(coefficients == 1 ? "" : "s")}: "
        + "a least-squares fit needs at least as many rows as coefficients. Add rows, or drop predictors or lower --degree.";

    private static string Singular(DesignDefect defect) => defect switch
    {
        ConstantColumn d =>
            $"column '{d.Column}' is constant (every value is {Num(d.Value)}), so its coefficient cannot be told apart from the intercept. "
            + "Leave it out of the model (the formula or --features)" + AliasedHint,
        ZeroColumn d => $"column '{d.Column}' is zero in every row, so its coefficient is undetermined. Leave it out of the model (the formula or --features)" + AliasedHint,
        CollinearColumns d => Collinear(d),
        SingleLevelFactor d =>
            $"the categorical column '{d.Column}' has one level ('{d.Level}') in the rows fitted, so no coefficient of it can be estimated "
            + "(R: contrasts can be applied only to factors with 2 or more levels). Leave it out of the model.",
        CollinearPowers d =>
            $"the terms of the degree-{d.Degree} polynomial in '{d.Column}' are numerically collinear: either '{d.Column}' takes fewer than "
            + $"{d.Degree + (d.Intercept ? 1 : 0)} distinct values, or its range is too narrow for its distance from 0"
            + (d.Intercept ? "" : " (without an intercept the raw powers of values far from 0 are nearly proportional)")
            + $". Lower --degree{(d.Intercept ? "" : ", keep the intercept")}, or centre '{d.Column}' before fitting.",
        PolynomialTooFewPoints d =>
            $"{d.Label}: the degree must be less than the number of distinct values of its argument (R's poly() says the same). Lower the degree.",
        PolynomialFarFromZero d =>
            $"{d.Label}: its argument is too far from 0 for its spread to give the degree-{d.Degree} basis to 12 digits in one pass "
            + "(lsq accumulates only the first poly() of a column around the data). Subtract a value near its mean inside poly(), e.g. poly(I(x - 1000), d), or put this poly() first.",
        _ => throw new ArgumentOutOfRangeException(nameof(defect), defect, "A defect without words."),
    };

    private static string Collinear(CollinearColumns d)
    {
        var relation = string.Join(" + ", d.Others.Select(o => $"{Num(o.Weight)}·{o.Name}"));
        if (d.Intercept)
        {
            relation = relation.Length == 0 ? "a constant" : relation + " + constant";
        }

        var names = string.Join(", ", d.Columns.Select(c => $"'{c}'"));
        return $"the design is rank-deficient: columns {names} are collinear ({d.Column} ≈ {relation}), "
            + "so their coefficients are not determined by the data. Leave one of them out of the model (the formula or --features)" + AliasedHint;
    }

    /// <summary>The fallback a rank-deficient design can take instead.</summary>
    private const string AliasedHint = ", or add --aliased na to fit the rest with the aliased coefficient reported as NA, as R's lm does.";

    private static string Diverged(DivergenceException e)
    {
        bool unscaled = e.Scaling == FeatureScaling.None;
        return $"{(e.Stochastic ? "stochastic " : "")}gradient descent diverged after {e.Iterations} {(e.Stochastic ? "epoch" : "iteration")}{(e.Iterations == 1 ? "" : "s")} with learning rate {Num(e.Rate)}"
            + (e.FinalRate != e.Rate ? $" (by its schedule, {Num(e.FinalRate)} at the end)" : "") + ": "
            + $"the largest stable rate for this problem{(unscaled ? " (unscaled features)" : "")} is {Num(e.LargestStableRate)} (2/λmax of the Hessian)"
            + (e.Stochastic ? " for full batches, and mini-batches need a smaller one still. " : ". ")
            + "Use a smaller --alpha, or leave it out to have lsq choose one"
            + (unscaled ? ", or use --scale standard." : ".");
    }

    private static string NotConverged(NotConverged w)
    {
        var o = w.Settings;
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
        return $"{what} did not converge in {w.Iterations} {unit}: the gradient is still {Short(w.RelativeGradient)} of its starting size, "
            + $"and --tol {Num(o.Tolerance)} asks for less (--max-iter {o.MaxIterations}, --alpha {Num(w.Rate)}, --scale {o.Scaling.ToString().ToLowerInvariant()}). "
            + $"To go on: {string.Join(", ", advice)}.";
    }
}
