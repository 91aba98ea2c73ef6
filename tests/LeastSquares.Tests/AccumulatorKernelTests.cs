using LeastSquares.Numerics;

namespace LeastSquares.Tests;

/// <summary>
/// The SIMD kernel of the linear accumulator performs, lane by lane, the same operations as the
/// scalar kernel, so the two must give the same double-double sums exactly, not just closely.
/// </summary>
public sealed class AccumulatorKernelTests
{
    public static TheoryData<int> Widths => [1, 2, 3, 4, 5, 7, 8, 11, 12, 13, 17];

    [Theory]
    [MemberData(nameof(Widths))]
    public void Vector_and_scalar_kernels_give_identical_sums(int predictors)
    {
        var terms = new ModelTerms(Enumerable.Range(1, predictors).Select(j => "x" + j).ToArray(), "y");
        var scalar = new LinearAccumulator(terms, width: 1);
        var vector = new LinearAccumulator(terms, width: 4);
        var rng = new Random(predictors);
        var row = new double[predictors + 1];
        double[]? first = null;
        int exactRows = 0;
        for (int i = 0; i < 2000; i++)
        {
            for (int j = 0; j < row.Length; j++)
            {
                // Mixed magnitudes and offsets, so that the shift by the first row is inexact for
                // some values (its low part is non-zero) and the compensation terms matter; every
                // other row lies within a factor 1.5 of the first, so its shift is exact (Sterbenz),
                // for the kernel's short path.
                double scale = Math.Pow(10, rng.Next(-6, 7));
                double offset = j % 3 == 0 ? 1.7e9 : j % 3 == 1 ? -3.25 : 0;
                row[j] = i % 2 == 0 || first is null ? offset + scale * (rng.NextDouble() - 0.5) : first[j] * (1 + 0.5 * rng.NextDouble());
            }

            first ??= (double[])row.Clone();
            if (row.Select((v, j) => DoubleDouble.TwoDiff(v, first[j]).Lo == 0).All(e => e))
            {
                exactRows++;
            }

            scalar.Add(row);
            vector.Add(row);
        }

        Assert.True(exactRows >= 900, $"{exactRows} rows with an exact shift");

        var s = scalar.RawSums();
        var v = vector.RawSums();
        Assert.Equal(s.SumHi, v.SumHi);
        Assert.Equal(s.SumLo, v.SumLo);
        Assert.Equal(s.CrossHi, v.CrossHi);
        Assert.Equal(s.CrossLo, v.CrossLo);
        Assert.Contains(s.CrossLo, lo => lo != 0); // the low parts were exercised
    }

    [Fact]
    public void Kernel_width_must_be_one_or_a_vector()
    {
        var terms = new ModelTerms(["x"], "y");
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearAccumulator(terms, width: 3));
    }
}
