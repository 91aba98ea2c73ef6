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

    /// <summary>
    /// 3 rows of 20,001 columns (1 MB): the model's state would take 20,001² double-doubles (6.4 GB);
    /// the lines of the file are counted first, so the fit is refused before that state exists.
    /// </summary>
    [Theory]
    [InlineData("normal", "\n")]
    [InlineData("qr", "\n")]
    [InlineData("normal", "\r")]
    public void A_wide_file_with_fewer_lines_than_coefficients_is_refused_before_its_state_is_made(string method, string lineEnd)
    {
        const int Columns = 20_000;
        var header = string.Join(",", Enumerable.Range(1, Columns).Select(j => $"c{j}")) + ",y";
        var rows = Enumerable.Range(1, 3).Select(i => string.Join(",", Enumerable.Range(0, Columns + 1).Select(j => ((i * 7 + j) % 10).ToString(CultureInfo.InvariantCulture))));
        var csv = string.Join(lineEnd, [header, .. rows]) + lineEnd;
        long before = GC.GetTotalAllocatedBytes();
        var r = Fit(csv, "-m", method);
        long allocated = GC.GetTotalAllocatedBytes() - before; // the whole process: other tests' allocations count too
        Expect.Error(r, 3, "numerical/wide-file-few-lines", "data.csv: only 3 lines after the header", "at most 3 data rows", "20001 coefficients");
        Assert.True(allocated < 1L << 30, $"{allocated >> 20} MB allocated: the state was made");
    }

    [Fact]
    public void Standard_input_and_a_gzip_file_too_wide_for_their_rows_are_refused_from_the_rows_read_ahead()
    {
        const int Columns = 20_000;
        var header = string.Join(",", Enumerable.Range(1, Columns).Select(j => $"c{j}")) + ",y";
        var csv = string.Join("\n", [header, .. Enumerable.Range(1, 3).Select(i => string.Join(",", Enumerable.Range(0, Columns + 1).Select(j => ((i + j) % 7).ToString(CultureInfo.InvariantCulture))))]) + "\n";
        long before = GC.GetTotalAllocatedBytes();
        var r = Lsq.RunWithInput(csv, "fit");
        Expect.Error(r, 3, "numerical/wide-stdin-few-lines", "<stdin>: only 3 lines after the header", "20001 coefficients");

        using var dir = new TempDir();
        var gz = Path.Combine(dir.Path, "wide.csv.gz");
        using (var file = File.Create(gz))
        using (var zip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest))
        {
            zip.Write(System.Text.Encoding.UTF8.GetBytes(csv));
        }

        var g = Lsq.Run("fit", gz);
        long allocated = GC.GetTotalAllocatedBytes() - before;
        Expect.Error(g, 3, "numerical/wide-gzip-few-lines", "wide.csv.gz: only 3 lines after the header", "20001 coefficients");
        Assert.True(allocated < 1L << 30, $"{allocated >> 20} MB allocated: a state was made");
    }

    [Fact]
    public void Several_files_are_counted_together_and_a_wide_fit_with_enough_rows_still_runs()
    {
        // 80 coefficients: 45 and 40 rows in two files are enough together, and are fitted.
        using var dir = new TempDir();
        var header = string.Join(",", Enumerable.Range(1, 79).Select(j => $"c{j}")) + ",y";
        var random = new Random(3);
        string Rows(int n) => string.Concat(Enumerable.Range(0, n).Select(_ =>
            string.Join(",", Enumerable.Range(0, 80).Select(_ => random.NextDouble().ToString("R", CultureInfo.InvariantCulture))) + "\n"));
        var a = dir.File("a.csv", header + "\n" + Rows(45));
        var b = dir.File("b.csv", header + "\n" + Rows(40));
        var r = Lsq.Run("fit", a, b, "-f", "json");
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("\"n\":85", r.Out, StringComparison.Ordinal);
        var few = dir.File("few.csv", header + "\n" + Rows(30));
        Expect.Error(Lsq.Run("fit", a, few), 3, "numerical/wide-files-few-lines", "only 75 lines after their headers", "80 coefficients");
    }

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
