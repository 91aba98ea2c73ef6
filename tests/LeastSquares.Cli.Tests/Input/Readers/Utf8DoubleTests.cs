using System.Globalization;
using System.Numerics;
using System.Text;
using LeastSquares.Cli.Input;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// The fast number reader against double.Parse, bit for bit: whenever it answers, it must give
/// the double that .NET gives; whatever .NET refuses it must refuse; and for the numbers data
/// files hold it must answer (else the fast path is silently lost).
/// </summary>
public sealed class Utf8DoubleTests
{
    private const NumberStyles Styles = NumberStyles.Float;

    private static void AgreesWithDotNet(string text, ref int answered)
    {
        var bytes = Encoding.UTF8.GetBytes(text);

        // The padded reader, used on the rows of big files, must read the same prefix as the
        // plain one, to the same double, whatever follows the number.
        var padded = new byte[bytes.Length + 1 + Utf8Double.Padding];
        bytes.CopyTo(padded, 0);
        padded[bytes.Length] = (byte)',';
        bool prefixOk = Utf8Double.TryParsePrefix(bytes, out double prefixValue, out int prefixUsed);
        bool paddedOk = Utf8Double.TryParsePadded(padded, out double paddedValue, out int paddedUsed);
        Assert.True(prefixOk == paddedOk, $"'{text}': padded {paddedOk}, plain {prefixOk}");
        if (prefixOk)
        {
            Assert.True(prefixUsed == paddedUsed && BitConverter.DoubleToInt64Bits(prefixValue) == BitConverter.DoubleToInt64Bits(paddedValue),
                $"'{text}': padded {paddedValue:R} ({paddedUsed} bytes), plain {prefixValue:R} ({prefixUsed} bytes)");
        }

        bool expectedOk = double.TryParse(text, Styles, CultureInfo.InvariantCulture, out double expected) && double.IsFinite(expected);
        if (Utf8Double.TryParse(bytes, out double actual))
        {
            Assert.True(expectedOk, $"'{text}' was read as {actual:R}, but .NET does not take it");
            Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual),
                $"'{text}': {actual:R} where .NET gives {expected:R}");
            answered++;
        }
    }

    [Fact]
    public void Shortest_round_trip_forms_of_random_doubles_are_read_exactly_and_on_the_fast_path()
    {
        var rng = new Random(20261128);
        int answered = 0;
        const int Count = 200_000;
        for (int i = 0; i < Count; i++)
        {
            // Random bits over the normal range, both signs; the round-trip form has at most 17 digits.
            double v;
            do
            {
                v = BitConverter.Int64BitsToDouble(rng.NextInt64());
            }
            while (!double.IsNormal(v));

            AgreesWithDotNet(v.ToString("R", CultureInfo.InvariantCulture), ref answered);
        }

        Assert.True(answered >= Count * 0.999, $"only {answered} of {Count} took the fast path");
    }

    [Fact]
    public void Typical_data_values_are_read_exactly()
    {
        var rng = new Random(7);
        int answered = 0;
        string[] formats = ["R", "G17", "G15", "E16", "E3", "F0", "F2", "F6"]; // at most 19 significant digits
        const int Count = 200_000;
        for (int i = 0; i < Count; i++)
        {
            double scale = Math.Pow(10, rng.Next(-12, 13));
            double v = (rng.NextDouble() - 0.3) * scale;
            AgreesWithDotNet(v.ToString(formats[i % formats.Length], CultureInfo.InvariantCulture), ref answered);
        }

        Assert.True(answered >= Count * 0.99, $"only {answered} of {Count} took the fast path");
    }

    [Fact]
    public void Random_digit_strings_with_points_and_exponents_agree_with_dotnet()
    {
        var rng = new Random(11);
        int answered = 0;
        var sb = new StringBuilder();
        for (int i = 0; i < 300_000; i++)
        {
            sb.Clear();
            switch (rng.Next(3))
            {
                case 0:
                    sb.Append('-');
                    break;
                case 1:
                    sb.Append('+');
                    break;
            }

            int digits = rng.Next(0, 26);
            int point = rng.Next(-1, digits + 1);
            for (int k = 0; k < digits; k++)
            {
                if (k == point)
                {
                    sb.Append('.');
                }

                // Runs of zeros and nines reach the carries and the halfway points.
                sb.Append(rng.Next(4) switch { 0 => '0', 1 => '9', _ => (char)('0' + rng.Next(10)) });
            }

            if (point == digits)
            {
                sb.Append('.');
            }

            if (rng.Next(3) == 0)
            {
                sb.Append(rng.Next(2) == 0 ? 'e' : 'E');
                if (rng.Next(2) == 0)
                {
                    sb.Append(rng.Next(2) == 0 ? '-' : '+');
                }

                int exponent = rng.Next(5) == 0 ? rng.Next(0, 400) : rng.Next(0, 30);
                if (rng.Next(8) != 0)
                {
                    sb.Append(exponent.ToString(CultureInfo.InvariantCulture));
                }
            }

            AgreesWithDotNet(sb.ToString(), ref answered);
        }

        Assert.True(answered > 100_000);
    }

    [Fact]
    public void Exact_halfway_points_round_to_even_or_are_left_to_the_fallback()
    {
        var rng = new Random(3);
        int answered = 0;
        for (int i = 0; i < 100_000; i++)
        {
            // An integer below 10^19 and above 2^54: doubles there are 2^(e+1) apart, so a number
            // with the bit pattern 1000… below that spacing lies exactly halfway between two.
            int e = rng.Next(1, 10);
            ulong n = ((ulong)rng.NextInt64(1L << 53, 1L << 54) << (e + 1)) | (1UL << e);
            if (n >= 10_000_000_000_000_000_000UL)
            {
                continue;
            }

            foreach (ulong m in new[] { n - 1, n, n + 1 })
            {
                string digits = m.ToString(CultureInfo.InvariantCulture);
                AgreesWithDotNet(digits, ref answered);
                int shift = rng.Next(1, digits.Length);
                AgreesWithDotNet(digits[..^shift] + "." + digits[^shift..] + "e" + shift.ToString(CultureInfo.InvariantCulture), ref answered);
            }
        }

        AgreesWithDotNet("9007199254740993", ref answered); // 2^53 + 1: halfway, ties to even (2^53)
        AgreesWithDotNet("9007199254740995", ref answered);
        Assert.True(answered > 0);
    }

    [Fact]
    public void Decimal_points_between_every_power_of_ten_agree()
    {
        int answered = 0;
        for (int q = -350; q <= 320; q++)
        {
            foreach (string m in new[] { "1", "9", "17", "2.2250738585072014", "4.9406564584124654", "1.7976931348623157", "9999999999999999999", "1844674407370955161" })
            {
                AgreesWithDotNet(m + "e" + q.ToString(CultureInfo.InvariantCulture), ref answered);
                AgreesWithDotNet("-" + m + "E" + q.ToString(CultureInfo.InvariantCulture), ref answered);
            }
        }

        // Every power of ten inside the table's range is exact where it can be and correctly rounded elsewhere.
        for (int q = -307; q <= 308; q++)
        {
            Assert.True(Utf8Double.TryParse(Encoding.ASCII.GetBytes("1e" + q.ToString(CultureInfo.InvariantCulture)), out double v));
            Assert.Equal(double.Parse("1e" + q.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), v);
        }

        Assert.True(answered > 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("+")]
    [InlineData(".")]
    [InlineData("-.")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("e5")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1,5")]
    [InlineData("1.2.3")]
    [InlineData("--1")]
    [InlineData("0x10")]
    [InlineData("abc")]
    [InlineData("inf")]
    [InlineData("NaN")]
    [InlineData("1e400")]
    [InlineData("1d")]
    public void Text_that_is_not_a_plain_finite_number_is_refused(string text)
    {
        Assert.False(Utf8Double.TryParse(Encoding.UTF8.GetBytes(text), out _));
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("-0", -0.0)]
    [InlineData("1.", 1.0)]
    [InlineData(".5", 0.5)]
    [InlineData("-.5e1", -5.0)]
    [InlineData("+3.25E-2", 0.0325)]
    [InlineData("0.16810646591154232", 0.16810646591154232)]
    [InlineData("-1288.2059296547861", -1288.2059296547861)]
    [InlineData("1700000000000.25", 1700000000000.25)]
    [InlineData("0.000000000000000000000000000001234", 1.234e-30)]
    public void Plain_numbers_are_read(string text, double expected)
    {
        Assert.True(Utf8Double.TryParse(Encoding.UTF8.GetBytes(text), out double v));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(v));
    }

    [Fact]
    public void The_power_table_is_checked_against_exact_arithmetic()
    {
        // A number with 19 digits and each exponent: the exact value is known as a rational.
        var rng = new Random(5);
        for (int q = -330; q <= 290; q++)
        {
            ulong m = (ulong)rng.NextInt64(1_000_000_000_000_000_000L, long.MaxValue);
            string text = m.ToString(CultureInfo.InvariantCulture) + "e" + q.ToString(CultureInfo.InvariantCulture);
            if (!Utf8Double.TryParse(Encoding.ASCII.GetBytes(text), out double v))
            {
                continue;
            }

            // v is right when the exact value lies within half an ulp of it.
            Assert.True(WithinHalfUlp(m, q, v), text);
        }
    }

    private static bool WithinHalfUlp(ulong m, int q, double v)
    {
        // Compare m·10^q with v ± ulp/2 as fractions scaled to integers.
        long bits = BitConverter.DoubleToInt64Bits(v);
        int exponent = (int)((bits >> 52) & 0x7FF) - 1075;
        var significand = new BigInteger((bits & ((1L << 52) - 1)) | (1L << 52));
        BigInteger num = m, den = 1;
        if (q >= 0)
        {
            num *= BigInteger.Pow(10, q);
        }
        else
        {
            den = BigInteger.Pow(10, -q);
        }

        // v = significand·2^exponent; the interval is (2·significand ± 1)·2^(exponent−1).
        BigInteger lowNum = (2 * significand) - 1, highNum = (2 * significand) + 1;
        int e = exponent - 1;
        BigInteger left = num, scale = den;
        if (e >= 0)
        {
            scale *= BigInteger.Pow(2, e);
        }
        else
        {
            left *= BigInteger.Pow(2, -e);
        }

        return left >= lowNum * scale && left <= highNum * scale;
    }
}
