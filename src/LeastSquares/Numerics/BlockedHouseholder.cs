using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LeastSquares.Numerics;

/// <summary>
/// The blocked form of <see cref="Householder.Absorb(DoubleDouble[,], DoubleDouble[], int, int)"/> for wide factors: the same reflectors,
/// applied to the block a tile of <see cref="Width"/> columns at a time (left-looking). A tile of
/// the block's rows (16 kB at 128 rows) stays in the first-level cache while every earlier
/// reflector passes over it, and one pass both applies a reflector to the tile and forms the dot
/// products of the next reflector with it, so a tile's rows travel through the registers once a
/// reflector, in 4-wide vectors.
/// </summary>
/// <remarks>
/// <para>
/// Reflector k is built as in the row-by-row form (from R_kk and the norm of column k of the
/// block, in double-double) and reflects the columns after k in the same order. What differs is
/// the arithmetic inside a pass: a dot product is a compensated sum (each FMA-exact product added
/// by TwoSum, the rounding errors and the low-order product terms gathered in a second double),
/// and each updated entry is the compensated sum of the entry and an FMA-exact product,
/// renormalised. Each step's error is a few units of 2⁻¹⁰⁶ in the size of its operands, as in
/// double-double arithmetic, so the factor is backward stable at double-double precision; it is
/// not the row-by-row factor bit for bit (<c>BlockedHouseholderTests</c> hold the two to a stated
/// number of digits).
/// </para>
/// </remarks>
internal static partial class BlockedHouseholder
{
    /// <summary>Columns a tile holds: two 4-wide vectors.</summary>
    public const int Width = 8;

    /// <summary>
    /// The factor size (values a row, the column of ones and the response included) from which the
    /// blocked form is used; below it the row-by-row form is as fast, and its arithmetic is the
    /// whole of the NIST tests' (their factors are at most 13 wide).
    /// </summary>
    public const int BlockedFrom = 24;

    /// <summary>True when the blocked form runs on this machine in vectors (4-wide ones).</summary>
    public static bool IsSupported => Vector256.IsHardwareAccelerated;

    /// <summary>
    /// Replaces the m×m upper-triangular <paramref name="r"/> by the triangular factor of [R; B], B
    /// having <paramref name="rows"/> rows stored column by column in <paramref name="block"/>
    /// (column j starts at j·<paramref name="stride"/>). <paramref name="block"/> is only read.
    /// </summary>
    public static void Absorb(DoubleDouble[,] r, DoubleDouble[] block, int stride, int rows)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(block);
        int m = r.GetLength(0);
        if (rows == 0)
        {
            return;
        }

        int tiles = (m + Width - 1) / Width;
        int s = tiles * Width;
        var pool = ArrayPool<double>.Shared;
        var rHi = pool.Rent(m * s);
        var rLo = pool.Rent(m * s);
        var tHi = pool.Rent(tiles * rows * Width);
        var tLo = pool.Rent(tiles * rows * Width);
        var vHi = pool.Rent(m * rows);
        var vLo = pool.Rent(m * rows);
        try
        {
            // Each column's largest entry, in R and in the block, for its noise floor as it is copied.
            var floors = new double[m];
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < s; j++)
                {
                    var x = j < m ? r[i, j] : DoubleDouble.Zero;
                    rHi[(i * s) + j] = x.Hi;
                    rLo[(i * s) + j] = x.Lo;
                    if (j < m)
                    {
                        floors[j] = Math.Max(floors[j], Math.Abs(x.Hi));
                    }
                }
            }

            for (int j = 0; j < s; j++)
            {
                int at = ((j / Width) * rows * Width) + (j % Width);
                double largest = 0;
                for (int q = 0; q < rows; q++)
                {
                    var x = j < m ? block[(j * stride) + q] : DoubleDouble.Zero;
                    tHi[at + (q * Width)] = x.Hi;
                    tLo[at + (q * Width)] = x.Lo;
                    largest = Math.Max(largest, Math.Abs(x.Hi));
                }

                if (j < m)
                {
                    floors[j] = Householder.NoiseFloor(Math.Max(floors[j], largest));
                }
            }

            // Reflector k reaches the rows where any of the block's columns up to k is nonzero:
            // all of them for rows read from a file, the first k + 1 when the block is a triangle
            // (a factor merged into another).
            var reach = new int[m];
            int most = 0;
            for (int j = 0; j < m; j++)
            {
                for (int q = rows - 1; q >= most; q--)
                {
                    var x = block[(j * stride) + q];
                    if (x.Hi != 0 || x.Lo != 0)
                    {
                        most = q + 1;
                        break;
                    }
                }

                reach[j] = most;
            }

            var factor = new Factor(m, s, rows, reach, floors, rHi, rLo, tHi, tLo, vHi, vLo);
            for (int t = 0; t < tiles; t++)
            {
                factor.Tile(t);
            }

            for (int i = 0; i < m; i++)
            {
                for (int j = i; j < m; j++)
                {
                    r[i, j] = new DoubleDouble(rHi[(i * s) + j], rLo[(i * s) + j]);
                }
            }
        }
        finally
        {
            pool.Return(rHi);
            pool.Return(rLo);
            pool.Return(tHi);
            pool.Return(tLo);
            pool.Return(vHi);
            pool.Return(vLo);
        }
    }

    /// <summary>
    /// A vector of a pass: <c>Step</c> apart from <c>At</c> in the arrays of high and low parts; zero
    /// from row <c>Rows</c> on (a reflector's reach: a triangular block's reflectors reach fewer rows).
    /// </summary>
    private readonly record struct Source(double[] Hi, double[] Lo, int At, int Step, int Rows);

    /// <summary>Eight double-double lanes (one per column of a tile), as two 4-wide halves; not necessarily normalised.</summary>
    private readonly record struct Lanes(Vector256<double> HiA, Vector256<double> LoA, Vector256<double> HiB, Vector256<double> LoB)
    {
        public DoubleDouble Lane(int l)
        {
            double h = l < 4 ? HiA[l] : HiB[l - 4];
            double lo = l < 4 ? LoA[l] : LoB[l - 4];
            double s = h + lo;
            return new DoubleDouble(s, lo - (s - h));
        }
    }
}
