namespace LeastSquares.Tests.State;

/// <summary>
/// The moments of a QR factor form their p×p co-moments only when something reads them whole; an
/// entry read before that (the total sum of squares a fit prints) must be the bits the whole matrix
/// holds, or a qr fit's R² would depend on what else was asked of it.
/// </summary>
public sealed class FactorMomentsTests
{
    [Theory]
    [InlineData(1, true)]
    [InlineData(1, false)]
    [InlineData(3, true)]
    public void An_entry_read_alone_has_the_bits_of_the_whole_matrix(int degree, bool intercept)
    {
        // 30 columns (the blocked Householder form) with offsets, or a cubic in a timestamp.
        var rng = new Random(41);
        int k = degree == 1 ? 30 : 1;
        var names = Enumerable.Range(1, k).Select(j => "x" + j).ToArray();
        var terms = new ModelTerms(names, "y", degree, intercept);
        var rows = Enumerable.Range(0, 400).Select(_ => Enumerable.Range(0, k + 1)
            .Select(j => (degree == 1 ? j * 1e3 : 1.7e9) + (rng.NextDouble() * 100)).ToArray()).ToArray();

        Moments Fresh()
        {
            var acc = MomentAccumulator.Create(terms, FitMethod.Qr);
            foreach (var row in rows)
            {
                acc.Add(row);
            }

            return acc.ToMoments();
        }

        int q = terms.FeatureCount;
        var whole = Fresh();
        var all = Enumerable.Range(0, q + 1).SelectMany(i => Enumerable.Range(0, q + 1).Select(j => whole.Co[i, j])).ToArray();
        var entries = Enumerable.Range(0, q + 1).SelectMany(i => Enumerable.Range(0, q + 1).Select(j => Fresh().GetComoment(i, j))).ToArray();
        Assert.Equal(all.Select(v => (v.Hi, v.Lo)), entries.Select(v => (v.Hi, v.Lo)));
        Assert.Equal(Mse.TotalSumOfSquares(Synthetic.Moments(rows.Select(r => r[..k]).ToArray(), rows.Select(r => r[k]).ToArray(), intercept, degree, names)),
            Mse.TotalSumOfSquares(Fresh()), 1e-12 * Mse.TotalSumOfSquares(whole));
    }
}
