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

            if (sigma.Hi == 0)
            {
                continue;
            }

            var alpha = r[k, k];
            var norm = DoubleDouble.Sqrt((alpha * alpha) + sigma);
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
