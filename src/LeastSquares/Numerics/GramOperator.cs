using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LeastSquares.Numerics;

/// <summary>
/// The matrix A = D⁻¹RᵀRD⁻¹ of an upper-triangular factor R (D the square roots of RᵀR's diagonal,
/// so A has a unit diagonal) and its inverse D R⁻¹R⁻ᵀ D, applied to a vector through R alone: a
/// product, or two triangular solves, p² steps each, where forming RᵀR takes p³/6 double-double
/// steps and R⁻¹R⁻ᵀ p³/3. What a power iteration for the condition number needs when nothing else
/// asks for the inverse. The instance keeps no state between calls but its scratch vectors: one
/// thread may iterate on A while another iterates on A⁻¹, each with its own method.
/// </summary>
internal sealed class GramOperator
{
    private readonly int _n;
    private readonly double[] _hi; // R, row-major: leading parts
    private readonly double[] _lo; // and trailing parts
    private readonly double[] _d;
    private readonly double[] _product;
    private readonly double[] _solve;
    private double[]? _columnsHi; // Rᵀ, row-major (R's columns), for the double-double back substitution
    private double[]? _columnsLo;

    public GramOperator(DoubleDouble[,] r)
    {
        _n = r.GetLength(0);
        (_hi, _lo) = DdRows.Split(r);
        _d = new double[_n];
        for (int i = 0; i < _n; i++)
        {
            // (RᵀR)_ii = Σ_{k≤i} r_ki², over k in order: the bits DdMatrix.Gram gives its diagonal.
            var s = DoubleDouble.Zero;
            for (int k = 0; k <= i; k++)
            {
                s += r[k, i] * r[k, i];
            }

            _d[i] = Math.Sqrt(s.ToDouble());
        }

        _product = new double[_n];
        _solve = new double[_n];
    }

    /// <summary>The order p.</summary>
    public int Size => _n;

    /// <summary>The square roots of RᵀR's diagonal, as the explicit condition number scales by.</summary>
    public ReadOnlySpan<double> Scale => _d;

    /// <summary>
    /// w = A·v in double: u = R·D⁻¹v, then w = D⁻¹Rᵀu, in one pass over R: u_i = (row i)·t is all
    /// that Rᵀu takes from row i, so the row is used twice while it is in the cache.
    /// </summary>
    public void Multiply(double[] v, double[] w)
    {
        int n = _n;
        var t = _product;
        for (int j = 0; j < n; j++)
        {
            t[j] = v[j] / _d[j];
        }

        Array.Clear(w);
        for (int i = 0; i < n; i++)
        {
            var row = _hi.AsSpan((i * n) + i, n - i);
            Axpy(w.AsSpan(i, n - i), Dot(row, t.AsSpan(i, n - i)), row);
        }

        for (int j = 0; j < n; j++)
        {
            w[j] /= _d[j];
        }
    }

    /// <summary>
    /// w = A⁻¹·v in double: Rᵀz = Dv by forward substitution, R x = z by back substitution, w = Dx.
    /// Backward stable: the relative error of the eigenvalue it leads to is about p·2⁻⁵³ times the
    /// condition number of R (see <see cref="SolveExact"/> for ill-conditioned factors).
    /// </summary>
    public void Solve(double[] v, double[] w)
    {
        int n = _n;
        var z = _solve;
        for (int j = 0; j < n; j++)
        {
            z[j] = v[j] * _d[j];
        }

        // Rᵀz = y, column by column of Rᵀ (row k of R): z_k is final once the rows above are out.
        for (int k = 0; k < n; k++)
        {
            double zk = z[k] / _hi[(k * n) + k];
            z[k] = zk;
            Axpy(z.AsSpan(k + 1, n - k - 1), -zk, _hi.AsSpan((k * n) + k + 1, n - k - 1));
        }

        // R x = z, row by row from the last.
        for (int i = n - 1; i >= 0; i--)
        {
            double s = z[i] - Dot(_hi.AsSpan((i * n) + i + 1, n - i - 1), w.AsSpan(i + 1, n - i - 1));
            w[i] = s / _hi[(i * n) + i];
        }

        for (int j = 0; j < n; j++)
        {
            w[j] *= _d[j];
        }
    }

    /// <summary>
    /// w = A⁻¹·v with both triangular solves in double-double (R's trailing parts included), so the
    /// solve adds no error of its own beyond the ~1e-32 of the arithmetic, however ill-conditioned
    /// R is; about four times the cost of <see cref="Solve"/>.
    /// </summary>
    public void SolveExact(double[] v, double[] w)
    {
        int n = _n;
        if (_columnsHi is null)
        {
            var cHi = new double[n * n];
            var cLo = new double[n * n];
            for (int i = 0; i < n; i++)
            {
                for (int k = i; k < n; k++)
                {
                    cHi[(k * n) + i] = _hi[(i * n) + k];
                    cLo[(k * n) + i] = _lo[(i * n) + k];
                }
            }

            (_columnsHi, _columnsLo) = (cHi, cLo);
        }

        var zHi = new double[n];
        var zLo = new double[n];
        for (int j = 0; j < n; j++)
        {
            var y = DoubleDouble.TwoProduct(v[j], _d[j]);
            (zHi[j], zLo[j]) = (y.Hi, y.Lo);
        }

        // Rᵀz = y: z_k final, then taken out of the rows below with row k of R.
        for (int k = 0; k < n; k++)
        {
            var zk = new DoubleDouble(zHi[k], zLo[k]) / new DoubleDouble(_hi[(k * n) + k], _lo[(k * n) + k]);
            (zHi[k], zLo[k]) = (zk.Hi, zk.Lo);
            int at = (k * n) + k + 1;
            DdRows.MulAdd(zHi.AsSpan(k + 1, n - k - 1), zLo.AsSpan(k + 1, n - k - 1), zk, _hi.AsSpan(at, n - k - 1), _lo.AsSpan(at, n - k - 1), subtract: true);
        }

        // R x = z: x_k final, then taken out of the rows above with column k of R.
        for (int k = n - 1; k >= 0; k--)
        {
            var xk = new DoubleDouble(zHi[k], zLo[k]) / new DoubleDouble(_hi[(k * n) + k], _lo[(k * n) + k]);
            (zHi[k], zLo[k]) = (xk.Hi, xk.Lo);
            DdRows.MulAdd(zHi.AsSpan(0, k), zLo.AsSpan(0, k), xk, _columnsHi.AsSpan(k * n, k), _columnsLo!.AsSpan(k * n, k), subtract: true);
        }

        for (int j = 0; j < n; j++)
        {
            w[j] = (new DoubleDouble(zHi[j], zLo[j]) * _d[j]).ToDouble();
        }
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = a.Length;
        int j = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated && n >= 2 * Vector256<double>.Count)
        {
            ref double ra = ref MemoryMarshal.GetReference(a);
            ref double rb = ref MemoryMarshal.GetReference(b);
            Vector256<double> s0 = Vector256<double>.Zero, s1 = s0;
            for (; j <= n - (2 * Vector256<double>.Count); j += 2 * Vector256<double>.Count)
            {
                s0 += Vector256.LoadUnsafe(ref ra, (nuint)j) * Vector256.LoadUnsafe(ref rb, (nuint)j);
                s1 += Vector256.LoadUnsafe(ref ra, (nuint)(j + Vector256<double>.Count)) * Vector256.LoadUnsafe(ref rb, (nuint)(j + Vector256<double>.Count));
            }

            sum = Vector256.Sum(s0 + s1);
        }

        for (; j < n; j++)
        {
            sum += a[j] * b[j];
        }

        return sum;
    }

    /// <summary>y ← y + a·x.</summary>
    private static void Axpy(Span<double> y, double a, ReadOnlySpan<double> x)
    {
        int n = y.Length;
        int j = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            ref double ry = ref MemoryMarshal.GetReference(y);
            ref double rx = ref MemoryMarshal.GetReference(x);
            var va = Vector256.Create(a);
            for (; j <= n - Vector256<double>.Count; j += Vector256<double>.Count)
            {
                (Vector256.LoadUnsafe(ref ry, (nuint)j) + (va * Vector256.LoadUnsafe(ref rx, (nuint)j))).StoreUnsafe(ref ry, (nuint)j);
            }
        }

        for (; j < n; j++)
        {
            y[j] += a * x[j];
        }
    }
}
