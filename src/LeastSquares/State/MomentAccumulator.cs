using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LeastSquares.Numerics;
using LeastSquares.Terms;

namespace LeastSquares.State;

/// <summary>
/// Folds data rows, one at a time or in blocks, into the <see cref="Moments"/> of a model. Memory
/// is O(p²) whatever the number of rows. Each row is <c>[x₁, …, x_k, y]</c> in the order of
/// <see cref="ModelTerms.Predictors"/>, the response last.
/// </summary>
/// <remarks>
/// Every column is shifted before anything is multiplied (by its value in the first row, or, in
/// the linear accumulator, by 0 where the first rows show no offset worth removing), the
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
        if (rows < 0 || block.Length < rows * w)
        {
            throw new ArgumentException($"The block holds fewer than {rows} rows of {w} values.", nameof(block));
        }

        AddBlock(block[..(rows * w)], rows);
    }

    /// <summary>Adds the <paramref name="rows"/> rows that make up <paramref name="block"/>: one by one, unless a kernel does better.</summary>
    protected virtual void AddBlock(ReadOnlySpan<double> block, int rows)
    {
        int w = Terms.RowWidth;
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

    /// <summary>
    /// Throws when a column's values are too large or too small for sums of their squares in
    /// double-double: squares beyond the double range (1.8e308) overflow, and squares below about
    /// 1e-292 lose their low parts, then all their digits, to underflow. Either way the column
    /// must be rescaled; without this check a column of tiny values would pass for a constant one.
    /// </summary>
    /// <param name="column">The column's name.</param>
    /// <param name="sumOfSquares">Σ d² of its shifted values d.</param>
    /// <param name="sumOfMagnitudes">Σ |d|, or any value that is 0 only when every d is.</param>
    protected static void CheckScale(string column, double sumOfSquares, double sumOfMagnitudes)
    {
        if (!double.IsFinite(sumOfSquares))
        {
            throw new OverflowException(
                $"the squares of column '{column}' overflow: its values are too large to square and sum (beyond about 1e150). Rescale it, e.g. divide it by 1e150.");
        }

        if (sumOfSquares < TinySquares && sumOfMagnitudes != 0)
        {
            throw new OverflowException(
                $"column '{column}' varies by amounts too small to square (below about 1e-154; their squares underflow and lose their digits). Rescale it, e.g. multiply it by 1e150.");
        }
    }

    /// <summary>
    /// The least normal double (about 2.2e-308): a sum of squares below it has lost digits to
    /// underflow. (The low parts of the squares go subnormal sooner, near 1e-292, but then only
    /// the digits beyond the 16th suffer: values down to about 1e-154 still fit exactly.)
    /// </summary>
    private const double TinySquares = 2.2250738585072014E-308;

    /// <summary>The name of value <paramref name="j"/> of a row: a predictor, or the response last.</summary>
    protected string ColumnName(int j) => j < Terms.Predictors.Count ? Terms.Predictors[j] : Terms.Target;

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
    private readonly PackedKernel? _packed; // the AVX-512 kernel and its sums, when in use
    private double[]? _sample; // the first rows, held until they set the shift; null after
    private int _sampleRows;

    /// <summary>Rows that choose the shift (<see cref="SettleShift"/>) before any is added to the sums.</summary>
    internal const int SampleRows = 64;

    public LinearAccumulator(ModelTerms terms)
        : this(terms, DefaultWidth(terms.RowWidth))
    {
    }

    /// <summary>The packed AVX-512 kernel where the CPU has it and the row fits, else 4-wide vectors where there are any, else scalar.</summary>
    private static int DefaultWidth(int rowWidth) =>
        PackedKernel.Fits(rowWidth) && Avx512F.IsSupported ? Vector512<double>.Count
        : Vector256.IsHardwareAccelerated ? Vector256<double>.Count
        : 1;

    /// <summary>
    /// Creates the accumulator with the scalar kernel (<paramref name="width"/> 1), the 4-wide
    /// vector kernel (4) or the packed AVX-512 kernel (8, for rows of at most 15 values).
    /// </summary>
    internal LinearAccumulator(ModelTerms terms, int width)
    {
        if (width != 1 && width != Vector256<double>.Count && width != Vector512<double>.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "The kernel works on vectors of 1, 4 or 8 doubles.");
        }

        if (width == Vector512<double>.Count && (!Avx512F.IsSupported || !PackedKernel.Fits(terms.RowWidth)))
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "The packed kernel needs AVX-512 and rows of at most 15 values.");
        }

        Terms = terms;
        _m = terms.RowWidth;
        _width = width;
        if (width == Vector512<double>.Count)
        {
            _packed = new PackedKernel(_m);
            width = 1; // the row-major arrays below are then only the shifted row
        }
        _stride = (_m + width - 1) / width * width;
        _shift = new double[_m];
        _sumHi = new double[_stride];
        _sumLo = new double[_stride];
        _crossHi = new double[_m * _stride];
        _crossLo = new double[_m * _stride];
        _dHi = new double[_stride];
        _dLo = new double[_stride];
        _sample = new double[SampleRows * _m];
    }

    public override ModelTerms Terms { get; }

    public override void Add(ReadOnlySpan<double> row)
    {
        CheckRow(row);
        if (_sample is not null)
        {
            row.CopyTo(_sample.AsSpan(_sampleRows * _m));
            _sampleRows++;
            Count++;
            if (_sampleRows == SampleRows)
            {
                SettleShift();
            }

            return;
        }

        AddShifted(row);
        Count++;
    }

    /// <summary>
    /// Picks each column's shift from the rows held in <see cref="_sample"/>, then adds those
    /// rows. The shift is the column's first value when subtracting it is exact for every sampled
    /// value, else 0. An inexact subtraction means some value lies outside [b/2, 2b] around the
    /// first value b (Sterbenz), so the column's spread is at least |b|/2: shifting by b would remove
    /// no offset worth the cost, while a shift of 0 keeps every later subtraction exact and lets
    /// the kernels take their short path. A column with a large common offset (timestamps, prices)
    /// has every value within a factor 2 of the first and keeps its shift.
    /// </summary>
    private void SettleShift()
    {
        var sample = _sample!;
        int n = _sampleRows;
        int m = _m;
        for (int j = 0; j < m; j++)
        {
            double b = sample[j];
            bool exact = true;
            for (int q = 1; q < n && exact; q++)
            {
                exact = DoubleDouble.TwoDiff(sample[(q * m) + j], b).Lo == 0;
            }

            _shift[j] = exact ? b : 0;
        }

        _sample = null;
        _sampleRows = 0;
        for (int r = 0; r < n; r += PackedKernel.BlockRows)
        {
            int rows = Math.Min(n - r, PackedKernel.BlockRows);
            AddShiftedBlock(sample.AsSpan(r * m, rows * m), rows); // checked already, as they came in
        }
    }

    /// <summary>Adds rows whose values are known to be finite, after the shift is set.</summary>
    private void AddShiftedBlock(ReadOnlySpan<double> block, int rows)
    {
        int m = _m;
        if (_packed is not null && _packed.TryStage(block, rows, _shift, out bool exact))
        {
            _packed.AddStaged(rows, exact);
            return;
        }

        for (int q = 0; q < rows; q++)
        {
            AddShifted(block.Slice(q * m, m));
        }
    }

    /// <summary>Shifts one row and adds its products with the kernel in use.</summary>
    private void AddShifted(ReadOnlySpan<double> row)
    {
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

        if (_packed is not null)
        {
            _packed.Add(_dHi, _dLo, exact);
        }
        else if (_width > 1)
        {
            AddVector(exact);
        }
        else
        {
            AddScalar();
        }
    }

    /// <summary>
    /// With the packed kernel, blocks of rows whose shifts are all exact go through
    /// <see cref="PackedKernel.AddStaged"/>; any other block, row by row. Either way each sum sees
    /// the rows in order through the same operations.
    /// </summary>
    protected override void AddBlock(ReadOnlySpan<double> block, int rows)
    {
        if (_packed is null)
        {
            base.AddBlock(block, rows);
            return;
        }

        int m = _m;
        int r = 0;
        for (; r < rows && _sample is not null; r++)
        {
            Add(block.Slice(r * m, m)); // the first rows set the shift
        }

        while (r < rows)
        {
            int n = Math.Min(rows - r, PackedKernel.BlockRows);
            var chunk = block.Slice(r * m, n * m);
            if (_packed.TryStage(chunk, n, _shift, out bool exact))
            {
                _packed.AddStaged(n, exact);
                Count += n;
            }
            else
            {
                for (int q = 0; q < n; q++)
                {
                    Add(chunk.Slice(q * m, m)); // checks each row, so a value that is not finite is reported with its row
                }
            }

            r += n;
        }
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
        if (_sampleRows > 0)
        {
            SettleShift(); // fewer rows than the sample: they set the shift
        }

        int m = _m;
        var mean = new DoubleDouble[m];
        var co = new DoubleDouble[m, m];
        if (Count == 0)
        {
            return new Moments(Terms, 0, 0, mean, co);
        }

        for (int j = 0; j < m; j++)
        {
            CheckScale(ColumnName(j), Cross(j, j).Hi, Sum(j).Hi + Cross(j, j).Hi);
        }

        var sums = new DoubleDouble[m];
        for (int j = 0; j < m; j++)
        {
            var (hi, lo) = Sum(j);
            sums[j] = DoubleDouble.TwoSum(hi, lo);
            mean[j] = sums[j] / Count + _shift[j];
        }

        for (int i = 0; i < m; i++)
        {
            for (int j = i; j < m; j++)
            {
                var (hi, lo) = Cross(i, j);
                var cross = DoubleDouble.TwoSum(hi, lo);
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
        if (_sampleRows > 0)
        {
            SettleShift();
        }

        int m = _m;
        var cross = (new double[m * m], new double[m * m]);
        for (int i = 0; i < m; i++)
        {
            for (int j = i; j < m; j++)
            {
                (cross.Item1[i * m + j], cross.Item2[i * m + j]) = Cross(i, j);
            }
        }

        var sums = (new double[m], new double[m]);
        for (int j = 0; j < m; j++)
        {
            (sums.Item1[j], sums.Item2[j]) = Sum(j);
        }

        return (sums.Item1, sums.Item2, cross.Item1, cross.Item2);
    }

    /// <summary>The shift of each column, for tests; zeros until <see cref="SampleRows"/> rows (or the moments) have set it.</summary>
    internal ReadOnlySpan<double> Shift => _shift;

    /// <summary>The double-double sum Σ dⱼ as (hi, lo).</summary>
    private (double Hi, double Lo) Sum(int j) => _packed?.Entry(j, _m) ?? (_sumHi[j], _sumLo[j]);

    /// <summary>The double-double sum Σ dᵢdⱼ (i ≤ j) as (hi, lo).</summary>
    private (double Hi, double Lo) Cross(int i, int j) => _packed?.Entry(i, j) ?? (_crossHi[(i * _stride) + j], _crossLo[(i * _stride) + j]);
}

/// <summary>
/// The AVX-512 kernel of <see cref="LinearAccumulator"/>: the upper triangle of the products of
/// [d, 1] (the shifted row and a constant 1, whose products with d are the plain sums) packed
/// densely into 8-wide vectors, each vector's pairs of factors picked from the row by a
/// two-register permutation. For 11 columns that is 10 vectors a row instead of the 4-wide
/// kernel's 26. Each entry goes through the same operations as in the other kernels (d·1 is d
/// exactly, with a zero error term), so all three give the same sums.
/// </summary>
internal sealed class PackedKernel
{
    private const int Lanes = 8;
    private readonly int _columns; // m + 1: the row and the constant
    private readonly int[,] _index; // (i, j) → packed position
    private readonly Vector512<long>[] _left;
    private readonly Vector512<long>[] _right;
    private readonly double[] _hi;
    private readonly double[] _lo;

    /// <summary>Whether rows of <paramref name="rowWidth"/> values fit the two 8-lane registers with the constant.</summary>
    public static bool Fits(int rowWidth) => rowWidth + 1 <= 2 * Lanes;

    public PackedKernel(int rowWidth)
    {
        _columns = rowWidth + 1;
        int entries = _columns * (_columns + 1) / 2;
        int vectors = (entries + Lanes - 1) / Lanes;
        _index = new int[_columns, _columns];
        var left = new long[vectors * Lanes];
        var right = new long[vectors * Lanes]; // padding lanes pair lane 0 with itself; never read
        int k = 0;
        for (int i = 0; i < _columns; i++)
        {
            for (int j = i; j < _columns; j++)
            {
                _index[i, j] = k;
                left[k] = i;
                right[k] = j;
                k++;
            }
        }

        _left = new Vector512<long>[vectors];
        _right = new Vector512<long>[vectors];
        for (int v = 0; v < vectors; v++)
        {
            _left[v] = Vector512.Create<long>(left.AsSpan(v * Lanes, Lanes));
            _right[v] = Vector512.Create<long>(right.AsSpan(v * Lanes, Lanes));
        }

        _hi = new double[vectors * Lanes];
        _lo = new double[vectors * Lanes];
        _staged[rowWidth] = 1;
    }

    /// <summary>Rows per staged block: 128 rows of 16 doubles fill 16 kB, well inside the first-level cache.</summary>
    public const int BlockRows = 128;

    private readonly double[] _staged = new double[BlockRows * 2 * Lanes]; // BlockRows rows of [d, 1, 0…], 16 lanes each
    private readonly double[] _stagedLo = new double[BlockRows * 2 * Lanes]; // their low parts, [l, 0, 0…]

    /// <summary>
    /// Shifts <paramref name="rows"/> rows of <paramref name="block"/> into the staging buffers;
    /// false when a value is not finite. <paramref name="exact"/>: every low part is 0.
    /// </summary>
    public bool TryStage(ReadOnlySpan<double> block, int rows, double[] shift, out bool exact)
    {
        int m = _columns - 1;
        Span<double> lanes = stackalloc double[2 * Lanes];
        lanes.Clear();
        shift.AsSpan(0, m).CopyTo(lanes);
        var b0 = Vector512.Create<double>(lanes[..Lanes]);
        var b1 = Vector512.Create<double>(lanes[Lanes..]);
        lanes.Clear();
        lanes[m] = 1;
        var c0 = Vector512.Create<double>(lanes[..Lanes]);
        var c1 = Vector512.Create<double>(lanes[Lanes..]);
        var isConstant0 = Vector512.Equals(c0, Vector512<double>.One);
        var isConstant1 = Vector512.Equals(c1, Vector512<double>.One);
        ref double staged = ref MemoryMarshal.GetArrayDataReference(_staged);
        ref double stagedLo = ref MemoryMarshal.GetArrayDataReference(_stagedLo);
        var finite = Vector512<double>.Zero; // a − a: 0 for finite a, NaN otherwise
        var low = Vector512<double>.Zero; // any non-zero low part shows here as non-zero (|l| summed)
        var inRow0 = Vector512.LessThan(Vector512.Create(0.0, 1, 2, 3, 4, 5, 6, 7), Vector512.Create((double)m)).AsDouble();
        var inRow1 = Vector512.LessThan(Vector512.Create(8.0, 9, 10, 11, 12, 13, 14, 15), Vector512.Create((double)m)).AsDouble();
        ref double first = ref MemoryMarshal.GetReference(block);
        lanes.Clear();
        for (int q = 0; q < rows; q++)
        {
            // Sixteen values from the row's start, those past its end (the next row's) set to 0;
            // the last rows of the block, which have fewer than sixteen values after them, by copy.
            Vector512<double> a0, a1;
            if ((q * m) + (2 * Lanes) <= block.Length)
            {
                a0 = Vector512.ConditionalSelect(inRow0, Vector512.LoadUnsafe(ref first, (nuint)(q * m)), Vector512<double>.Zero);
                a1 = Vector512.ConditionalSelect(inRow1, Vector512.LoadUnsafe(ref first, (nuint)((q * m) + Lanes)), Vector512<double>.Zero);
            }
            else
            {
                block.Slice(q * m, m).CopyTo(lanes); // lanes past m stay 0
                a0 = Vector512.Create<double>(lanes[..Lanes]);
                a1 = Vector512.Create<double>(lanes[Lanes..]);
            }

            var s0 = TwoDiff(a0, b0, out var l0);
            var s1 = TwoDiff(a1, b1, out var l1);
            finite += (a0 - a0) + (a1 - a1);
            low += Vector512.Abs(l0) + Vector512.Abs(l1);
            nuint at = (nuint)(q * 2 * Lanes);
            Vector512.ConditionalSelect(isConstant0, c0, s0).StoreUnsafe(ref staged, at);
            Vector512.ConditionalSelect(isConstant1, c1, s1).StoreUnsafe(ref staged, at + Lanes);
            l0.StoreUnsafe(ref stagedLo, at);
            l1.StoreUnsafe(ref stagedLo, at + Lanes);
        }

        exact = Vector512.EqualsAll(low, Vector512<double>.Zero);
        return Vector512.EqualsAll(finite, Vector512<double>.Zero);
    }

    /// <summary>a − b as s + l exactly (TwoDiff), lane by lane the operations of the scalar kernel.</summary>
    private static Vector512<double> TwoDiff(Vector512<double> a, Vector512<double> b, out Vector512<double> l)
    {
        var s = a - b;
        var bb = s - a;
        l = (a - (s - bb)) - (b + bb);
        return s;
    }

    /// <summary>
    /// Adds the staged rows. Each pair of sum vectors stays in registers for the whole block and
    /// takes the rows in order, so the loads and stores of the sums and their latency through
    /// memory are paid once a block instead of once a row. With <paramref name="exact"/> the
    /// low-part terms, all zero, are left out, as the row kernels do.
    /// </summary>
    public void AddStaged(int rows, bool exact)
    {
        ref double staged = ref MemoryMarshal.GetArrayDataReference(_staged);
        ref double stagedLo = ref MemoryMarshal.GetArrayDataReference(_stagedLo);
        ref double hiRef = ref MemoryMarshal.GetArrayDataReference(_hi);
        ref double loRef = ref MemoryMarshal.GetArrayDataReference(_lo);
        int vectors = _left.Length;
        for (int v = 0; v < vectors; v += 2)
        {
            int w = Math.Min(v + 1, vectors - 1); // an odd last vector is paired with itself and stored once
            var l0 = _left[v];
            var r0 = _right[v];
            var l1 = _left[w];
            var r1 = _right[w];
            var hi0 = Vector512.LoadUnsafe(ref hiRef, (nuint)(v * Lanes));
            var lo0 = Vector512.LoadUnsafe(ref loRef, (nuint)(v * Lanes));
            var hi1 = Vector512.LoadUnsafe(ref hiRef, (nuint)(w * Lanes));
            var lo1 = Vector512.LoadUnsafe(ref loRef, (nuint)(w * Lanes));
            if (exact)
            {
                for (int q = 0; q < rows; q++)
                {
                    nuint at = (nuint)(q * 2 * Lanes);
                    var a0 = Vector512.LoadUnsafe(ref staged, at);
                    var a1 = Vector512.LoadUnsafe(ref staged, at + Lanes);
                    AddProduct(ref hi0, ref lo0, Avx512F.PermuteVar8x64x2(a0, l0, a1), Avx512F.PermuteVar8x64x2(a0, r0, a1));
                    AddProduct(ref hi1, ref lo1, Avx512F.PermuteVar8x64x2(a0, l1, a1), Avx512F.PermuteVar8x64x2(a0, r1, a1));
                }
            }
            else
            {
                for (int q = 0; q < rows; q++)
                {
                    nuint at = (nuint)(q * 2 * Lanes);
                    var a0 = Vector512.LoadUnsafe(ref staged, at);
                    var a1 = Vector512.LoadUnsafe(ref staged, at + Lanes);
                    var e0 = Vector512.LoadUnsafe(ref stagedLo, at);
                    var e1 = Vector512.LoadUnsafe(ref stagedLo, at + Lanes);
                    AddProduct(ref hi0, ref lo0, Avx512F.PermuteVar8x64x2(a0, l0, a1), Avx512F.PermuteVar8x64x2(a0, r0, a1),
                        Avx512F.PermuteVar8x64x2(e0, l0, e1), Avx512F.PermuteVar8x64x2(e0, r0, e1));
                    AddProduct(ref hi1, ref lo1, Avx512F.PermuteVar8x64x2(a0, l1, a1), Avx512F.PermuteVar8x64x2(a0, r1, a1),
                        Avx512F.PermuteVar8x64x2(e0, l1, e1), Avx512F.PermuteVar8x64x2(e0, r1, e1));
                }
            }

            hi0.StoreUnsafe(ref hiRef, (nuint)(v * Lanes));
            lo0.StoreUnsafe(ref loRef, (nuint)(v * Lanes));
            if (w != v)
            {
                hi1.StoreUnsafe(ref hiRef, (nuint)(w * Lanes));
                lo1.StoreUnsafe(ref loRef, (nuint)(w * Lanes));
            }
        }
    }

    /// <summary>The product (di + li)(dj + lj) to double-double accuracy added to the sum, as the row kernel's inexact path does it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddProduct(ref Vector512<double> hi, ref Vector512<double> lo, Vector512<double> di, Vector512<double> dj,
        Vector512<double> li, Vector512<double> lj)
    {
        var p = di * dj;
        var e = Vector512.FusedMultiplyAdd(di, dj, -p) + (di * lj + li * dj);
        AddTo(ref hi, ref lo, p, e);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddProduct(ref Vector512<double> hi, ref Vector512<double> lo, Vector512<double> di, Vector512<double> dj)
    {
        var p = di * dj;
        var e = Vector512.FusedMultiplyAdd(di, dj, -p);
        AddTo(ref hi, ref lo, p, e);
    }

    /// <summary>The (hi, lo) sum of entry (i, j), i ≤ j; column m is the constant.</summary>
    public (double Hi, double Lo) Entry(int i, int j) => (_hi[_index[i, j]], _lo[_index[i, j]]);

    /// <summary>Adds the products of one shifted row (<paramref name="dHi"/> + <paramref name="dLo"/>).</summary>
    public void Add(double[] dHi, double[] dLo, bool exact)
    {
        // As a block of one row: staged row 0 keeps its constant lane and zeros past it.
        int m = _columns - 1;
        Array.Copy(dHi, _staged, m);
        Array.Copy(dLo, _stagedLo, m);
        AddStaged(1, exact);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(ref Vector512<double> hi, ref Vector512<double> lo, Vector512<double> value, Vector512<double> error)
    {
        var s = hi + value;
        var bb = s - hi;
        lo += ((hi - (s - bb)) + (value - bb)) + error;
        hi = s;
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
