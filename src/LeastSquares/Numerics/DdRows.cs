using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LeastSquares.Numerics;

/// <summary>
/// One double-double step applied along a row: s_j ← s_j ± x·y_j for every j, the row held as
/// separate arrays of high and low parts. Each lane performs exactly the operations of
/// <see cref="DoubleDouble"/>'s product and sum (TwoProduct with FMA, the sloppy sum), so the
/// result is the same, bit for bit, as the scalar loop <c>s[j] += x * y[j]</c>; the rows only let
/// the independent sums of a factorisation run side by side in vectors instead of one after
/// another (a double-double sum is a long chain of dependent additions).
/// </summary>
internal static class DdRows
{
    /// <summary>s_j ← s_j + x·y_j (or s_j − x·y_j with <paramref name="subtract"/>) for j over the spans.</summary>
    public static void MulAdd(Span<double> sHi, Span<double> sLo, DoubleDouble x, ReadOnlySpan<double> yHi, ReadOnlySpan<double> yLo, bool subtract)
    {
        int n = sHi.Length;
        if (sLo.Length != n || yHi.Length < n || yLo.Length < n)
        {
            throw new ArgumentException("The rows differ in length.", nameof(sLo));
        }

        int j = 0;
        ref double sh = ref MemoryMarshal.GetReference(sHi);
        ref double sl = ref MemoryMarshal.GetReference(sLo);
        ref double yh = ref MemoryMarshal.GetReference(yHi);
        ref double yl = ref MemoryMarshal.GetReference(yLo);
        if (Vector512.IsHardwareAccelerated && n >= Vector512<double>.Count)
        {
            // The same steps as the 4-wide loop below, eight lanes at a time.
            var xh = Vector512.Create(x.Hi);
            var xl = Vector512.Create(x.Lo);
            for (; j <= n - Vector512<double>.Count; j += Vector512<double>.Count)
            {
                var (ph, pl) = ErrorFree.Product(xh, xl, Vector512.LoadUnsafe(ref yh, (nuint)j), Vector512.LoadUnsafe(ref yl, (nuint)j));
                if (subtract)
                {
                    ph = -ph;
                    pl = -pl;
                }

                var (rh, rl) = ErrorFree.Sum(Vector512.LoadUnsafe(ref sh, (nuint)j), Vector512.LoadUnsafe(ref sl, (nuint)j), ph, pl);
                rh.StoreUnsafe(ref sh, (nuint)j);
                rl.StoreUnsafe(ref sl, (nuint)j);
            }
        }

        if (Vector256.IsHardwareAccelerated && n - j >= Vector256<double>.Count)
        {
            // The product x·y (DoubleDouble's operator *), then the sum s + p (its operator +).
            var xh = Vector256.Create(x.Hi);
            var xl = Vector256.Create(x.Lo);
            for (; j <= n - Vector256<double>.Count; j += Vector256<double>.Count)
            {
                var (ph, pl) = ErrorFree.Product(xh, xl, Vector256.LoadUnsafe(ref yh, (nuint)j), Vector256.LoadUnsafe(ref yl, (nuint)j));
                if (subtract)
                {
                    ph = -ph;
                    pl = -pl;
                }

                var (rh, rl) = ErrorFree.Sum(Vector256.LoadUnsafe(ref sh, (nuint)j), Vector256.LoadUnsafe(ref sl, (nuint)j), ph, pl);
                rh.StoreUnsafe(ref sh, (nuint)j);
                rl.StoreUnsafe(ref sl, (nuint)j);
            }
        }

        for (; j < n; j++)
        {
            var product = x * new DoubleDouble(yHi[j], yLo[j]);
            var sum = new DoubleDouble(sHi[j], sLo[j]) + (subtract ? -product : product);
            sHi[j] = sum.Hi;
            sLo[j] = sum.Lo;
        }
    }

    /// <summary>The entries of <paramref name="a"/> as separate row-major arrays of high and low parts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double[] Hi, double[] Lo) Split(DoubleDouble[,] a)
    {
        int rows = a.GetLength(0);
        int columns = a.GetLength(1);
        var hi = new double[rows * columns];
        var lo = new double[rows * columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                hi[(i * columns) + j] = a[i, j].Hi;
                lo[(i * columns) + j] = a[i, j].Lo;
            }
        }

        return (hi, lo);
    }
}
