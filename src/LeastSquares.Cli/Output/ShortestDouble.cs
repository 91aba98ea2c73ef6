using System.Numerics;

namespace LeastSquares.Cli.Output;

/// <summary>
/// The shortest decimal that reads back as the same double, written as UTF-8 in the layout of
/// .NET's default (round-trip) format with a lower-case exponent: what <c>lsq predict</c> has
/// always written, in about a third of the time of <see cref="double.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/>.
/// </summary>
/// <remarks>
/// <para>
/// The digits: Giulietti's Schubfach method ("The Schubfach way to render doubles", 2020). The
/// double c·2^q has a rounding interval (the reals that read back as it, ends included when c is
/// even); k is chosen so that the interval scaled by 10^−k holds one or two integers. The scaled
/// ends and the value are products c·2^q·10^−k rounded to odd from a 126-bit table of 10^−k, which
/// is exact enough to decide which of s = ⌊v·10^−k⌋, s + 1 and a multiple of ten among them lie in
/// the interval: the shortest such, and of two the nearer (ties to even), is the answer. Integers
/// below 2^53 are their own shortest form.
/// </para>
/// <para>
/// The layout (as .NET lays out its shortest digits d₁…dₙ of value 0.d₁…dₙ·10^S): plain when
/// −3 ≤ S ≤ 17 (<c>0.0001</c>, <c>12345678901234568</c>), otherwise d₁.d₂…dₙ followed by
/// <c>e+XX</c> or <c>e-XX</c>, at least two exponent digits (<c>1e-05</c>, <c>1e+18</c>,
/// <c>5e-324</c>); negative zero is <c>-0</c>. Not-a-number and the infinities are left to the
/// caller.
/// </para>
/// </remarks>
internal static class ShortestDouble
{
    /// <summary>The most bytes <see cref="TryWrite"/> writes ("-2.2250738585072014e-308" is 24).</summary>
    public const int MaxBytes = 32;

    private const int KMin = -324;
    private const int KMax = 292;
    private const ulong CMin = 1UL << 52;
    private const ulong Mask63 = (1UL << 63) - 1;

    /// <summary>g = ⌊10^−k·2^(125 − ⌊log₂10^−k⌋)⌋ + 1 for each k, as the pair (g / 2^63, g mod 2^63).</summary>
    private static readonly ulong[] Powers = PowersOfTen();

    private static ReadOnlySpan<byte> DigitPairs => "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    /// <summary>
    /// Writes <paramref name="value"/> into <paramref name="into"/> (at least <see cref="MaxBytes"/>
    /// long); false, writing nothing, for NaN and the infinities.
    /// </summary>
    public static bool TryWrite(double value, Span<byte> into, out int written)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(value);
        ulong t = bits & (CMin - 1);
        int bq = (int)(bits >> 52) & 0x7FF;
        if (bq == 0x7FF)
        {
            written = 0;
            return false;
        }

        int at = 0;
        if ((long)bits < 0)
        {
            into[at++] = (byte)'-';
        }

        if (bq == 0 || t == 0)
        {
            if ((bits << 1) == 0)
            {
                into[at++] = (byte)'0';
                written = at;
                return true;
            }

            // Subnormals and powers of two: .NET's own text (see the remarks).
            written = 0;
            return value.TryFormat(into, out written, default, System.Globalization.CultureInfo.InvariantCulture) && LowerCaseExponent(into[..written]);
        }

        int mq = 1075 - bq; // value = c·2^−mq
        ulong c = CMin | t;
        ulong f;
        int e;
        if (mq is > 0 and < 53 && (c >> mq) << mq == c)
        {
            f = c >> mq;
            e = 0;
        }
        else
        {
            (f, e) = Decimal(-mq, c);
        }

        written = at + Layout(f, e, into[at..]);
        return true;
    }

    private static bool LowerCaseExponent(Span<byte> text)
    {
        int e = text.IndexOf((byte)'E');
        if (e >= 0)
        {
            text[e] = (byte)'e';
        }

        return true;
    }

    /// <summary>The shortest f·10^e in the rounding interval of c·2^q, c not a power of two (the gaps on both sides are equal).</summary>
    private static (ulong F, int E) Decimal(int q, ulong c)
    {
        ulong odd = c & 1; // an odd c's interval leaves its ends out
        ulong cb = c << 2;
        ulong cbr = cb + 2;
        ulong cbl = cb - 2;
        int k = FloorLog10Pow2(q);
        int h = q + FloorLog2Pow10(-k) + 2;
        int index = 2 * (k - KMin);
        ulong g1 = Powers[index];
        ulong g0 = Powers[index + 1];
        ulong vb = RoundToOdd(g1, g0, cb << h);
        ulong vbl = RoundToOdd(g1, g0, cbl << h);
        ulong vbr = RoundToOdd(g1, g0, cbr << h);
        ulong s = vb >> 2;
        if (s >= 100)
        {
            // A multiple of ten in the interval has a digit fewer: s' = ⌊s/10⌋ by a multiply.
            ulong sp10 = 10 * Math.BigMul(s, 115_292_150_460_684_698UL << 4, out _);
            ulong tp10 = sp10 + 10;
            bool upIn = vbl + odd <= sp10 << 2;
            bool wpIn = (tp10 << 2) + odd <= vbr;
            if (upIn != wpIn)
            {
                return (upIn ? sp10 : tp10, k);
            }
        }

        ulong u = s + 1;
        bool uIn = vbl + odd <= s << 2;
        bool wIn = (u << 2) + odd <= vbr;
        if (uIn != wIn)
        {
            return (uIn ? s : u, k);
        }

        // Both in: the nearer to the value, ties to the even one.
        long cmp = (long)(vb - ((s + u) << 1));
        return (cmp < 0 || (cmp == 0 && (s & 1) == 0) ? s : u, k);
    }

    /// <summary>cp·g·2^−127 rounded to odd, g = g1·2^63 + g0.</summary>
    private static ulong RoundToOdd(ulong g1, ulong g0, ulong cp)
    {
        ulong x1 = Math.BigMul(g0, cp, out _);
        ulong y1 = Math.BigMul(g1, cp, out ulong y0);
        ulong z = (y0 >> 1) + x1;
        ulong vbp = y1 + (z >> 63);
        return vbp | (((z & Mask63) + Mask63) >> 63);
    }

    /// <summary>⌊log₁₀ 2^e⌋ for |e| ≤ 5000 or so.</summary>
    internal static int FloorLog10Pow2(int e) => (int)((e * 661_971_961_083L) >> 41);

    /// <summary>⌊log₂ 10^e⌋.</summary>
    internal static int FloorLog2Pow10(int e) => (int)((e * 913_124_641_741L) >> 38);

    /// <summary>Lays out f·10^e (f > 0) as .NET does; returns the bytes written.</summary>
    private static int Layout(ulong f, int e, Span<byte> into)
    {
        while (f % 10 == 0)
        {
            f /= 10;
            e++;
        }

        int n = DigitCount(f);
        int scale = e + n; // value = 0.d₁…dₙ·10^scale
        if (scale is > 17 or < -3)
        {
            // d₁.d₂…dₙe±XX: the digits one place to the right, then d₁ moved before the point.
            WriteDigits(f, into[..(n + 1)]);
            int at = n + 1;
            into[0] = into[1];
            if (n > 1)
            {
                into[1] = (byte)'.';
            }
            else
            {
                at = 1;
            }

            int exponent = scale - 1;
            into[at++] = (byte)'e';
            into[at++] = exponent < 0 ? (byte)'-' : (byte)'+';
            exponent = Math.Abs(exponent);
            if (exponent >= 100)
            {
                into[at++] = (byte)('0' + (exponent / 100));
                exponent %= 100;
            }

            into[at++] = DigitPairs[2 * exponent];
            into[at++] = DigitPairs[(2 * exponent) + 1];
            return at;
        }

        if (scale <= 0)
        {
            into[0] = (byte)'0';
            into[1] = (byte)'.';
            into.Slice(2, -scale).Fill((byte)'0');
            int length = 2 - scale + n;
            WriteDigits(f, into[..length]);
            return length;
        }

        if (scale >= n)
        {
            WriteDigits(f, into[..n]);
            into[n..scale].Fill((byte)'0');
            return scale;
        }

        // d₁…d_scale.d_scale+1…dₙ: the digits one place to the right, then the integer part moved back over the point.
        WriteDigits(f, into[..(n + 1)]);
        for (int i = 0; i < scale; i++)
        {
            into[i] = into[i + 1];
        }

        into[scale] = (byte)'.';
        return n + 1;
    }

    private static ReadOnlySpan<ulong> PowersOf10 =>
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ];

    /// <summary>The number of decimal digits of f > 0.</summary>
    private static int DigitCount(ulong f)
    {
        int guess = ((BitOperations.Log2(f) + 1) * 1233) >> 12; // ⌊log₁₀ 2^(bits)⌋: the count or one less
        return guess + (f >= PowersOf10[guess] ? 1 : 0);
    }

    /// <summary>Writes the decimal digits of <paramref name="f"/> so that the last ends <paramref name="into"/>.</summary>
    private static void WriteDigits(ulong f, Span<byte> into)
    {
        int at = into.Length;
        var pairs = DigitPairs;
        while (f >= 100_000_000)
        {
            // Eight digits at a time in 32-bit arithmetic.
            ulong q = f / 100_000_000;
            uint r = (uint)(f - (q * 100_000_000));
            f = q;
            for (int k = 0; k < 4; k++)
            {
                uint p = r / 100;
                uint d = r - (p * 100);
                r = p;
                into[--at] = pairs[(int)((2 * d) + 1)];
                into[--at] = pairs[(int)(2 * d)];
            }
        }

        uint v = (uint)f;
        while (v >= 100)
        {
            uint p = v / 100;
            uint d = v - (p * 100);
            v = p;
            into[--at] = pairs[(int)((2 * d) + 1)];
            into[--at] = pairs[(int)(2 * d)];
        }

        if (v >= 10)
        {
            into[--at] = pairs[(int)((2 * v) + 1)];
            into[--at] = pairs[(int)(2 * v)];
        }
        else
        {
            into[--at] = (byte)('0' + v);
        }
    }

    private static ulong[] PowersOfTen()
    {
        var table = new ulong[2 * (KMax - KMin + 1)];
        for (int k = KMin; k <= KMax; k++)
        {
            int e = -k;
            int shift = 125 - FloorLog2Pow10(e);
            BigInteger g = e >= 0
                ? (shift >= 0 ? BigInteger.Pow(10, e) << shift : BigInteger.Pow(10, e) >> -shift)
                : (BigInteger.One << shift) / BigInteger.Pow(10, -e);
            g += 1;
            table[2 * (k - KMin)] = (ulong)(g >> 63);
            table[(2 * (k - KMin)) + 1] = (ulong)(g & Mask63);
        }

        return table;
    }
}
