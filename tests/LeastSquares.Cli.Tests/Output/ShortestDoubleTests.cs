using System.Globalization;
using System.Text;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// <see cref="ShortestDouble"/>, <c>lsq predict</c>'s number writer, against the text predict wrote
/// before it: .NET's default (shortest round-trip) format, invariant culture, lower-case exponent.
/// Byte for byte over millions of random doubles and every family where the digits or the layout
/// are delicate.
/// </summary>
public sealed class ShortestDoubleTests
{
    private static string DotNet(double value)
    {
        Span<byte> text = stackalloc byte[64];
        Assert.True(value.TryFormat(text, out int n, default, CultureInfo.InvariantCulture));
        return Encoding.ASCII.GetString(text[..n]).Replace('E', 'e');
    }

    private static string? Mine(double value)
    {
        Span<byte> text = stackalloc byte[ShortestDouble.MaxBytes];
        return ShortestDouble.TryWrite(value, text, out int n) ? Encoding.ASCII.GetString(text[..n]) : null;
    }

    /// <summary>Checks every value; the first few differences are named in the failure.</summary>
    private static void Same(IEnumerable<double> values)
    {
        var wrong = new List<string>();
        long count = 0;
        foreach (double v in values)
        {
            count++;
            string expected = DotNet(v);
            string? actual = Mine(v);
            if (actual != expected && wrong.Count < 10)
            {
                wrong.Add($"0x{BitConverter.DoubleToUInt64Bits(v):X16}: {actual} instead of {expected}");
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} (or more) of {count} differ:\n{string.Join('\n', wrong)}");
    }

    private static double Bits(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

    private static double Next(double v, int steps) => Bits((ulong)((long)BitConverter.DoubleToUInt64Bits(v) + steps));

    [Fact]
    public void Random_bit_patterns_give_the_same_text()
    {
        var random = new Random(20261201);
        Same(Enumerable.Range(0, 2_000_000).Select(_ => Bits((ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63)))
            .Where(double.IsFinite));
    }

    [Fact]
    public void Random_short_decimals_and_typical_predictions_give_the_same_text()
    {
        // Values read from short decimal text (the digits a CSV holds) and sums of products of them.
        var random = new Random(5);
        Same(Enumerable.Range(0, 1_000_000).Select(_ =>
        {
            int digits = random.Next(1, 18);
            long mantissa = random.NextInt64((long)Math.Pow(10, digits));
            return double.Parse(string.Create(CultureInfo.InvariantCulture, $"{mantissa}e{random.Next(-25, 25)}"), CultureInfo.InvariantCulture);
        }));
        Same(Enumerable.Range(0, 500_000).Select(_ => (random.NextDouble() * 200) - 100));
        Same(Enumerable.Range(0, 200_000).Select(_ => (0.1 * random.Next(-1000, 1000)) + (2.5 * random.Next(100)) - (1e-3 * random.Next(1000))));
    }

    [Fact]
    public void Powers_of_ten_and_two_and_their_neighbours_give_the_same_text()
    {
        var values = new List<double>();
        for (int e = -325; e <= 309; e++)
        {
            double p = double.Parse(string.Create(CultureInfo.InvariantCulture, $"1e{e}"), CultureInfo.InvariantCulture);
            values.AddRange([p, Next(p, 1), Next(p, -1), Next(p, 2), Next(p, -2), 5 * p, 9.5 * p]);
        }

        for (int e = -1074; e <= 1023; e++)
        {
            double p = Math.ScaleB(1, e);
            values.AddRange([p, Next(p, 1), Next(p, -1), 3 * p]);
        }

        Same(values.Where(v => double.IsFinite(v) && v > 0).SelectMany(v => new[] { v, -v }));
    }

    [Fact]
    public void Subnormals_extremes_zeros_and_integers_give_the_same_text()
    {
        var random = new Random(11);
        var values = new List<double> { 0.0, -0.0, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, Next(double.MaxValue, -1) };
        values.AddRange(Enumerable.Range(1, 5000).Select(i => Bits((ulong)i))); // the smallest subnormals
        values.AddRange(Enumerable.Range(0, 5000).Select(i => Bits((1UL << 52) - 1 - (ulong)i))); // the largest
        values.AddRange(Enumerable.Range(0, 100_000).Select(_ => Bits((ulong)random.NextInt64(1L << 52)))); // any subnormal
        values.AddRange(Enumerable.Range(-2000, 4001).Select(i => (double)i));
        values.AddRange(Enumerable.Range(0, 100_000).Select(_ => (double)random.NextInt64(1L << 53)));
        values.AddRange(Enumerable.Range(-50, 100).Select(i => 9007199254740992.0 + (2 * i))); // around 2^53
        Same(values.SelectMany(v => new[] { v, -v }));
    }

    [Fact]
    public void Where_the_layout_switches_to_an_exponent_the_text_is_the_same()
    {
        // Plain from 0.0001 up to 17 digits before the point; an exponent outside.
        double[] edges = [1e-4, 9.999999999999999e-5, 1e-5, 0.00012345, 1e16, 9.999999999999998e16, 1e17, 12345678901234567, 123456789012345678, 1e18, 1e21, 1e100, 1e-100, 1.5e-300, 2.5e+300];
        Same(edges.SelectMany(v => new[] { v, Next(v, 1), Next(v, -1) }).SelectMany(v => new[] { v, -v }));
        Assert.Equal("0.0001", Mine(1e-4));
        Assert.Equal("1e-05", Mine(1e-5));
        Assert.Equal("10000000000000000", Mine(1e16));
        Assert.Equal("1e+17", Mine(1e17));
        Assert.Equal("5e-324", Mine(double.Epsilon));
        Assert.Equal("1.7976931348623157e+308", Mine(double.MaxValue));
        Assert.Equal("-0", Mine(-0.0));
    }

    [Fact]
    public void Not_a_number_and_the_infinities_are_left_to_the_caller()
    {
        Span<byte> text = stackalloc byte[ShortestDouble.MaxBytes];
        Assert.False(ShortestDouble.TryWrite(double.NaN, text, out _));
        Assert.False(ShortestDouble.TryWrite(double.PositiveInfinity, text, out _));
        Assert.False(ShortestDouble.TryWrite(double.NegativeInfinity, text, out _));
        var csv = new CsvBytes();
        csv.Number(double.NaN);
        csv.Number(double.NegativeInfinity);
        csv.Number(-1.5e-7);
        Assert.Equal("NaN,-Infinity,-1.5e-07", Encoding.ASCII.GetString(csv.Written));
    }

    [Fact]
    public void The_text_does_not_depend_on_the_culture()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal("-1234.5", Mine(-1234.5));
            Assert.Equal("1.25e-07", Mine(1.25e-7));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void The_table_of_powers_and_the_logarithm_shortcuts_are_exact()
    {
        for (int e = -1100; e <= 1100; e++)
        {
            // ⌊log₁₀ 2^e⌋ and ⌊log₂ 10^e⌋ against exact integer comparisons.
            int k = ShortestDouble.FloorLog10Pow2(e);
            Assert.True(Compare(10, k, 2, e) <= 0 && Compare(10, k + 1, 2, e) > 0, $"log10 2^{e}");
            if (Math.Abs(e) <= 330)
            {
                int f = ShortestDouble.FloorLog2Pow10(e);
                Assert.True(Compare(2, f, 10, e) <= 0 && Compare(2, f + 1, 10, e) > 0, $"log2 10^{e}");
            }
        }
    }

    /// <summary>Sign of a^x − b^y for integer bases and exponents of any sign, exactly.</summary>
    private static int Compare(int a, int x, int b, int y)
    {
        // A negative exponent goes to the other side as a positive one.
        var left = System.Numerics.BigInteger.Pow(a, Math.Max(x, 0)) * System.Numerics.BigInteger.Pow(b, Math.Max(-y, 0));
        var right = System.Numerics.BigInteger.Pow(b, Math.Max(y, 0)) * System.Numerics.BigInteger.Pow(a, Math.Max(-x, 0));
        return left.CompareTo(right);
    }
}
