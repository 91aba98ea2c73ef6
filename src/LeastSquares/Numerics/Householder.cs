using System.Buffers;

namespace LeastSquares.Numerics;

/// <summary>Householder updates of a triangular factor, in double-double.</summary>
internal static class Householder
{
    /// <summary>
    /// Replaces the m×m upper-triangular <paramref name="r"/> by the triangular factor of [R; B],
    /// where B has <paramref name="rows"/> rows stored column by column in <paramref name="block"/>
    /// (column j starts at j·<paramref name="stride"/>). B may be overwritten.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Column k is reflected by H = I + v vᵀ/(β v₀), v = x − β e₀ with x = (R_kk, B[·, k]) and
    /// β = −sign(R_kk)·‖x‖, so v₀ = R_kk − β never cancels. Only row k of R and the rows of B are
    /// touched: the rows of R below k are zero in column k.
    /// </para>
    /// <para>
    /// Factors of at least <see cref="BlockedHouseholder.BlockedFrom"/> columns take the blocked
    /// form (<see cref="BlockedHouseholder"/>: the same reflectors, applied a tile of columns at a
    /// time in compensated arithmetic); narrower ones, and machines without vectors, the row-by-row
    /// form (<see cref="AbsorbRowByRow(DoubleDouble[,], DoubleDouble[], int, int)"/>).
    /// </para>
    /// </remarks>
    public static void Absorb(DoubleDouble[,] r, DoubleDouble[] block, int stride, int rows)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.GetLength(0) >= BlockedHouseholder.BlockedFrom && BlockedHouseholder.IsSupported)
        {
            BlockedHouseholder.Absorb(r, block, stride, rows);
        }
        else
        {
            AbsorbRowByRow(r, block, stride, rows);
        }
    }

    /// <summary>
    /// <see cref="Absorb(DoubleDouble[,], DoubleDouble[], int, int)"/> reflector by reflector over whole rows of the block, for factors of any
    /// width (the reference the blocked form is tested against).
    /// </summary>
    public static void AbsorbRowByRow(DoubleDouble[,] r, DoubleDouble[] block, int stride, int rows)
    {
        // B row by row (row-major high and low parts), so that the dot products of column k with
        // every later column, and the updates of those columns, run along rows in vectors
        // (DdRows). Each dot product and each entry still takes its terms in the order of a loop
        // down the column, so the factor is the same, bit for bit, as that loop's.
        int m = r.GetLength(0);

        // Rented: qr absorbs a block every 128 rows, and fresh arrays (1 MB at p = 500) would be
        // garbage for the large-object heap each time.
        var bHi = ArrayPool<double>.Shared.Rent(rows * m);
        var bLo = ArrayPool<double>.Shared.Rent(rows * m);
        try
        {
            AbsorbRowByRow(r, block, stride, rows, bHi, bLo);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(bHi);
            ArrayPool<double>.Shared.Return(bLo);
        }
    }

    private static void AbsorbRowByRow(DoubleDouble[,] r, DoubleDouble[] block, int stride, int rows, double[] bHi, double[] bLo)
    {
        int m = r.GetLength(0);
        var floors = NoiseFloors(r, block, stride, rows);
        for (int j = 0; j < m; j++)
        {
            for (int i = 0; i < rows; i++)
            {
                var b = block[(j * stride) + i];
                bHi[(i * m) + j] = b.Hi;
                bLo[(i * m) + j] = b.Lo;
            }
        }

        var dotHi = new double[m];
        var dotLo = new double[m];
        var fHi = new double[m];
        var fLo = new double[m];
        for (int k = 0; k < m; k++)
        {
            var sigma = DoubleDouble.Zero;
            for (int i = 0; i < rows; i++)
            {
                var b = new DoubleDouble(bHi[(i * m) + k], bLo[(i * m) + k]);
                if (b.Hi != 0)
                {
                    sigma += b * b;
                }
            }

            var alpha = r[k, k];
            var square = (alpha * alpha) + sigma;
            if (sigma.Hi == 0 || square.Hi < floors[k])
            {
                continue; // nothing to reflect, or only rounding noise of noise (see NoiseFloors)
            }

            var norm = DoubleDouble.Sqrt(square);
            var beta = alpha.Hi >= 0 ? -norm : norm;
            var v0 = alpha - beta;
            var scale = DoubleDouble.One / (beta * v0);
            r[k, k] = beta;
            int rest = m - k - 1;
            if (rest == 0)
            {
                continue;
            }

            for (int j = k + 1; j < m; j++)
            {
                var start = v0 * r[k, j];
                (dotHi[j], dotLo[j]) = (start.Hi, start.Lo);
            }

            for (int i = 0; i < rows; i++)
            {
                int row = i * m;
                var x = new DoubleDouble(bHi[row + k], bLo[row + k]);
                DdRows.MulAdd(dotHi.AsSpan(k + 1, rest), dotLo.AsSpan(k + 1, rest), x, bHi.AsSpan(row + k + 1, rest), bLo.AsSpan(row + k + 1, rest), subtract: false);
            }

            for (int j = k + 1; j < m; j++)
            {
                var f = new DoubleDouble(dotHi[j], dotLo[j]) * scale;
                (fHi[j], fLo[j]) = (f.Hi, f.Lo);
                r[k, j] += v0 * f;
            }

            for (int i = 0; i < rows; i++)
            {
                int row = i * m;
                var x = new DoubleDouble(bHi[row + k], bLo[row + k]);
                DdRows.MulAdd(bHi.AsSpan(row + k + 1, rest), bLo.AsSpan(row + k + 1, rest), x, fHi.AsSpan(k + 1, rest), fLo.AsSpan(k + 1, rest), subtract: false);
            }
        }

        for (int j = 0; j < m; j++)
        {
            for (int i = 0; i < rows; i++)
            {
                block[(j * stride) + i] = new DoubleDouble(bHi[(i * m) + j], bLo[(i * m) + j]);
            }
        }
    }

    /// <summary>
    /// For each column k of [R; B], the square below which what is left of it when reflector k
    /// comes (R_kk² + ‖B[·, k]‖², after the reflectors before k) is rounding noise: (2⁻¹⁵⁰ times
    /// the column's largest entry)², and never below the least normal double. Reflector k is not
    /// made then, as for a zero column: the remainder is dropped, a change of the data far below
    /// double-double's precision (2⁻¹⁰⁶) that the rank test (<see cref="DdMatrix.RankTolerance"/>)
    /// could never see.
    /// </summary>
    /// <remarks>
    /// Without the floor, a block of fewer rows than R has columns makes reflectors from noise:
    /// once its rows are used up (after 128 reflectors, say, into an empty R), what is left is
    /// rounding error of some 2⁻¹⁰⁴ of the data; the reflectors after that leave errors of errors,
    /// 2⁻¹⁰⁴ smaller again every 128 columns, until the squares underflow and 1/(β v₀) overflows:
    /// a fit of 2,000 predictors ended in an overflow error. With the floor, noise of noise is
    /// dropped and the rest of those columns waits for the next block's rows.
    /// </remarks>
    internal static double[] NoiseFloors(DoubleDouble[,] r, DoubleDouble[] block, int stride, int rows)
    {
        int m = r.GetLength(0);
        var floors = new double[m];
        for (int k = 0; k < m; k++)
        {
            double most = 0;
            for (int i = 0; i <= k; i++)
            {
                most = Math.Max(most, Math.Abs(r[i, k].Hi));
            }

            int at = k * stride;
            for (int q = 0; q < rows; q++)
            {
                most = Math.Max(most, Math.Abs(block[at + q].Hi));
            }

            floors[k] = NoiseFloor(most);
        }

        return floors;
    }

    /// <summary>The noise floor of a column whose largest entry is <paramref name="most"/> in size.</summary>
    internal static double NoiseFloor(double most)
    {
        double tiny = most * NoiseFraction;
        return Math.Max(tiny * tiny, LeastNormal);
    }

    /// <summary>2⁻¹⁵⁰: a remainder this small against its column's largest entry is rounding noise (of noise).</summary>
    private const double NoiseFraction = 7.006492321624085e-46;

    /// <summary>The least normal double: below it a square has lost digits, and 1/(β v₀) would overflow.</summary>
    private const double LeastNormal = 2.2250738585072014E-308;

    /// <summary>
    /// Deletes column 0 of the m×m upper-triangular <paramref name="r"/>: the (m−1)×(m−1) factor of
    /// the remaining columns, by Givens rotations on the upper Hessenberg R[:, 1:].
    /// </summary>
    public static DoubleDouble[,] DropFirstColumn(DoubleDouble[,] r)
    {
        int m = r.GetLength(0);
        var h = new DoubleDouble[m, m - 1];
        for (int i = 0; i < m; i++)
        {
            for (int j = Math.Max(i - 1, 0); j < m - 1; j++)
            {
                h[i, j] = r[i, j + 1];
            }
        }

        for (int k = 0; k < m - 1; k++)
        {
            var a = h[k, k];
            var b = h[k + 1, k];
            if (b.Hi == 0)
            {
                continue;
            }

            var rho = DoubleDouble.Sqrt((a * a) + (b * b));
            var c = a / rho;
            var s = b / rho;
            for (int j = k; j < m - 1; j++)
            {
                var top = h[k, j];
                var bottom = h[k + 1, j];
                h[k, j] = (c * top) + (s * bottom);
                h[k + 1, j] = (c * bottom) - (s * top);
            }

            h[k + 1, k] = DoubleDouble.Zero;
        }

        var result = new DoubleDouble[m - 1, m - 1];
        for (int i = 0; i < m - 1; i++)
        {
            for (int j = i; j < m - 1; j++)
            {
                result[i, j] = h[i, j];
            }
        }

        return result;
    }
}
