using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LeastSquares.Cli.Input;

/// <summary>
/// A fast reader of the plain decimal numbers that fill numeric CSV files (<c>-12.5</c>,
/// <c>0.16810646591154232</c>, <c>6.02e23</c>), correctly rounded to the nearest double.
/// </summary>
/// <remarks>
/// It takes <c>[+-]digits[.digits][(e|E)[+-]digits]</c> with at most 19 significant digits and
/// answers false for anything else (spaces, more digits, inf, nan, results that are subnormal or
/// overflow, and the rare products it cannot round with certainty); callers then ask
/// <see cref="double.TryParse(ReadOnlySpan{byte}, System.Globalization.NumberStyles, IFormatProvider, out double)"/>,
/// which has the last word. When it answers true its result is the one double.Parse gives.
/// <para>
/// Digits after the point are taken eight at a time from one 64-bit load. The conversion is
/// exact arithmetic when it can be (a mantissa below 2^53 times or over a power of ten below
/// 10^23, both exact doubles, is one correctly rounded operation); otherwise it is the method
/// of Eisel and Lemire: the mantissa times a 128-bit truncation of the power of ten, where the
/// high bits of the product decide the rounding unless they lie too close to a halfway point,
/// which is then left to the fallback.
/// </para>
/// </remarks>
internal static class Utf8Double
{
    private const int MinExponent = -342; // 19 digits times 10^-343 is below the least subnormal
    private const int MaxExponent = 308; // 1 times 10^309 overflows

    private static readonly double[] ExactPowers =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// Whether <paramref name="separator"/> can end a number this reader reads: a one-byte
    /// character that is not a digit, a sign, the point or an exponent letter.
    /// </summary>
    public static bool CanSeparate(char separator) =>
        separator <= (char)0x7F && !char.IsAsciiDigit(separator) && separator is not ('+' or '-' or '.' or 'e' or 'E');

    /// <summary>Bytes that must be readable after the start of a number given to <see cref="TryParsePadded"/>.</summary>
    public const int Padding = 64;


    /// <summary>
    /// <see cref="TryParsePrefix"/> for a number followed by at least <see cref="Padding"/>
    /// readable bytes: the common shape (a sign, at most 8 integer digits, a fraction, at most 19
    /// digits, no exponent) is read with few branches, so that the varying lengths of the numbers
    /// in a file cost no mispredicted jumps; anything else goes to <see cref="TryParsePrefix"/>.
    /// </summary>
    /// <remarks>
    /// Its vector code depends on the CPU, so a ReadyToRun image leaves it (and the helpers below)
    /// to the JIT; <see cref="MethodImplOptions.AggressiveOptimization"/> has it compiled fully
    /// optimised on the first call rather than run at tier 0 through the first rows.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParsePadded(ReadOnlySpan<byte> padded, out double value, out int used)
    {
        if (padded.Length >= Padding && Vector256.IsHardwareAccelerated)
        {
            ref byte start = ref MemoryMarshal.GetReference(padded);
            byte first = start;
            int signLength = (first == (byte)'-' ? 1 : 0) | (first == (byte)'+' ? 1 : 0);
            ulong signBit = (ulong)(first == (byte)'-' ? 1 : 0) << 63;
            ref byte digits = ref Unsafe.Add(ref start, signLength);

            // One bit per byte: set where the byte is not an ASCII digit.
            var bytes = Vector256.LoadUnsafe(ref digits);
            uint other = ~Vector256.LessThan(bytes - Vector256.Create((byte)'0'), Vector256.Create((byte)10)).ExtractMostSignificantBits();
            int whole = BitOperations.TrailingZeroCount(other);
            if (whole <= 8)
            {
                int fraction = 0;
                int end = whole;
                if (Unsafe.Add(ref digits, whole) == (byte)'.')
                {
                    fraction = BitOperations.TrailingZeroCount(other >> (whole + 1));
                    end = whole + 1 + fraction;
                }

                if ((uint)(whole + fraction - 1) < 19 && (Unsafe.Add(ref digits, end) | 0x20) != (byte)'e')
                {
                    ref byte point = ref Unsafe.Add(ref digits, whole + 1);
                    int rest = Math.Max(fraction - 16, 0);
                    ulong mantissa = LeadingDigits(ref digits, whole);
                    if (Sse41.IsSupported)
                    {
                        int sixteen = fraction - rest;
                        mantissa = (mantissa * IntegerPowerOfTen(sixteen)) + SixteenDigits(ref point, sixteen);
                    }
                    else
                    {
                        int first8 = Math.Min(fraction, 8);
                        int second8 = Math.Clamp(fraction - 8, 0, 8);
                        mantissa = (mantissa * IntegerPowerOfTen(first8)) + LeadingDigits(ref point, first8);
                        mantissa = (mantissa * IntegerPowerOfTen(second8)) + LeadingDigits(ref Unsafe.Add(ref point, 8), second8);
                    }

                    mantissa = (mantissa * IntegerPowerOfTen(rest)) + LeadingDigits(ref Unsafe.Add(ref point, 16), rest);
                    used = signLength + end;
                    if (mantissa == 0)
                    {
                        value = BitConverter.UInt64BitsToDouble(signBit);
                        return true;
                    }

                    if (TryRound(mantissa, -fraction, negative: false, out value))
                    {
                        value = BitConverter.UInt64BitsToDouble(BitConverter.DoubleToUInt64Bits(value) | signBit);
                        return true;
                    }
                }
            }
        }

        return TryParsePrefix(padded, out value, out used);
    }

    /// <summary>
    /// The value of the first <paramref name="count"/> (0 to 16) bytes at <paramref name="at"/>,
    /// all ASCII digits, with SSE: one shuffle puts them at the end of a vector with zero digits
    /// before them, and three multiply-adds of neighbours make pairs, fours and eights of digits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong SixteenDigits(ref byte at, int count)
    {
        var digits = Vector128.LoadUnsafe(ref at) - Vector128.Create((byte)'0');

        // Lane k takes byte k − (16 − count); the negative indices, high bit set, give zeros.
        var index = Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) + Vector128.Create((byte)(count - 16));
        var aligned = Ssse3.Shuffle(digits, index);
        var pairs = Ssse3.MultiplyAddAdjacent(aligned, Vector128.Create((sbyte)10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1));
        var fours = Sse2.MultiplyAddAdjacent(pairs, Vector128.Create((short)100, 1, 100, 1, 100, 1, 100, 1));
        var packed = Sse41.PackUnsignedSaturate(fours, fours).AsInt16();
        var eights = Sse2.MultiplyAddAdjacent(packed, Vector128.Create((short)10_000, 1, 10_000, 1, 10_000, 1, 10_000, 1));
        return ((ulong)(uint)eights.GetElement(0) * 100_000_000UL) + (uint)eights.GetElement(1);
    }

    /// <summary>10^k for k in 0…16, as an integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong IntegerPowerOfTen(int k) =>
        ((ReadOnlySpan<ulong>)
        [
            1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
            100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000, 10_000_000_000_000_000,
        ])[k];

    /// <summary>The value of the first <paramref name="count"/> (0 to 8) bytes at <paramref name="at"/>, all ASCII digits; reads 8 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong LeadingDigits(ref byte at, int count)
    {
        // Digits come little-endian, the first in the low byte: shifting left by the bytes not
        // wanted drops the bytes after the count and puts zero digits before the first. A borrow
        // from subtracting '0' from a byte that is not a digit only runs into later bytes, which
        // the shift drops. Two half shifts, as a shift by 64 would be a shift by 0.
        ulong eight = Unsafe.ReadUnaligned<ulong>(ref at) - 0x3030303030303030UL;
        int half = 4 * (8 - count);
        eight = (eight << half) << half;
        eight = ((eight * 10) + (eight >> 8)) & 0x00FF00FF00FF00FFUL;
        eight = ((eight * 100) + (eight >> 16)) & 0x0000FFFF0000FFFFUL;
        return ((eight * 10_000) + (eight >> 32)) & 0xFFFFFFFFUL;
    }

    /// <summary>Parses the whole of <paramref name="text"/>; false when it is not a number this reader takes.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out double value) =>
        TryParsePrefix(text, out value, out int used) && used == text.Length;

    /// <summary>
    /// Parses the number at the start of <paramref name="text"/>; <paramref name="used"/> is the
    /// count of its bytes. False when no number this reader takes starts there.
    /// </summary>
    public static bool TryParsePrefix(ReadOnlySpan<byte> text, out double value, out int used)
    {
        value = 0;
        used = 0;
        int i = 0;
        bool negative = false;
        if (text.Length > 0 && (text[0] == (byte)'-' || text[0] == (byte)'+'))
        {
            negative = text[0] == (byte)'-';
            i = 1;
        }

        int first = i;
        ulong mantissa = 0;
        uint d;
        while (i < text.Length && (d = (uint)(text[i] - '0')) <= 9)
        {
            mantissa = (mantissa * 10) + d;
            i++;
        }

        int digits = i - first;
        int fraction = 0;
        if (i < text.Length && text[i] == (byte)'.')
        {
            int start = ++i;
            while (i + 8 <= text.Length)
            {
                ulong eight = BinaryPrimitives.ReadUInt64LittleEndian(text[i..]);
                if (!AreEightDigits(eight))
                {
                    break;
                }

                mantissa = (mantissa * 100_000_000) + EightDigits(eight);
                i += 8;
            }

            while (i < text.Length && (d = (uint)(text[i] - '0')) <= 9)
            {
                mantissa = (mantissa * 10) + d;
                i++;
            }

            fraction = i - start;
            digits += fraction;
        }

        if (digits == 0)
        {
            return false;
        }

        long exponent = -fraction;
        if (i < text.Length && (text[i] | 0x20) == (byte)'e')
        {
            int j = i + 1;
            bool negativeExponent = false;
            if (j < text.Length && (text[j] == (byte)'-' || text[j] == (byte)'+'))
            {
                negativeExponent = text[j] == (byte)'-';
                j++;
            }

            int start = j;
            long e = 0;
            while (j < text.Length && (d = (uint)(text[j] - '0')) <= 9)
            {
                e = Math.Min((e * 10) + d, 1_000_000); // large enough to over- or underflow, small enough not to wrap
                j++;
            }

            if (j == start)
            {
                return false; // "1e" or "1e+": not a number
            }

            exponent += negativeExponent ? -e : e;
            i = j;
        }

        used = i;
        if (digits > 19 && SignificantDigits(text[first..i]) > 19)
        {
            return false; // the mantissa may have wrapped; rare in data, left to the fallback
        }

        if (mantissa == 0)
        {
            value = negative ? -0.0 : 0.0;
            return true;
        }

        if (mantissa <= 1UL << 53 && exponent is >= -22 and <= 22)
        {
            double m = mantissa;
            value = exponent < 0 ? m / ExactPowers[-exponent] : m * ExactPowers[exponent];
            value = negative ? -value : value;
            return true;
        }

        if (mantissa <= 1UL << 53 && exponent is > 22 and <= 22 + 15)
        {
            // A short mantissa times a large power (1e23, 12e30): move the excess power into the
            // mantissa while it stays exact, then one rounding multiplication.
            ulong scaled = mantissa;
            for (long e = exponent; e > 22 && scaled <= 1UL << 53; e--)
            {
                scaled *= 10;
            }

            if (scaled <= 1UL << 53)
            {
                value = scaled * ExactPowers[22];
                value = negative ? -value : value;
                return true;
            }
        }

        return exponent is >= MinExponent and <= MaxExponent && TryRound(mantissa, (int)exponent, negative, out value);
    }

    /// <summary>True when all eight bytes of <paramref name="eight"/> are ASCII digits.</summary>
    private static bool AreEightDigits(ulong eight) =>
        (((eight & 0xF0F0F0F0F0F0F0F0UL) | (((eight + 0x0606060606060606UL) & 0xF0F0F0F0F0F0F0F0UL) >> 4)) == 0x3333333333333333UL);

    /// <summary>The value of eight ASCII digits loaded little-endian (the first digit in the low byte).</summary>
    private static ulong EightDigits(ulong eight)
    {
        eight -= 0x3030303030303030UL;
        eight = ((eight * 10) + (eight >> 8)) & 0x00FF00FF00FF00FFUL; // 16-bit lanes of two digits
        eight = ((eight * 100) + (eight >> 16)) & 0x0000FFFF0000FFFFUL; // 32-bit lanes of four
        return ((eight * 10_000) + (eight >> 32)) & 0xFFFFFFFFUL;
    }

    /// <summary>Digits in <paramref name="number"/> (no exponent) from its first non-zero digit on.</summary>
    private static int SignificantDigits(ReadOnlySpan<byte> number)
    {
        int count = 0;
        bool started = false;
        foreach (byte b in number)
        {
            if (b is >= (byte)'1' and <= (byte)'9')
            {
                started = true;
            }

            if (b is (byte)'e' or (byte)'E')
            {
                break;
            }

            if (started && b is >= (byte)'0' and <= (byte)'9')
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// <paramref name="mantissa"/> × 10^<paramref name="exponent"/> rounded to the nearest normal
    /// double; false when the product is too near a halfway point to decide or the result is not normal.
    /// </summary>
    private static bool TryRound(ulong mantissa, int exponent, bool negative, out double value)
    {
        value = 0;
        var (powerHigh, powerLow) = PowersOfTen.Get(exponent);
        int shift = BitOperations.LeadingZeroCount(mantissa);
        ulong w = mantissa << shift;

        // w × (high 64 bits of the power); the truncated low part of the power can add less than w
        // to the low word, which only matters when a carry would reach the bits that are kept.
        ulong high = Math.BigMul(w, powerHigh, out ulong low);
        if ((high & 0x1FF) == 0x1FF && low + w < w)
        {
            ulong carryHigh = Math.BigMul(w, powerLow, out ulong carryLow);
            ulong mergedLow = low + carryHigh;
            ulong mergedHigh = high + (mergedLow < low ? 1UL : 0UL);
            if ((mergedHigh & 0x1FF) == 0x1FF && mergedLow == ulong.MaxValue && carryLow + w < w)
            {
                return false;
            }

            high = mergedHigh;
            low = mergedLow;
        }

        // The product's leading bit is bit 127 or 126 of high:low; keep 54 bits (53 and a rounding bit).
        int top = (int)(high >> 63);
        ulong bits = high >> (top + 9);
        long binaryExponent = ((217706L * exponent) >> 16) + 64 + 1023 - shift - (1 - top);
        if (low == 0 && (high & 0x1FF) == 0 && (bits & 3) == 1)
        {
            return false; // exactly halfway, or too close to tell: ties need the full product
        }

        bits = (bits + (bits & 1)) >> 1;
        if (bits >> 53 != 0)
        {
            bits >>= 1;
            binaryExponent++;
        }

        if (binaryExponent is <= 0 or >= 0x7FF)
        {
            return false; // subnormal or infinite: the fallback decides
        }

        ulong result = ((ulong)binaryExponent << 52) | (bits & ((1UL << 52) - 1)) | (negative ? 1UL << 63 : 0UL);
        value = BitConverter.UInt64BitsToDouble(result);
        return true;
    }

    /// <summary>
    /// 10^q for q in [-342, 308] as a 128-bit mantissa with its top bit set, truncated (rounded
    /// toward zero); the scale is 2^(floor(q·log2 10) − 127). Built once, on first use.
    /// </summary>
    private static class PowersOfTen
    {
        private static readonly ulong[] Table = Build();

        public static (ulong High, ulong Low) Get(int q)
        {
            int k = 2 * (q - MinExponent);
            return (Table[k], Table[k + 1]);
        }

        private static ulong[] Build()
        {
            var table = new ulong[2 * (MaxExponent - MinExponent + 1)];
            var mask = (BigInteger.One << 64) - 1;
            for (int q = MinExponent; q <= MaxExponent; q++)
            {
                BigInteger m;
                var power = BigInteger.Pow(10, Math.Abs(q));
                long length = (long)power.GetBitLength();
                if (q >= 0)
                {
                    m = length > 128 ? power >> (int)(length - 128) : power << (int)(128 - length);
                }
                else
                {
                    m = (BigInteger.One << (int)(127 + length)) / power;
                }

                int k = 2 * (q - MinExponent);
                table[k] = (ulong)(m >> 64);
                table[k + 1] = (ulong)(m & mask);
            }

            return table;
        }
    }
}
