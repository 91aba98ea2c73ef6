using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        // Row k of R at once: s_j = a_kj − Σ_{i<k} r_ik·r_ij for every j ≥ k, the sums taken over i
        // in order, entry by entry as a scalar loop would (DdRows gives the same bits).
        int n = a.GetLength(0);
        r = new DoubleDouble[n, n];
        var rHi = new double[n * n];
        var rLo = new double[n * n];
        var sHi = new double[n];
        var sLo = new double[n];
        for (int k = 0; k < n; k++)
        {
            for (int j = k; j < n; j++)
            {
                sHi[j] = a[k, j].Hi;
                sLo[j] = a[k, j].Lo;
            }

            for (int i = 0; i < k; i++)
            {
                int row = i * n;
                var x = new DoubleDouble(rHi[row + k], rLo[row + k]);
                DdRows.MulAdd(sHi.AsSpan(k, n - k), sLo.AsSpan(k, n - k), x, rHi.AsSpan(row + k, n - k), rLo.AsSpan(row + k, n - k), subtract: true);
            }

            var d = new DoubleDouble(sHi[k], sLo[k]);
            if (!(d.Hi > relativePivotTolerance * a[k, k].Hi))
            {
                return k;
            }

            var rkk = DoubleDouble.Sqrt(d);
            r[k, k] = rkk;
            (rHi[(k * n) + k], rLo[(k * n) + k]) = (rkk.Hi, rkk.Lo);
            for (int j = k + 1; j < n; j++)
            {
                var v = new DoubleDouble(sHi[j], sLo[j]) / rkk;
                r[k, j] = v;
                (rHi[(k * n) + j], rLo[(k * n) + j]) = (v.Hi, v.Lo);
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
        // R⁻¹ row by row from the last: row i needs Σ_{i<k≤j} r_ik·(R⁻¹)_kj for every j > i, taken
        // over k in order (as a scalar loop over one entry would), rows k > i being done.
        int n = r.GetLength(0);
        var (rHi, rLo) = DdRows.Split(r);
        var vHi = new double[n * n]; // R⁻¹, row-major
        var vLo = new double[n * n];
        var sHi = new double[n];
        var sLo = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            var rii = new DoubleDouble(rHi[(i * n) + i], rLo[(i * n) + i]);
            var inverse = DoubleDouble.One / rii;
            (vHi[(i * n) + i], vLo[(i * n) + i]) = (inverse.Hi, inverse.Lo);
            Array.Clear(sHi);
            Array.Clear(sLo);
            for (int k = i + 1; k < n; k++)
            {
                var x = new DoubleDouble(rHi[(i * n) + k], rLo[(i * n) + k]);
                DdRows.MulAdd(sHi.AsSpan(k, n - k), sLo.AsSpan(k, n - k), x, vHi.AsSpan((k * n) + k, n - k), vLo.AsSpan((k * n) + k, n - k), subtract: false);
            }

            for (int j = i + 1; j < n; j++)
            {
                var v = -new DoubleDouble(sHi[j], sLo[j]) / rii;
                (vHi[(i * n) + j], vLo[(i * n) + j]) = (v.Hi, v.Lo);
            }
        }

        // A⁻¹ = R⁻¹R⁻ᵀ: entry (i, j ≥ i) is Σ_{k≥j} (R⁻¹)_ik·(R⁻¹)_jk, over k in order; the columns
        // of R⁻¹ (rows of its transpose) make the inner loop run along j.
        var tHi = new double[n * n];
        var tLo = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int k = i; k < n; k++)
            {
                tHi[(k * n) + i] = vHi[(i * n) + k];
                tLo[(k * n) + i] = vLo[(i * n) + k];
            }
        }

        var inv = new DoubleDouble[n, n];
        for (int i = 0; i < n; i++)
        {
            Array.Clear(sHi);
            Array.Clear(sLo);
            for (int k = i; k < n; k++)
            {
                var x = new DoubleDouble(vHi[(i * n) + k], vLo[(i * n) + k]);
                DdRows.MulAdd(sHi.AsSpan(i, k - i + 1), sLo.AsSpan(i, k - i + 1), x, tHi.AsSpan((k * n) + i, k - i + 1), tLo.AsSpan((k * n) + i, k - i + 1), subtract: false);
            }

            for (int j = i; j < n; j++)
            {
                var s = new DoubleDouble(sHi[j], sLo[j]);
                inv[i, j] = s;
                inv[j, i] = s;
            }
        }

        return inv;
    }

    /// <summary>RᵀR (upper triangle, mirrored) of the upper-triangular <paramref name="r"/>: entry (i, j) is Σ_{k≤i} r_ki·r_kj, over k in order.</summary>
    public static DoubleDouble[,] Gram(DoubleDouble[,] r)
    {
        int n = r.GetLength(0);
        var (rHi, rLo) = DdRows.Split(r);
        var sHi = new double[n];
        var sLo = new double[n];
        var a = new DoubleDouble[n, n];
        for (int i = 0; i < n; i++)
        {
            Array.Clear(sHi);
            Array.Clear(sLo);
            for (int k = 0; k <= i; k++)
            {
                var x = new DoubleDouble(rHi[(k * n) + i], rLo[(k * n) + i]);
                DdRows.MulAdd(sHi.AsSpan(i, n - i), sLo.AsSpan(i, n - i), x, rHi.AsSpan((k * n) + i, n - i), rLo.AsSpan((k * n) + i, n - i), subtract: false);
            }

            for (int j = i; j < n; j++)
            {
                a[i, j] = new DoubleDouble(sHi[j], sLo[j]);
                a[j, i] = a[i, j];
            }
        }

        return a;
    }

    /// <summary>Largest eigenvalue of a symmetric positive semi-definite matrix (power iteration; a few digits).</summary>
    public static double LargestEigenvalue(double[,] a)
    {
        int n = a.GetLength(0);

        // Column-major: column j of A is contiguous, so that a vector of rows' sums takes its
        // terms a_ij·v_j from one load (see Multiply).
        var columns = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                columns[(j * n) + i] = a[i, j];
            }
        }

        return LargestEigenvalue(n, (v, w) => Multiply(columns, v, w));
    }

    /// <summary>
    /// Largest eigenvalue of the symmetric positive semi-definite operator <paramref name="multiply"/>
    /// (w ← A·v) of order <paramref name="n"/>: the power iteration of <see cref="LargestEigenvalue(double[,])"/>,
    /// the same start, steps and stopping rule, whatever applies A (an explicit matrix, or solves with a factor).
    /// </summary>
    public static double LargestEigenvalue(int n, Action<double[], double[]> multiply)
    {
        ArgumentNullException.ThrowIfNull(multiply);
        var v = new double[n];
        var w = new double[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = 1.0 + (0.1 * i / n);
        }

        double lambda = 0;
        for (int iter = 0; iter < 500; iter++)
        {
            multiply(v, w);
            double norm = 0;
            for (int i = 0; i < n; i++)
            {
                norm += w[i] * w[i];
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

    /// <summary>
    /// w = A·v for the n×n <paramref name="columns"/> (column-major), each wᵢ = Σⱼ aᵢⱼ·vⱼ summed
    /// over j in order from zero, a multiplication then an addition per term. Rows go in vector
    /// lanes, sixteen at a time (four vectors of four, four independent chains of additions): each
    /// lane performs the scalar loop's operations on its row, so the sums are the same to the bit.
    /// </summary>
    internal static void Multiply(double[] columns, double[] v, double[] w)
    {
        int n = v.Length;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double a = ref MemoryMarshal.GetArrayDataReference(columns);
            const int Lanes = 4;
            for (; i + (4 * Lanes) <= n; i += 4 * Lanes)
            {
                Vector256<double> s0 = Vector256<double>.Zero, s1 = s0, s2 = s0, s3 = s0;
                for (int j = 0; j < n; j++)
                {
                    var x = Vector256.Create(v[j]);
                    nuint at = (nuint)((j * n) + i);
                    s0 += Vector256.LoadUnsafe(ref a, at) * x;
                    s1 += Vector256.LoadUnsafe(ref a, at + Lanes) * x;
                    s2 += Vector256.LoadUnsafe(ref a, at + (2 * Lanes)) * x;
                    s3 += Vector256.LoadUnsafe(ref a, at + (3 * Lanes)) * x;
                }

                s0.CopyTo(w, i);
                s1.CopyTo(w, i + Lanes);
                s2.CopyTo(w, i + (2 * Lanes));
                s3.CopyTo(w, i + (3 * Lanes));
            }

            for (; i + Lanes <= n; i += Lanes)
            {
                var s = Vector256<double>.Zero;
                for (int j = 0; j < n; j++)
                {
                    s += Vector256.LoadUnsafe(ref a, (nuint)((j * n) + i)) * Vector256.Create(v[j]);
                }

                s.CopyTo(w, i);
            }
        }

        for (; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < n; j++)
            {
                s += columns[(j * n) + i] * v[j];
            }

            w[i] = s;
        }
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

        // The non-zero entries of each row of F, found once: a wide model's F is mostly the
        // identity, and scanning its zeros for every entry of the result cost m³ steps.
        var nonZero = new int[m][];
        for (int i = 0; i < m; i++)
        {
            var row = new List<int>();
            for (int k = 0; k < m; k++)
            {
                if (f[i, k].Hi != 0)
                {
                    row.Add(k);
                }
            }

            nonZero[i] = [.. row];
        }

        var fc = new DoubleDouble[m, m];
        for (int i = 0; i < m; i++)
        {
            var row = nonZero[i];
            for (int j = 0; j < m; j++)
            {
                var acc = DoubleDouble.Zero;
                foreach (int k in row)
                {
                    acc += f[i, k] * c[k, j];
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
                foreach (int k in nonZero[j])
                {
                    acc += fc[i, k] * f[j, k];
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
