using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LeastSquares.Numerics;
using LeastSquares.Terms;

namespace LeastSquares.State;

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
    private readonly BlockedKernel? _blocked; // the blocked kernel of wide rows and its sums, when in use
    private double[]? _sample; // the first rows, held until they set the shift; null after
    private int _sampleRows;

    /// <summary>Rows that choose the shift (<see cref="SettleShift"/>) before any is added to the sums.</summary>
    internal const int SampleRows = 64;

    public LinearAccumulator(ModelTerms terms)
        : this(terms, KernelChoice.Best(terms.RowWidth))
    {
    }

    /// <summary>
    /// Creates the accumulator with the scalar kernel (<paramref name="width"/> 1), the 4-wide
    /// vector kernel (4), the packed AVX-512 kernel (8, for rows of at most 15 values) or a
    /// blocked kernel (<see cref="KernelChoice.Blocked256"/>, <see cref="KernelChoice.Blocked512"/>).
    /// </summary>
    internal LinearAccumulator(ModelTerms terms, int width)
    {
        KernelChoice.Check(width, terms.RowWidth);
        Terms = terms;
        _m = terms.RowWidth;
        _width = width;
        bool ownSums = true; // whether the row-major sums below are in use
        if (width == Vector512<double>.Count)
        {
            _packed = new PackedKernel(_m);
            width = 1; // the row-major arrays below are then only the shifted row
            ownSums = false;
        }
        else if (width < 0)
        {
            _blocked = new BlockedKernel(_m, -width);
            width = 1;
            ownSums = false;
        }

        _stride = (_m + width - 1) / width * width;
        _shift = new double[_m];
        _sumHi = new double[ownSums ? _stride : 0];
        _sumLo = new double[ownSums ? _stride : 0];
        _crossHi = new double[ownSums ? _m * _stride : 0];
        _crossLo = new double[ownSums ? _m * _stride : 0];
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
            double s = ErrorFree.TwoDiff(row[j], _shift[j], out double lo);
            _dHi[j] = s;
            _dLo[j] = lo;
            exact &= lo == 0;
        }

        if (_packed is not null)
        {
            _packed.Add(_dHi, _dLo, exact);
        }
        else if (_blocked is not null)
        {
            _blocked.Add(_dHi, _dLo, exact);
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
            ErrorFree.AddTo(ref _sumHi[i], ref _sumLo[i], di, li);
            int rowStart = i * _stride;
            for (int j = i; j < m; j++)
            {
                ErrorFree.AddProduct(ref _crossHi[rowStart + j], ref _crossLo[rowStart + j], di, _dHi[j], li, _dLo[j]);
            }
        }
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
            ErrorFree.AddTo(ref hi, ref lo, Vector256.LoadUnsafe(ref dHi, j), Vector256.LoadUnsafe(ref dLo, j));
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
                    nuint at = rowStart + j;
                    var hi = Vector256.LoadUnsafe(ref crossHi, at);
                    var lo = Vector256.LoadUnsafe(ref crossLo, at);
                    ErrorFree.AddProduct(ref hi, ref lo, di, Vector256.LoadUnsafe(ref dHi, j));
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
                nuint at = rowStart + j;
                var hi = Vector256.LoadUnsafe(ref crossHi, at);
                var lo = Vector256.LoadUnsafe(ref crossLo, at);
                ErrorFree.AddProduct(ref hi, ref lo, di, Vector256.LoadUnsafe(ref dHi, j), li, Vector256.LoadUnsafe(ref dLo, j));
                hi.StoreUnsafe(ref crossHi, at);
                lo.StoreUnsafe(ref crossLo, at);
            }
        }
    }

    public override Moments ToMoments()
    {
        if (_sampleRows > 0)
        {
            SettleShift(); // fewer rows than the sample: they set the shift
        }

        _blocked?.Flush();

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
        CheckFinite(co); // element by element: a cast to a sequence would box p² values
        return Moments.Adopt(Terms, 0, Count, mean, co);
    }

    /// <summary>The raw double-double sums (Σd, upper triangle of Σddᵀ), for tests of the kernels.</summary>
    internal (double[] SumHi, double[] SumLo, double[] CrossHi, double[] CrossLo) RawSums()
    {
        if (_sampleRows > 0)
        {
            SettleShift();
        }

        _blocked?.Flush();
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
    private (double Hi, double Lo) Sum(int j) => _packed?.Entry(j, _m) ?? _blocked?.Sum(j) ?? (_sumHi[j], _sumLo[j]);

    /// <summary>The double-double sum Σ dᵢdⱼ (i ≤ j) as (hi, lo).</summary>
    private (double Hi, double Lo) Cross(int i, int j) => _packed?.Entry(i, j) ?? _blocked?.Cross(i, j) ?? (_crossHi[(i * _stride) + j], _crossLo[(i * _stride) + j]);
}
