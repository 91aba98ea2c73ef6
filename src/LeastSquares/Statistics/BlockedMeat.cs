using LeastSquares.Numerics;
using LeastSquares.State;

namespace LeastSquares.Statistics;

/// <summary>
/// The meat of a dense sandwich, M = Σ rᵢrᵢᵀ over rows rᵢ = sᵢ·x̃ᵢ (x̃ a row's features in the
/// centred basis, sᵢ = √ωᵢ; with clusters, each cluster's score sum), summed by the blocked kernel
/// the normal equations use (<see cref="BlockedKernel"/>): a block of rows is buffered and its
/// products with itself added tile by tile in double-double, instead of one rank-one update per
/// row. The rows are given as double-double values (x̃ is formed in double-double from the moments'
/// means), so M is the double-double sum of the products of the rows as given.
/// </summary>
internal sealed class BlockedMeat
{
    private readonly BlockedKernel _kernel;
    private readonly int _m;
    private readonly double[] _hi;
    private readonly double[] _lo;

    /// <param name="m">Values in a row.</param>
    public BlockedMeat(int m)
    {
        _m = m;
        _kernel = new BlockedKernel(m, KernelChoice.Best(m) == KernelChoice.Blocked512 ? 8 : 4);
        _hi = new double[m];
        _lo = new double[m];
    }

    /// <summary>True when rows of <paramref name="m"/> values go through the blocked kernel (wide enough, with 256- or 512-bit vectors).</summary>
    public static bool Takes(int m) => KernelChoice.Best(m) is KernelChoice.Blocked512 or KernelChoice.Blocked256;

    /// <summary>Adds the row <paramref name="scale"/>·<paramref name="row"/>.</summary>
    public void Add(ReadOnlySpan<DoubleDouble> row, double scale)
    {
        bool exact = true;
        for (int j = 0; j < _m; j++)
        {
            var v = row[j] * scale;
            _hi[j] = v.Hi;
            _lo[j] = v.Lo;
            exact &= v.Lo == 0;
        }

        _kernel.Add(_hi, _lo, exact);
    }

    /// <summary>
    /// The sandwich B·M·Bᵀ of this meat with the bread <paramref name="bread"/> (m×m, symmetric), in
    /// double-double: O(m³) once.
    /// </summary>
    public DoubleDouble[,] Sandwich(DoubleDouble[,] bread)
    {
        var meat = Sum();
        int m = _m;
        var t = new DoubleDouble[m, m]; // M·B
        var row = new DoubleDouble[m];
        for (int i = 0; i < m; i++)
        {
            Array.Clear(row);
            for (int k = 0; k < m; k++)
            {
                var a = meat[i, k];
                if (a.Hi == 0)
                {
                    continue;
                }

                for (int j = 0; j < m; j++)
                {
                    if (bread[k, j].Hi != 0)
                    {
                        row[j] += a * bread[k, j];
                    }
                }
            }

            for (int j = 0; j < m; j++)
            {
                t[i, j] = row[j];
            }
        }

        var v = new DoubleDouble[m, m]; // B·(M·B), its upper triangle mirrored
        for (int i = 0; i < m; i++)
        {
            Array.Clear(row);
            for (int k = 0; k < m; k++)
            {
                var b = bread[i, k];
                if (b.Hi == 0)
                {
                    continue;
                }

                for (int j = i; j < m; j++)
                {
                    row[j] += b * t[k, j];
                }
            }

            for (int j = i; j < m; j++)
            {
                v[i, j] = row[j];
                v[j, i] = row[j];
            }
        }

        return v;
    }

    /// <summary>M, m×m, symmetric.</summary>
    public DoubleDouble[,] Sum()
    {
        _kernel.Flush();
        var sum = new DoubleDouble[_m, _m];
        for (int i = 0; i < _m; i++)
        {
            for (int j = i; j < _m; j++)
            {
                var (hi, lo) = _kernel.Cross(i, j);
                sum[i, j] = new DoubleDouble(hi) + lo;
                sum[j, i] = sum[i, j];
            }
        }

        return sum;
    }
}
