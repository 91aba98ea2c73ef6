using System.Globalization;
using System.Text;
using System.Text.Json;
using LeastSquares.Cli.Input;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// Text (categorical) columns read in parts: each part meets its levels in its own order, and the
/// merged fit must be the fit of one sequential read, with R's level order (sorted, the first the
/// reference), whatever part a level is first met in, and whatever the number of threads.
/// </summary>
public sealed class ParallelLevelTests
{
    /// <summary>Parts of 64 kB, so that a file of a few MB is cut some 30 times.</summary>
    private static CliContext Parts(CliContext c, int threads = 3) =>
        c with { Parallel = new ParallelSettings { Threads = threads, MinBytes = 0, PartBytes = 64 << 10 } };

    private static CliContext Sequential(CliContext c) => c with { Parallel = new ParallelSettings { Threads = 1 } };

    private const int Rows = 100_000;

    /// <summary>
    /// x1, store, y with y = 1 + 2·x1 + the store's effect + noise. The first half meets stores b, m
    /// and s1…s9 (m never again); the second half b, c, s1…s9 and a, so that c and a (the reference
    /// level once sorted) are first met in a later part; one row in the middle holds zz, a level of
    /// a single part. <paramref name="quoted"/> writes the levels as R's write.csv does, with row
    /// names first; <paramref name="missing"/> puts an NA in some store and x1 cells.
    /// </summary>
    private static string Generate(bool quoted = false, bool missing = false)
    {
        var rng = new Random(11);
        var sb = new StringBuilder(quoted ? "\"\",\"x1\",\"store\",\"y\"\n" : "x1,store,y\n");
        for (int i = 0; i < Rows; i++)
        {
            int pick = rng.Next(11);
            string store = i == Rows / 2 + 17 ? "zz"
                : pick < 9 ? "s" + (pick + 1).ToString(CultureInfo.InvariantCulture)
                : i < Rows / 2 ? (pick == 9 ? "b" : "m")
                : (pick == 9 ? "c" : i % 2 == 0 ? "a" : "b");
            double x1 = Math.Round(rng.NextDouble() * 10, 6);
            double effect = store.Length switch { 1 => store[0] - 'a', 2 when store[0] == 's' => 0.5 * (store[1] - '0'), _ => -3 };
            double y = Math.Round(1 + 2 * x1 + effect + rng.NextDouble() - 0.5, 6);
            string x1Cell = x1.ToString("R", CultureInfo.InvariantCulture);
            if (missing && i % 997 == 5)
            {
                store = "NA";
            }

            if (missing && i % 1009 == 3)
            {
                x1Cell = "NA";
            }

            if (quoted)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\"{i + 1}\",{x1Cell},{(store == "NA" ? "NA" : "\"" + store + "\"")},{y:R}\n");
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"{x1Cell},{store},{y:R}\n");
            }
        }

        return sb.ToString();
    }

    private static (string[] Terms, double[] Estimates, long N) Fit(Lsq.Result r)
    {
        Assert.True(r.Code == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var coefficients = doc.RootElement.GetProperty("coefficients").EnumerateArray().ToArray();
        return ([.. coefficients.Select(c => c.GetProperty("term").GetString()!)], [.. coefficients.Select(c => c.GetProperty("estimate").GetDouble())],
            doc.RootElement.GetProperty("n").GetInt64());
    }

    private static void AssertSameFit(Lsq.Result parts, Lsq.Result sequential)
    {
        var (terms, estimates, n) = Fit(parts);
        var (seqTerms, seqEstimates, seqN) = Fit(sequential);
        Assert.Equal(seqTerms, terms);
        Assert.Equal(seqN, n);
        for (int j = 0; j < estimates.Length; j++)
        {
            double err = Math.Abs(estimates[j] - seqEstimates[j]) / Math.Max(1, Math.Abs(seqEstimates[j]));
            Assert.True(err < 1e-12, $"{terms[j]}: in parts {estimates[j]:R}, sequential {seqEstimates[j]:R}");
        }
    }

    [Fact]
    public void Levels_first_met_in_later_parts_merge_to_the_levels_and_fit_of_one_sequential_read()
    {
        using var dir = new TempDir();
        var path = dir.File("stores.csv", Generate());
        var parts = Lsq.RunWith("", c => Parts(c), "fit", path, "y ~ x1 + store", "-f", "json", "--summary");
        var sequential = Lsq.RunWith("", Sequential, "fit", path, "y ~ x1 + store", "-f", "json", "--summary");
        AssertSameFit(parts, sequential);

        // R's order: a (met only in the second half) is the reference, m (first half only) and zz
        // (one part only) have their columns.
        var (terms, _, n) = Fit(parts);
        Assert.Equal(["(intercept)", "x1", "storeb", "storec", "storem", "stores1", "stores2", "stores3", "stores4", "stores5", "stores6", "stores7",
            "stores8", "stores9", "storezz"], terms);
        Assert.Equal(Rows, n);
    }

    [Fact]
    public void One_thread_reads_the_parts_of_a_text_column_into_the_same_bytes_as_three()
    {
        using var dir = new TempDir();
        var path = dir.File("stores.csv", Generate());
        var three = Lsq.RunWith("", c => Parts(c), "fit", path, "y ~ x1 + store", "-f", "json", "--summary");
        var one = Lsq.RunWith("", c => Parts(c, threads: 1), "fit", path, "y ~ x1 + store", "-f", "json", "--summary");
        Assert.Equal(0, three.Code);
        Assert.Equal(three.Out, one.Out);
    }

    [Fact]
    public void Standard_input_with_a_text_column_prints_the_bytes_of_a_sequential_read_of_the_file()
    {
        // Standard input goes through the fast reader (levels coded from their bytes, rows in
        // blocks), the file through the CSV reader row by row: the same rows in the same order.
        var text = Generate();
        using var dir = new TempDir();
        var path = dir.File("stores.csv", text);
        var stdin = Lsq.RunWith(text, Sequential, "fit", "-", "y ~ x1 + store", "-f", "json", "--summary");
        var file = Lsq.RunWith("", Sequential, "fit", path, "y ~ x1 + store", "-f", "json", "--summary");
        Assert.Equal(0, file.Code);
        Assert.Equal(file.Out, stdin.Out);
    }

    [Fact]
    public void Rows_with_NA_cells_in_R_write_csv_output_are_skipped_in_parts_as_in_one_read()
    {
        using var dir = new TempDir();
        var path = dir.File("stores.csv", Generate(quoted: true, missing: true));
        var parts = Lsq.RunWith("", c => Parts(c), "fit", path, "y ~ x1 + store", "-f", "json", "--missing", "skip");
        var sequential = Lsq.RunWith("", Sequential, "fit", path, "y ~ x1 + store", "-f", "json", "--missing", "skip");
        var stdin = Lsq.RunWith(File.ReadAllText(path), Sequential, "fit", "-", "y ~ x1 + store", "-f", "json", "--missing", "skip");
        AssertSameFit(parts, sequential);
        Assert.Equal(sequential.Out, stdin.Out);
        int skipped = Enumerable.Range(0, Rows).Count(i => i % 997 == 5 || i % 1009 == 3);
        Assert.Equal(Rows - skipped, Fit(parts).N);
        Assert.Contains($"skipped {skipped} rows", parts.Err, StringComparison.Ordinal);
        Assert.Equal(sequential.Err, parts.Err);

        // The same rows unquoted, without row names: the same fit in parts, and, from standard
        // input (split after its header, so through the fast reader), the same bytes.
        var plain = Generate(missing: true);
        var plainPath = dir.File("plain.csv", plain);
        AssertSameFit(Lsq.RunWith("", c => Parts(c), "fit", plainPath, "y ~ x1 + store", "-f", "json", "--missing", "skip"), sequential);
        Assert.Equal(sequential.Out, Lsq.RunWith(plain, Sequential, "fit", "-", "y ~ x1 + store", "-f", "json", "--missing", "skip").Out);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_missing_level_late_in_the_file_is_the_error_a_sequential_read_reports(bool quoted)
    {
        using var dir = new TempDir();
        var lines = Generate(quoted).Split('\n');
        int line = 3 * Rows / 4; // 0-based among the lines: the header is line 1
        var fields = lines[line].Split(',');
        fields[quoted ? 2 : 1] = "NA";
        lines[line] = string.Join(',', fields);
        var path = dir.File("stores.csv", string.Join('\n', lines));
        var parts = Lsq.RunWith("", c => Parts(c), "fit", path, "y ~ x1 + store");
        var sequential = Lsq.RunWith("", Sequential, "fit", path, "y ~ x1 + store");
        Assert.Equal(2, parts.Code);
        Assert.Equal(sequential.Err, parts.Err);
        Assert.Contains($"stores.csv:{line + 1}:{(quoted ? 3 : 2)}: column 'store' is missing ('NA')", parts.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_numeric_factor_reads_its_levels_in_parts_as_in_one_read()
    {
        // factor(k) on a numeric column: 6 and 6.0 are one level, as R names numbers.
        var rng = new Random(5);
        var sb = new StringBuilder("x1,k,y\n");
        for (int i = 0; i < 60_000; i++)
        {
            int k = rng.Next(4) * 2;
            string cell = i % 3 == 0 ? k.ToString(CultureInfo.InvariantCulture) + ".0" : k.ToString(CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"{i % 100},{cell},{i % 100 + k + rng.NextDouble():R}\n");
        }

        using var dir = new TempDir();
        var path = dir.File("k.csv", sb.ToString());
        var parts = Lsq.RunWith("", c => Parts(c), "fit", path, "y ~ x1 + factor(k)", "-f", "json");
        var sequential = Lsq.RunWith("", Sequential, "fit", path, "y ~ x1 + factor(k)", "-f", "json");
        AssertSameFit(parts, sequential);
        Assert.Equal(["(intercept)", "x1", "factor(k)2", "factor(k)4", "factor(k)6"], Fit(parts).Terms);
    }
}
