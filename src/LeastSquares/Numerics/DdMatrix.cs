namespace LeastSquares.Numerics;

/// <summary>Small dense linear algebra in double-double: Cholesky, triangular solves, SPD inverse.</summary>
internal static class DdMatrix
{
    /// <summary>
    /// Below this relative pivot a column is a combination of the earlier ones to within the
    /// ~1e-31 rounding of double-double sums; such a design has no unique solution. The normal
    /// equations, the QR factor and the factor built from moments all use it.
    /// </summary>
    public const double RankTolerance = 1e-26;

    /// <summary>
    /// Upper Cholesky factor R (A = RᵀR) of the symmetric matrix <paramref name="a"/>. Returns the
    /// index of the first pivot that falls below <paramref name="relativePivotTolerance"/> times its
    /// diagonal entry (the column is then numerically a combination of the earlier ones), or −1.
    /// </summary>
    public static int Cholesky(DoubleDouble[,] a, double relativePivotTolerance, out DoubleDouble[,] r)
    {
        int n = a.GetLength(0);
        r = new DoubleDouble[n, n];
        for (int k = 0; k < n; k++)
        {
            var d = a[k, k];
            for (int i = 0; i < k; i++)
            {
                d -= r[i, k] * r[i, k];
            }

            if (!(d.Hi > relativePivotTolerance * a[k, k].Hi))
            {
                return k;
            }

            var rkk = DoubleDouble.Sqrt(d);
            r[k, k] = rkk;
            for (int j = k + 1; j < n; j++)
            {
                var s = a[k, j];
                for (int i = 0; i < k; i++)
                {
                    s -= r[i, k] * r[i, j];
                }

                r[k, j] = s / rkk;
            }
        }

        return -1;
    }

    /// <summary>Solves RᵀR x = b with R upper triangular (first k rows/columns when given).</summary>
    public static DoubleDouble[] CholeskySolve(DoubleDouble[,] r, DoubleDouble[] b, int size = -1)
    {
        int n = size < 0 ? r.GetLength(0) : size;
        var z = new DoubleDouble[n];
        for (int i = 0; i < n; i++)
        {
            var s = b[i];
            for (int k = 0; k < i; k++)
            {
                s -= r[k, i] * z[k];
            }

            z[i] = s / r[i, i];
        }

        return SolveUpper(r, z, n);
    }

    /// <summary>A⁻¹ = R⁻¹R⁻ᵀ from the upper Cholesky factor.</summary>
    public static DoubleDouble[,] InverseFromCholesky(DoubleDouble[,] r)
    {
        int n = r.GetLength(0);
        var rinv = new DoubleDouble[n, n];
        for (int j = 0; j < n; j++)
        {
            rinv[j, j] = DoubleDouble.One / r[j, j];
            for (int i = j - 1; i >= 0; i--)
            {
                var s = DoubleDouble.Zero;
                for (int k = i + 1; k <= j; k++)
                {
                    s += r[i, k] * rinv[k, j];
                }

                rinv[i, j] = -s / r[i, i];
            }
        }

        var inv = new DoubleDouble[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                var s = DoubleDouble.Zero;
                for (int k = j; k < n; k++)
                {
                    s += rinv[i, k] * rinv[j, k];
                }

                inv[i, j] = s;
                inv[j, i] = s;
            }
        }

        return inv;
    }

    /// <summary>Largest eigenvalue of a symmetric positive semi-definite matrix (power iteration; a few digits).</summary>
    public static double LargestEigenvalue(double[,] a)
    {
        int n = a.GetLength(0);
        var v = new double[n];
        var w = new double[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = 1.0 + (0.1 * i / n);
        }

        double lambda = 0;
        for (int iter = 0; iter < 500; iter++)
        {
            double norm = 0;
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int j = 0; j < n; j++)
                {
                    s += a[i, j] * v[j];
                }

                w[i] = s;
                norm += s * s;
            }

            norm = Math.Sqrt(norm);
            if (norm == 0)
            {
                return 0;
            }

            double vnorm = 0;
            for (int i = 0; i < n; i++)
            {
                vnorm += v[i] * v[i];
            }

            double next = norm / Math.Sqrt(vnorm);
            for (int i = 0; i < n; i++)
            {
                v[i] = w[i] / norm;
            }

            if (iter > 5 && Math.Abs(next - lambda) <= 1e-12 * next)
            {
                return next;
            }

            lambda = next;
        }

        return lambda;
    }

    /// <summary>The nearest power of two to 1/√x, so scaling by it is exact.</summary>
    public static double InverseSqrtPowerOfTwo(double x) =>
        x > 0 && double.IsFinite(x) ? Math.ScaleB(1.0, -(int)Math.Round(Math.Log2(x) / 2)) : 1.0;

    /// <summary>
    /// F·C·Fᵀ in double-double, as (F·C)·Fᵀ, skipping the zero entries of F (a change of basis is
    /// mostly zeros): the moments of transformed features, and the covariance J·V·Jᵀ of mapped
    /// coefficients. With <paramref name="symmetric"/> only the upper triangle is formed and mirrored.
    /// </summary>
    public static DoubleDouble[,] Congruence(DoubleDouble[,] f, DoubleDouble[,] c, bool symmetric)
    {
        int m = f.GetLength(0);
        var fc = new DoubleDouble[m, m];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                var acc = DoubleDouble.Zero;
                for (int k = 0; k < m; k++)
                {
                    if (f[i, k].Hi != 0)
                    {
                        acc += f[i, k] * c[k, j];
                    }
                }

                fc[i, j] = acc;
            }
        }

        var result = new DoubleDouble[m, m];
        for (int i = 0; i < m; i++)
        {
            for (int j = symmetric ? i : 0; j < m; j++)
            {
                var acc = DoubleDouble.Zero;
                for (int k = 0; k < m; k++)
                {
                    if (f[j, k].Hi != 0)
                    {
                        acc += fc[i, k] * f[j, k];
                    }
                }

                result[i, j] = acc;
                if (symmetric)
                {
                    result[j, i] = acc;
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Solves U x = b by back substitution over the leading <paramref name="n"/> rows and columns,
    /// U being the upper triangle of <paramref name="a"/> or, with <paramref name="transposed"/>,
    /// the transpose of its lower triangle (Lᵀx = b).
    /// </summary>
    public static DoubleDouble[] SolveUpper(DoubleDouble[,] a, ReadOnlySpan<DoubleDouble> b, int n, bool transposed = false)
    {
        var x = new DoubleDouble[n];
        for (int i = n - 1; i >= 0; i--)
        {
            var s = b[i];
            for (int k = i + 1; k < n; k++)
            {
                s -= (transposed ? a[k, i] : a[i, k]) * x[k];
            }

            x[i] = s / a[i, i];
        }

        return x;
    }

    /// <summary>The first <paramref name="n"/> entries of column <paramref name="column"/> of <paramref name="a"/>.</summary>
    public static DoubleDouble[] Column(DoubleDouble[,] a, int column, int n)
    {
        var c = new DoubleDouble[n];
        for (int i = 0; i < n; i++)
        {
            c[i] = a[i, column];
        }

        return c;
    }
}
