using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LeastSquares.Numerics;

namespace LeastSquares;

/// <summary>
/// Folds data rows, one at a time or in blocks, into the <see cref="Moments"/> of a model. Memory
/// is O(p²) whatever the number of rows. Each row is <c>[x₁, …, x_k, y]</c> in the order of
/// <see cref="ModelTerms.Predictors"/>, the response last.
/// </summary>
/// <remarks>
/// Every column is shifted by its value in the first row before anything is multiplied, the
/// shifted value is kept exactly as a double-double, and products are formed exactly (FMA) and
/// summed with a compensated (double-double) sum. The result is as accurate as if the sums had
/// been carried out in about 32 significant digits, and the shift keeps large common offsets
/// (timestamps) from eating those digits.
/// </remarks>
public abstract class MomentAccumulator
{
    /// <summary>Creates an accumulator for <paramref name="terms"/>.</summary>
    public static MomentAccumulator Create(ModelTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return terms.IsPolynomial ? new PolynomialAccumulator(terms) : new LinearAccumulator(terms);
    }

    /// <summary>
    /// Creates the accumulator that <paramref name="method"/> needs: a <see cref="QrAccumulator"/>
    /// (the triangular factor) for <see cref="FitMethod.Qr"/>, the moments for every other method.
    /// </summary>
    public static MomentAccumulator Create(ModelTerms terms, FitMethod method) =>
        method == FitMethod.Qr ? new QrAccumulator(terms) : Create(terms);

    /// <summary>The model.</summary>
    public abstract ModelTerms Terms { get; }

    /// <summary>Rows added so far.</summary>
    public long Count { get; protected set; }

    /// <summary>Adds one row <c>[x₁, …, x_k, y]</c>.</summary>
    /// <exception cref="ArgumentException">Wrong width or a value that is not finite.</exception>
    public abstract void Add(ReadOnlySpan<double> row);

    /// <summary>Adds <paramref name="rows"/> rows stored one after another in <paramref name="block"/>.</summary>
    public void AddRows(ReadOnlySpan<double> block, int rows)
    {
        int w = Terms.RowWidth;
        if (block.Length < rows * w)
        {
            throw new ArgumentException($"The block holds fewer than {rows} rows of {w} values.", nameof(block));
        }

        for (int r = 0; r < rows; r++)
        {
            Add(block.Slice(r * w, w));
        }
    }

    /// <summary>The moments of the rows added so far.</summary>
    /// <exception cref="OverflowException">A sum overflowed (values beyond about 1e150).</exception>
    public abstract Moments ToMoments();

    /// <summary>Throws unless the row has the right width and only finite values.</summary>
    protected void CheckRow(ReadOnlySpan<double> row)
    {
        if (row.Length != Terms.RowWidth)
        {
            throw new ArgumentException($"A row of this model has {Terms.RowWidth} values, not {row.Length}.", nameof(row));
        }

        for (int j = 0; j < row.Length; j++)
        {
            if (!double.IsFinite(row[j]))
            {
                throw new ArgumentException($"Value {j + 1} of row {Count + 1} is not finite ({row[j]}).", nameof(row));
            }
        }
    }

    /// <summary>Throws when any of the values is not finite.</summary>
    protected static void CheckFinite(DoubleDouble[] values)
    {
        foreach (var v in values)
        {
            if (!v.IsFinite)
            {
                throw new OverflowException("A sum of squares overflowed: the data hold values too large to square (beyond about 1e150).");
            }
        }
    }
}

/// <summary>Accumulator of an ordinary linear model: the cross-products of all columns.</summary>
/// <remarks>
/// The cross-product matrix is updated a vector of columns at a time (SIMD, where the hardware
/// has it). Every entry still goes through exactly the scalar steps (TwoDiff shift, FMA exact
/// product, compensated sum) in the same order, lane by lane, so the vector and scalar kernels
/// give the same sums exactly; the vectors only compute some lower-triangle entries that are never
/// read, to keep the loads aligned to whole vectors. For a row whose shift is exact the vector
/// kernel skips the low-part terms, which are then zeros.
/// </remarks>
internal sealed class LinearAccumulator : MomentAccumulator
{
    private readonly int _m;
    private readonly int _stride; // m rounded up to a whole number of vectors
    private readonly int _width; // doubles per vector: 4, or 1 for the scalar kernel
    private readonly double[] _shift;
    private readonly double[] _sumHi;
    private readonly double[] _sumLo;
    private readonly double[] _crossHi; // row i holds entries (i, j), j ≥ i valid, m×stride
    private readonly double[] _crossLo;
    private readonly double[] _dHi; // the shifted row, zero past m
    private readonly double[] _dLo;

    public LinearAccumulator(ModelTerms terms)
        : this(terms, Vector256.IsHardwareAccelerated ? Vector256<double>.Count : 1)
    {
    }

    /// <summary>
    /// Creates the accumulator with the vector kernel (<paramref name="width"/> 4) or the scalar
    /// one (1). AVX-512 vectors were measured no faster here, so they are not used.
    /// </summary>
    internal LinearAccumulator(ModelTerms terms, int width)
    {
        if (width != 1 && width != Vector256<double>.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "The kernel works on vectors of 1 or 4 doubles.");
        }

        Terms = terms;
        _m = terms.RowWidth;
        _width = width;
        _stride = (_m + width - 1) / width * width;
        _shift = new double[_m];
        _sumHi = new double[_stride];
        _sumLo = new double[_stride];
        _crossHi = new double[_m * _stride];
        _crossLo = new double[_m * _stride];
        _dHi = new double[_stride];
        _dLo = new double[_stride];
    }

    public override ModelTerms Terms { get; }

    public override void Add(ReadOnlySpan<double> row)
    {
        CheckRow(row);
        if (Count == 0)
        {
            row.CopyTo(_shift);
        }

        bool exact = true;
        for (int j = 0; j < _m; j++)
        {
            double a = row[j];
            double b = _shift[j];
            double s = a - b;
            double bb = s - a;
            double lo = (a - (s - bb)) - (b + bb);
            _dHi[j] = s;
            _dLo[j] = lo;
            exact &= lo == 0;
        }

        if (_width > 1)
        {
            AddVector(exact);
        }
        else
        {
            AddScalar();
        }

        Count++;
    }

    private void AddScalar()
    {
        int m = _m;
        for (int i = 0; i < m; i++)
        {
            double di = _dHi[i];
            double li = _dLo[i];
            AddTo(ref _sumHi[i], ref _sumLo[i], di, li);
            int rowStart = i * _stride;
            for (int j = i; j < m; j++)
            {
                double dj = _dHi[j];
                double p = di * dj;
                double e = Math.FusedMultiplyAdd(di, dj, -p) + (di * _dLo[j] + li * dj);
                AddTo(ref _crossHi[rowStart + j], ref _crossLo[rowStart + j], p, e);
            }
        }
    }

    private static void AddTo(ref double hi, ref double lo, double value, double error)
    {
        double s = hi + value;
        double bb = s - hi;
        lo += ((hi - (s - bb)) + (value - bb)) + error;
        hi = s;
    }

    /// <param name="exact">Every shifted value is exact (all low parts 0, the usual case): the terms
    /// of the low parts are then zero and are left out, which changes no sum's value.</param>
    private void AddVector(bool exact)
    {
        int m = _m;
        int stride = _stride;
        int width = Vector256<double>.Count;
        ref double dHi = ref MemoryMarshal.GetArrayDataReference(_dHi);
        ref double dLo = ref MemoryMarshal.GetArrayDataReference(_dLo);
        ref double sumHi = ref MemoryMarshal.GetArrayDataReference(_sumHi);
        ref double sumLo = ref MemoryMarshal.GetArrayDataReference(_sumLo);
        ref double crossHi = ref MemoryMarshal.GetArrayDataReference(_crossHi);
        ref double crossLo = ref MemoryMarshal.GetArrayDataReference(_crossLo);
        for (nuint j = 0; j < (nuint)stride; j += (nuint)width)
        {
            var hi = Vector256.LoadUnsafe(ref sumHi, j);
            var lo = Vector256.LoadUnsafe(ref sumLo, j);
            AddTo(ref hi, ref lo, Vector256.LoadUnsafe(ref dHi, j), Vector256.LoadUnsafe(ref dLo, j));
            hi.StoreUnsafe(ref sumHi, j);
            lo.StoreUnsafe(ref sumLo, j);
        }

        if (exact)
        {
            for (int i = 0; i < m; i++)
            {
                var di = Vector256.Create(Unsafe.Add(ref dHi, i));
                nuint rowStart = (nuint)(i * stride);
                for (nuint j = (nuint)(i / width * width); j < (nuint)stride; j += (nuint)width)
                {
                    var dj = Vector256.LoadUnsafe(ref dHi, j);
                    var p = di * dj;
                    var e = Vector256.FusedMultiplyAdd(di, dj, -p);
                    nuint at = rowStart + j;
                    var hi = Vector256.LoadUnsafe(ref crossHi, at);
                    var lo = Vector256.LoadUnsafe(ref crossLo, at);
                    AddTo(ref hi, ref lo, p, e);
                    hi.StoreUnsafe(ref crossHi, at);
                    lo.StoreUnsafe(ref crossLo, at);
                }
            }

            return;
        }

        for (int i = 0; i < m; i++)
        {
            var di = Vector256.Create(Unsafe.Add(ref dHi, i));
            var li = Vector256.Create(Unsafe.Add(ref dLo, i));
            nuint rowStart = (nuint)(i * stride);
            for (nuint j = (nuint)(i / width * width); j < (nuint)stride; j += (nuint)width)
            {
                var dj = Vector256.LoadUnsafe(ref dHi, j);
                var lj = Vector256.LoadUnsafe(ref dLo, j);
                var p = di * dj;
                var e = Vector256.FusedMultiplyAdd(di, dj, -p) + (di * lj + li * dj);
                nuint at = rowStart + j;
                var hi = Vector256.LoadUnsafe(ref crossHi, at);
                var lo = Vector256.LoadUnsafe(ref crossLo, at);
                AddTo(ref hi, ref lo, p, e);
                hi.StoreUnsafe(ref crossHi, at);
                lo.StoreUnsafe(ref crossLo, at);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(ref Vector256<double> hi, ref Vector256<double> lo, Vector256<double> value, Vector256<double> error)
    {
        var s = hi + value;
        var bb = s - hi;
        lo += ((hi - (s - bb)) + (value - bb)) + error;
        hi = s;
    }

    public override Moments ToMoments()
    {
        int m = _m;
        var mean = new DoubleDouble[m];
        var co = new DoubleDouble[m, m];
        if (Count == 0)
        {
            return new Moments(Terms, 0, 0, mean, co);
        }

        var sums = new DoubleDouble[m];
        for (int j = 0; j < m; j++)
        {
            sums[j] = DoubleDouble.TwoSum(_sumHi[j], _sumLo[j]);
            mean[j] = sums[j] / Count + _shift[j];
        }

        for (int i = 0; i < m; i++)
        {
            for (int j = i; j < m; j++)
            {
                var cross = DoubleDouble.TwoSum(_crossHi[i * _stride + j], _crossLo[i * _stride + j]);
                var c = cross - sums[i] * sums[j] / Count;
                co[i, j] = c;
                co[j, i] = c;
            }
        }

        CheckFinite(mean);
        CheckFinite(co.Cast<DoubleDouble>().ToArray());
        return new Moments(Terms, 0, Count, mean, co);
    }

    /// <summary>The raw double-double sums (Σd, upper triangle of Σddᵀ), for tests of the kernels.</summary>
    internal (double[] SumHi, double[] SumLo, double[] CrossHi, double[] CrossLo) RawSums()
    {
        int m = _m;
        var cross = (new double[m * m], new double[m * m]);
        for (int i = 0; i < m; i++)
        {
            for (int j = i; j < m; j++)
            {
                cross.Item1[i * m + j] = _crossHi[i * _stride + j];
                cross.Item2[i * m + j] = _crossLo[i * _stride + j];
            }
        }

        return (_sumHi[..m], _sumLo[..m], cross.Item1, cross.Item2);
    }
}

/// <summary>
/// Accumulator of a polynomial in one predictor: power sums Σ tᵏ (k ≤ 2N), Σ tᵏ·y (k ≤ N) and
/// Σ y², with t = x − c around the first x, all in double-double. The moments of the features
/// t, t², …, tᴺ follow from these Hankel sums without forming any product of rounded powers.
/// </summary>
internal sealed class PolynomialAccumulator : MomentAccumulator
{
    private readonly int _degree;
    private readonly DoubleDouble[] _powerSums;
    private readonly DoubleDouble[] _responseSums;
    private DoubleDouble _responseSquares;
    private double _centre;
    private double _responseShift;

    public PolynomialAccumulator(ModelTerms terms)
    {
        Terms = terms;
        _degree = terms.Degree;
        _powerSums = new DoubleDouble[2 * _degree + 1];
        _responseSums = new DoubleDouble[_degree + 1];
    }

    public override ModelTerms Terms { get; }

    public override void Add(ReadOnlySpan<double> row)
    {
        CheckRow(row);
        if (Count == 0)
        {
            _centre = row[0];
            _responseShift = row[1];
        }

        var t = DoubleDouble.TwoDiff(row[0], _centre);
        var y = DoubleDouble.TwoDiff(row[1], _responseShift);
        var power = DoubleDouble.One;
        for (int k = 0; k < _powerSums.Length; k++)
        {
            _powerSums[k] += power;
            if (k < _responseSums.Length)
            {
                _responseSums[k] += power * y;
            }

            power *= t;
        }

        _responseSquares += y * y;
        Count++;
    }

    public override Moments ToMoments()
    {
        int q = _degree;
        var mean = new DoubleDouble[q + 1];
        var co = new DoubleDouble[q + 1, q + 1];
        if (Count == 0)
        {
            return new Moments(Terms, 0, 0, mean, co);
        }

        DoubleDouble n = Count;
        for (int j = 1; j <= q; j++)
        {
            mean[j - 1] = _powerSums[j] / n;
            for (int k = j; k <= q; k++)
            {
                var c = _powerSums[j + k] - _powerSums[j] * _powerSums[k] / n;
                co[j - 1, k - 1] = c;
                co[k - 1, j - 1] = c;
            }

            var cy = _responseSums[j] - _powerSums[j] * _responseSums[0] / n;
            co[j - 1, q] = cy;
            co[q, j - 1] = cy;
        }

        mean[q] = _responseSums[0] / n + _responseShift;
        co[q, q] = _responseSquares - _responseSums[0] * _responseSums[0] / n;
        CheckFinite(mean);
        CheckFinite(co.Cast<DoubleDouble>().ToArray());
        return new Moments(Terms, _centre, Count, mean, co);
    }
}
