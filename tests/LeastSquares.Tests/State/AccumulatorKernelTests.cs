using LeastSquares.Numerics;

namespace LeastSquares.Tests.State;

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

    public static TheoryData<int> WideWidths => [1, 14, 15, 17, 31, 40, 63, 130];

    [SkippableTheory]
    [MemberData(nameof(WideWidths))]
    public void Blocked_256_and_scalar_kernels_give_identical_sums(int predictors)
    {
        Skip.IfNot(System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated, "this CPU has no 256-bit vectors");
        Compare(predictors, KernelChoice.Blocked256);
    }

    [SkippableTheory]
    [MemberData(nameof(WideWidths))]
    public void Blocked_512_and_scalar_kernels_give_identical_sums(int predictors)
    {
        Skip.IfNot(System.Runtime.Intrinsics.X86.Avx512F.IsSupported, "this CPU has no AVX-512");
        Compare(predictors, KernelChoice.Blocked512);
    }

    [Fact]
    public void Wide_rows_take_a_blocked_kernel_where_the_CPU_has_vectors()
    {
        Assert.True(KernelChoice.Best(KernelChoice.BlockedFrom) < 0 || !System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated);
        Assert.True(KernelChoice.Best(KernelChoice.BlockedFrom - 1) > 0);
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
                // some values (its low part is non-zero) and the compensation terms matter. The
                // first 64 rows (which choose the shift), every other row of the first 1000 and
                // every row of the second half lie within a factor 1.5 of the first row, so every
                // column keeps the first row as its shift, which is exact for those rows
                // (Sterbenz): the kernels' short paths run on them.
                double scale = Math.Pow(10, rng.Next(-6, 7));
                double offset = j % 3 == 0 ? 1.7e9 : j % 3 == 1 ? -3.25 : 0;
                bool near = first is not null && (i < LinearAccumulator.SampleRows || i % 2 == 1 || i >= 1000);
                row[j] = near ? first![j] * (1 + 0.5 * rng.NextDouble()) : offset + scale * (rng.NextDouble() - 0.5);
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

        Assert.True(exactRows is >= 1400 and < 2000, $"{exactRows} rows with an exact shift"); // the last 1000 rows all exact: whole blocks of them
        Assert.Equal(first, scalar.Shift.ToArray());
        Assert.Equal(first, vector.Shift.ToArray());

        AssertSameSums(scalar, vector);
        Assert.Contains(scalar.RawSums().CrossLo, lo => lo != 0); // the low parts were exercised
    }

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    public void The_first_rows_choose_the_shift_however_the_rows_arrive(int width)
    {
        Skip.If(width == 8 && !System.Runtime.Intrinsics.X86.Avx512F.IsSupported, "this CPU has no AVX-512");
        // A timestamp column (a large offset: every value within a factor 2 of the first keeps
        // it as the shift), a column around zero and a column that drops from about 25 to 0.3
        // once, late in the sample (both are spread, not offset: no shift).
        var terms = new ModelTerms(["t", "z"], "y");
        var rng = new Random(3);
        var rows = new double[500 * 3];
        for (int i = 0; i < 500; i++)
        {
            rows[(i * 3) + 0] = 1.7e9 + (86_400 * i) + rng.NextDouble();
            rows[(i * 3) + 1] = rng.NextDouble() - 0.5;
            rows[(i * 3) + 2] = i == LinearAccumulator.SampleRows - 1 ? 0.3 : 25 + rng.NextDouble();
        }

        var oneByOne = new LinearAccumulator(terms, width);
        for (int i = 0; i < 500; i++)
        {
            oneByOne.Add(rows.AsSpan(i * 3, 3));
        }

        var inBlocks = new LinearAccumulator(terms, width);
        for (int i = 0, n = 1; i < 500; i += n, n = (n * 3 % 17) + 1)
        {
            n = Math.Min(n, 500 - i);
            inBlocks.AddRows(rows.AsSpan(i * 3, n * 3), n); // blocks of 1 to 17 rows, across the sample's end
        }

        Assert.Equal([rows[0], 0, 0], oneByOne.Shift.ToArray());
        AssertSameSums(oneByOne, inBlocks);
    }

    /// <summary>Both accumulators hold the same double-double sums, bit for bit.</summary>
    private static void AssertSameSums(LinearAccumulator expected, LinearAccumulator actual)
    {
        var a = expected.RawSums();
        var b = actual.RawSums();
        Assert.Equal(a.SumHi, b.SumHi);
        Assert.Equal(a.SumLo, b.SumLo);
        Assert.Equal(a.CrossHi, b.CrossHi);
        Assert.Equal(a.CrossLo, b.CrossLo);
    }

    [Fact]
    public void Fewer_rows_than_the_sample_set_the_shift_when_the_moments_are_taken()
    {
        var terms = new ModelTerms(["t"], "y");
        var accumulator = new LinearAccumulator(terms, width: 1);
        accumulator.Add([1e9 + 1, 3]);
        accumulator.Add([1e9 + 2, 5]);
        accumulator.Add([1e9 + 4, 9]);
        var m = accumulator.ToMoments();
        Assert.Equal([1e9 + 1, 3], accumulator.Shift.ToArray());
        Assert.Equal(3, m.Count);
        Assert.Equal(1e9 + (7.0 / 3), m.GetMean(0).Hi, 6);
        Assert.Equal(56.0 / 3, m.GetComoment(1, 1).Hi, 12); // Σ(y − ȳ)², ȳ = 17/3
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
