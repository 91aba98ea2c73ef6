using Xunit.Abstractions;

namespace LeastSquares.Tests;

/// <summary>
/// NIST StRD linear regression: every certified coefficient, standard deviation, residual SD and
/// R² to a log relative error of at least 12 (certified values: ../shared/reference/nist-strd).
/// </summary>
public sealed class NistTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in TestData.NistNames)
        {
            foreach (var method in new[] { "normal", "qr" })
            {
                data.Add(name, method);
            }
        }

        return data;
    }

    internal static MomentAccumulator Accumulate(TestData.NistSet set, FitMethod method)
    {
        var predictors = set.Header.Skip(1).ToArray();
        var terms = new ModelTerms(predictors, set.Header[0], set.Degree, set.Intercept);
        var acc = MomentAccumulator.Create(terms, method);
        var row = new double[terms.RowWidth];
        foreach (var r in set.Rows)
        {
            // NIST files put y first; rows given to lsq put it last.
            for (int j = 1; j < r.Length; j++)
            {
                row[j - 1] = r[j];
            }

            row[^1] = r[0];
            acc.Add(row);
        }

        return acc;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Reproduces_certified_values_to_12_digits(string name, string method)
    {
        var set = TestData.LoadNist(name);
        var options = new SolverOptions { Method = method == "qr" ? FitMethod.Qr : FitMethod.Normal };
        var fit = Solver.Fit(Accumulate(set, options.Method), options);
        var stats = RegressionStatistics.Compute(fit);
        var lre = new List<(string What, double Lre)>();
        for (int j = 0; j < set.Estimates.Length; j++)
        {
            lre.Add(($"B{j} estimate", TestData.Lre(fit.Coefficients[j], set.Estimates[j])));
            lre.Add(($"B{j} std_dev", TestData.Lre(stats.Coefficients[j].StandardError!.Value, set.StdDevs[j])));
        }

        lre.Add(("residual_sd", TestData.Lre(stats.ResidualStandardError!.Value, set.ResidualSd)));
        lre.Add(("r_squared", TestData.Lre(stats.RSquared!.Value, set.RSquared)));
        foreach (var (what, value) in lre)
        {
            output.WriteLine($"{name} {method} {what}: LRE {value:F1}");
        }

        var worst = lre.MinBy(l => l.Lre);
        output.WriteLine($"{name} {method} minimum LRE: {worst.Lre:F1} ({worst.What})");
        Assert.True(worst.Lre >= 12, $"{name} ({method}): {worst.What} has LRE {worst.Lre:F2} < 12");
    }
}
