using System.Globalization;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// Exit 3: data that cannot give the fit asked for (too few rows, a constant or collinear column,
/// gd that diverges, or does not converge under --strict). The message names the columns and the
/// numbers, and says what to do.
/// </summary>
public sealed class NumericalErrorTests
{
    private static Lsq.Result Fit(string csv, params string[] extra)
    {
        using var dir = new TempDir();
        var file = dir.File("data.csv", csv);
        return Lsq.Run(["fit", file, .. extra]);
    }

    [Fact]
    public void One_row_is_too_few_for_a_line() =>
        Expect.Error(Fit("x,y\n1,2\n"), 3, "numerical/one-row", "1 data row but the model has 2 coefficients");

    [Fact]
    public void Fewer_rows_than_coefficients() =>
        Expect.Error(Fit("a,b,y\n1,2,3\n2,3,4\n"), 3, "numerical/fewer-rows-than-coefficients", "2 data rows but the model has 3 coefficients");

    [Theory]
    [InlineData("normal")]
    [InlineData("qr")]
    public void Constant_column(string method) =>
        Expect.Error(Fit("a,b,y\n1,5,3\n2,5,4\n3,5,1\n4,5,4\n", "-m", method), 3, "numerical/constant-column-" + method, "column 'b' is constant (every value is 5)");

    [Theory]
    [InlineData("normal")]
    [InlineData("qr")]
    public void Duplicated_column_is_collinear(string method) =>
        Expect.Error(Fit("a,b,y\n1,1,3\n2,2,4\n3,3,1\n4,4,4\n", "-m", method), 3, "numerical/duplicated-column-" + method,
            "the design is rank-deficient: columns 'b', 'a' are collinear (b ≈ 1·a + constant)");

    [Theory]
    [InlineData("normal")]
    [InlineData("qr")]
    public void Column_that_is_a_combination_of_two_others_names_all_three(string method) =>
        Expect.Error(Fit("a,b,c,y\n1,0,2,3\n2,1,6,4\n3,5,16,1\n4,2,12,4\n5,7,24,2\n", "-m", method), 3, "numerical/combination-of-two-columns-" + method,
            "the design is rank-deficient: columns 'c', 'a', 'b' are collinear (c ≈ 2·a + 2·b + constant)");

    [Fact]
    public void A_column_of_zeros_without_an_intercept() =>
        Expect.Error(Fit("a,b,y\n1,0,3\n2,0,5\n3,0,4\n", "--no-intercept"), 3, "numerical/zero-column-no-intercept",
            "column 'b' is zero in every row, so its coefficient is undetermined. Leave it out of the model (the formula or --features)",
            "--aliased na");

    [Fact]
    public void No_intercept_polynomial_far_from_zero_is_refused_and_explains_itself()
    {
        // x = 1e8 + i/3: without an intercept the raw powers x, x², x³ of values this far from 0
        // agree to about 16 digits, so the normal equations cannot tell them apart. lsq refuses
        // (exit 3) rather than print coefficients made of rounding, and says why and what to do.
        var csv = "x,y\n" + string.Join("\n", Enumerable.Range(0, 30).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"{1e8 + (i / 3.0)},{i * 2.5}"))) + "\n";
        var r = Lsq.RunWithInput(csv, "fit", "--degree", "3", "--no-intercept");
        Expect.Error(r, 3, "numerical/no-intercept-polynomial-far-from-zero",
            "the terms of the degree-3 polynomial in 'x' are numerically collinear", "fewer than 3 distinct values", "keep the intercept");
    }

    [Fact]
    public void Diverging_gd_exits_3_with_the_stable_rate()
    {
        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", "gd", "-a", "2", "--scale", "none");
        Expect.Error(r, 3, "numerical/gd-diverged", "gradient descent diverged", "the largest stable rate");
        Assert.Matches(@"the largest stable rate .* is 0\.\d+", r.Err);
    }

    [Fact]
    public void Strict_turns_non_convergence_into_exit_3()
    {
        string[] args = ["fit", Lsq.Sample("linear.csv"), "-m", "gd", "-a", "0.01", "--max-iter", "10", "--scale", "none", "--strict"];

        // -q leaves the error alone; without it the convergence warning comes first.
        Expect.Error(Lsq.Run([.. args, "-q"]), 3, "numerical/strict-not-converged", "gradient descent did not converge and --strict is set");
        var loud = Lsq.Run(args);
        Assert.Equal((3, ""), (loud.Code, loud.Out));
        Assert.StartsWith("lsq: warning: gradient descent did not converge in 10 iterations", loud.Err, StringComparison.Ordinal);
        Golden.Match("errors/numerical/strict-not-converged-with-warning.txt", Golden.Normalize(loud.Err));
    }

    [Fact]
    public void Merging_partials_of_zero_rows_in_all_is_too_few_rows_for_a_fit()
    {
        var empty = Lsq.RunWithInput("x,y\n", "fit", "--partial");
        Assert.Equal(0, empty.Code);
        Expect.Error(Lsq.RunWithInput(empty.Out + empty.Out, "merge"), 3, "numerical/merge-zero-rows", "0 data rows but the model has 2 coefficients");
    }
}
