namespace LeastSquares.Numerics;

/// <summary>Householder updates of a triangular factor, in double-double.</summary>
internal static class Householder
{
    /// <summary>
    /// Replaces the m×m upper-triangular <paramref name="r"/> by the triangular factor of [R; B],
    /// where B has <paramref name="rows"/> rows stored column by column in <paramref name="block"/>
    /// (column j starts at j·<paramref name="stride"/>). B is overwritten.
    /// </summary>
    /// <remarks>
    /// Column k is reflected by H = I + v vᵀ/(β v₀), v = x − β e₀ with x = (R_kk, B[·, k]) and
    /// β = −sign(R_kk)·‖x‖, so v₀ = R_kk − β never cancels. Only row k of R and the rows of B are
    /// touched: the rows of R below k are zero in column k.
    /// </remarks>
    public static void Absorb(DoubleDouble[,] r, DoubleDouble[] block, int stride, int rows)
    {
        int m = r.GetLength(0);
        for (int k = 0; k < m; k++)
        {
            int ck = k * stride;
            var sigma = DoubleDouble.Zero;
            for (int i = 0; i < rows; i++)
            {
                var b = block[ck + i];
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
            for (int j = k + 1; j < m; j++)
            {
                int cj = j * stride;
                var dot = v0 * r[k, j];
                for (int i = 0; i < rows; i++)
                {
                    dot += block[ck + i] * block[cj + i];
                }

                var f = dot * scale;
                r[k, j] += v0 * f;
                for (int i = 0; i < rows; i++)
                {
                    block[cj + i] += block[ck + i] * f;
                }
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
