using LeastSquares.Numerics;

namespace LeastSquares.Tests;

/// <summary>
/// The SIMD kernel of the linear accumulator performs, lane by lane, the same operations as the
/// scalar kernel, so the two must give the same double-double sums exactly, not just closely.
/// </summary>
public sealed class AccumulatorKernelTests
{
    public static TheoryData<int> Widths => [1, 2, 3, 4, 5, 7, 8, 11, 12, 13, 14, 17];

    [Theory]
    [MemberData(nameof(Widths))]
    public void Vector_and_scalar_kernels_give_identical_sums(int predictors) => Compare(predictors, 4);

    [SkippableTheory]
    [MemberData(nameof(Widths))]
    public void Packed_AVX512_and_scalar_kernels_give_identical_sums(int predictors)
    {
        Skip.IfNot(System.Runtime.Intrinsics.X86.Avx512F.IsSupported, "this CPU has no AVX-512");
        if (predictors + 2 > 16)
        {
            var terms = new ModelTerms(Enumerable.Range(1, predictors).Select(j => "x" + j).ToArray(), "y");
            Assert.Throws<ArgumentOutOfRangeException>(() => new LinearAccumulator(terms, width: 8)); // too wide to pack
            return;
        }

        Compare(predictors, 8);
    }

    private static void Compare(int predictors, int width)
    {
        var terms = new ModelTerms(Enumerable.Range(1, predictors).Select(j => "x" + j).ToArray(), "y");
        var scalar = new LinearAccumulator(terms, width: 1);
        var vector = new LinearAccumulator(terms, width: width);
        var rng = new Random(predictors);
        var row = new double[predictors + 1];
        var pending = new List<double>();
        double[]? first = null;
        int exactRows = 0;
        for (int i = 0; i < 2000; i++)
        {
            for (int j = 0; j < row.Length; j++)
            {
                // Mixed magnitudes and offsets, so that the shift by the first row is inexact for
                // some values (its low part is non-zero) and the compensation terms matter; every
                // other row, and every row of the second half, lies within a factor 1.5 of the
                // first, so its shift is exact (Sterbenz), for the kernels' short paths.
                double scale = Math.Pow(10, rng.Next(-6, 7));
                double offset = j % 3 == 0 ? 1.7e9 : j % 3 == 1 ? -3.25 : 0;
                row[j] = (i % 2 == 0 && i < 1000) || first is null ? offset + scale * (rng.NextDouble() - 0.5) : first[j] * (1 + 0.5 * rng.NextDouble());
            }

            first ??= (double[])row.Clone();
            if (row.Select((v, j) => DoubleDouble.TwoDiff(v, first[j]).Lo == 0).All(e => e))
            {
                exactRows++;
            }

            scalar.Add(row);
            pending.AddRange(row);
            if (rng.Next(200) == 0 || i == 1999)
            {
                // Blocks of every length, so the block kernels see runs of exact rows and mixed ones.
                vector.AddRows(pending.ToArray(), pending.Count / row.Length);
                pending.Clear();
            }
        }

        Assert.True(exactRows >= 1400, $"{exactRows} rows with an exact shift"); // the last 1000 rows all exact: whole blocks of them

        var s = scalar.RawSums();
        var v = vector.RawSums();
        Assert.Equal(s.SumHi, v.SumHi);
        Assert.Equal(s.SumLo, v.SumLo);
        Assert.Equal(s.CrossHi, v.CrossHi);
        Assert.Equal(s.CrossLo, v.CrossLo);
        Assert.Contains(s.CrossLo, lo => lo != 0); // the low parts were exercised
    }

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    public void A_value_that_is_not_finite_in_a_block_is_reported_with_its_row(int width)
    {
        Skip.If(width == 8 && !System.Runtime.Intrinsics.X86.Avx512F.IsSupported, "this CPU has no AVX-512");
        var terms = new ModelTerms(["a", "b"], "y");
        var accumulator = new LinearAccumulator(terms, width);
        var block = Enumerable.Range(0, 300 * 3).Select(k => 1.0 + (k % 7)).ToArray();
        block[(250 * 3) + 1] = double.PositiveInfinity;
        var e = Assert.Throws<ArgumentException>(() => accumulator.AddRows(block, 300));
        Assert.Contains("Value 2 of row 251 is not finite", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kernel_width_must_be_one_or_a_vector()
    {
        var terms = new ModelTerms(["x"], "y");
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearAccumulator(terms, width: 3));
    }
}
