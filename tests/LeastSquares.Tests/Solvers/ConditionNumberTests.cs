using System.Globalization;
using LeastSquares.Numerics;
using Xunit.Abstractions;

namespace LeastSquares.Tests.Solvers;

/// <summary>
/// A fit that does not form the covariance (<see cref="SolverOptions.Covariance"/> false: what a
/// plain <c>lsq fit</c> prints) gets its condition number from solves with the triangular factor
/// instead of the explicit inverse: the same coefficients to the bit, the same condition number to
/// nine digits, and so the same warning, on NIST's ill-conditioned sets and on wide designs.
/// </summary>
public sealed class ConditionNumberTests(ITestOutputHelper output)
{
    public static TheoryData<string, FitMethod> NistCases()
    {
        var data = new TheoryData<string, FitMethod>();
        foreach (var name in TestData.NistNames)
        {
            data.Add(name, FitMethod.Normal);
            data.Add(name, FitMethod.Qr);
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(NistCases))]
    public void Without_the_covariance_a_NIST_fit_has_the_same_condition_number_and_warning(string name, FitMethod method)
    {
        var set = TestData.LoadNist(name);
        var acc = NistTests.Accumulate(set, method);
        var (with, without) = (Fit(acc, method, covariance: true), Fit(acc, method, covariance: false));
        AssertSame(name, with, without);
    }

    [Theory]
    [InlineData(FitMethod.Normal, 0.0)]
    [InlineData(FitMethod.Normal, 1e-10)]
    [InlineData(FitMethod.Qr, 1e-10)]
    [InlineData(FitMethod.Normal, 1e-4)]
    public void Without_the_covariance_a_wide_fit_has_the_same_condition_number_and_warning(FitMethod method, double nearCopy)
    {
        // 80 predictors of scales 1e-2 to 1e2 with offsets (bench/widegen.py's kind of design);
        // with nearCopy > 0 every tenth column is the one before plus that much noise relative to
        // it: condition numbers near 1e4 (solves in double-double) and beyond 1e10 (the warning).
        int p = 80;
        var rng = new Random(18);
        var offsets = Enumerable.Range(0, p).Select(j => (j % 3) * 500.0).ToArray();
        var scales = Enumerable.Range(0, p).Select(j => Math.Pow(10, (j % 5) - 2)).ToArray();
        var x = new double[400][];
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = new double[p];
            for (int j = 0; j < p; j++)
            {
                x[i][j] = nearCopy > 0 && j % 10 == 9
                    ? x[i][j - 1] * (1 + (nearCopy * Normal(rng)))
                    : offsets[j] + (scales[j] * Normal(rng));
                y[i] += x[i][j] * ((j % 2 == 0 ? 1 : -1) / (1.0 + j));
            }

            y[i] += 0.1 * Normal(rng);
        }

        var with = Synthetic.Fit(x, y, method);
        var acc = MomentAccumulator.Create(new ModelTerms(Enumerable.Range(1, p).Select(j => "x" + j).ToArray(), "y"), method);
        var row = new double[p + 1];
        for (int i = 0; i < x.Length; i++)
        {
            x[i].CopyTo(row, 0);
            row[p] = y[i];
            acc.Add(row);
        }

        AssertSame(FormattableString.Invariant($"p = {p}, near copies {nearCopy:R}"), Fit(acc, method, covariance: true), Fit(acc, method, covariance: false));
        Assert.Equal(with.ConditionNumber, Fit(acc, method, covariance: true).ConditionNumber);
        if (nearCopy == 1e-10)
        {
            Assert.Contains(with.Warnings, w => w is IllConditioned); // the case that must warn does
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_factors_products_and_solves_are_the_gram_matrix_and_its_inverse(bool illConditioned)
    {
        // R: a well-conditioned random upper triangle of order 37 (vector loops and their tails),
        // or the Cholesky factor of the Gram matrix of the powers t⁰…t¹¹ on [0, 1] (condition
        // number near 1e8, where solves in double lose half their digits).
        var rng = new Random(3);
        DoubleDouble[,] r;
        if (illConditioned)
        {
            int m = 12;
            var gramOfPowers = new DoubleDouble[m, m];
            for (int k = 0; k < 200; k++)
            {
                double t = k / 199.0;
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < m; j++)
                    {
                        gramOfPowers[i, j] += DoubleDouble.TwoProduct(Math.Pow(t, i), Math.Pow(t, j));
                    }
                }
            }

            Assert.Equal(-1, DdMatrix.Cholesky(gramOfPowers, DdMatrix.RankTolerance, out r));
        }
        else
        {
            int m = 37;
            r = new DoubleDouble[m, m];
            for (int i = 0; i < m; i++)
            {
                r[i, i] = new DoubleDouble(1 + rng.NextDouble());
                for (int j = i + 1; j < m; j++)
                {
                    r[i, j] = new DoubleDouble((rng.NextDouble() - 0.5) / m);
                }
            }
        }

        int n = r.GetLength(0);
        var gram = DdMatrix.Gram(r);
        var op = new GramOperator(r);
        var d = op.Scale.ToArray();
        Assert.Equal(Enumerable.Range(0, n).Select(i => Math.Sqrt(gram[i, i].ToDouble())), d); // the explicit scaling's bits
        var v = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var av = new double[n];
        op.Multiply(v, av);
        for (int i = 0; i < n; i++)
        {
            var terms = Enumerable.Range(0, n).Select(j => gram[i, j].ToDouble() / (d[i] * d[j]) * v[j]).ToArray();
            Assert.True(Math.Abs(av[i] - terms.Sum()) <= 1e-13 * terms.Sum(Math.Abs), $"{i}: {av[i]} against {terms.Sum()}");
        }

        // A⁻¹v against the explicit inverse: in double-double to its rounding, in double to about κ·2⁻⁵³.
        var inverse = DdMatrix.InverseFromCholesky(r);
        var exact = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Sum(j => inverse[i, j].ToDouble() * d[i] * d[j] * v[j])).ToArray();
        double norm = exact.Max(Math.Abs);
        var solved = new double[n];
        op.SolveExact(v, solved);
        Assert.All(Enumerable.Range(0, n), i => Assert.True(Math.Abs(solved[i] - exact[i]) <= 1e-12 * norm, $"{i}: {solved[i]} against {exact[i]}"));
        if (!illConditioned)
        {
            op.Solve(v, solved);
            Assert.All(Enumerable.Range(0, n), i => Assert.True(Math.Abs(solved[i] - exact[i]) <= 1e-12 * norm, $"{i}: {solved[i]} against {exact[i]}"));
        }
    }

    private static FitResult Fit(MomentAccumulator acc, FitMethod method, bool covariance) =>
        Solver.Fit(acc, new SolverOptions { Method = method, Covariance = covariance });

    private void AssertSame(string what, FitResult with, FitResult without)
    {
        Assert.NotNull(with.UnscaledCovariance);
        Assert.Null(without.UnscaledCovariance);
        Assert.Equal(with.Coefficients, without.Coefficients);
        Assert.Equal(with.SumOfSquaredErrors, without.SumOfSquaredErrors);
        double a = with.ConditionNumber!.Value;
        double b = without.ConditionNumber!.Value;
        double digits = a == b ? 17 : -Math.Log10(Math.Abs(a - b) / a);
        output.WriteLine(FormattableString.Invariant($"{what}: condition {a:R} from the inverse, {b:R} from the factor ({digits:F1} digits)"));
        if (double.IsInfinity(a) || double.IsInfinity(b))
        {
            Assert.Equal(a, b);
        }
        else
        {
            Assert.True(digits >= 9, FormattableString.Invariant($"{what}: {a:R} against {b:R}"));
        }

        // The warning a user reads: its kind, its column, and the number as printed (six digits).
        Assert.Equal(Describe(with.Warnings), Describe(without.Warnings));
    }

    private static string[] Describe(IReadOnlyList<FitWarning> warnings) =>
        [.. warnings.Select(w => w is IllConditioned ill
            ? "ill-conditioned " + ill.ConditionNumber.ToString("G6", CultureInfo.InvariantCulture) + " " + ill.RawPowersOf
            : w.ToString())];

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
