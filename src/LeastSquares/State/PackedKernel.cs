using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LeastSquares.Numerics;

namespace LeastSquares.State;

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

            var s0 = ErrorFree.TwoDiff(a0, b0, out var l0);
            var s1 = ErrorFree.TwoDiff(a1, b1, out var l1);
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
                    ErrorFree.AddProduct(ref hi0, ref lo0, Avx512F.PermuteVar8x64x2(a0, l0, a1), Avx512F.PermuteVar8x64x2(a0, r0, a1));
                    ErrorFree.AddProduct(ref hi1, ref lo1, Avx512F.PermuteVar8x64x2(a0, l1, a1), Avx512F.PermuteVar8x64x2(a0, r1, a1));
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
                    ErrorFree.AddProduct(ref hi0, ref lo0, Avx512F.PermuteVar8x64x2(a0, l0, a1), Avx512F.PermuteVar8x64x2(a0, r0, a1),
                        Avx512F.PermuteVar8x64x2(e0, l0, e1), Avx512F.PermuteVar8x64x2(e0, r0, e1));
                    ErrorFree.AddProduct(ref hi1, ref lo1, Avx512F.PermuteVar8x64x2(a0, l1, a1), Avx512F.PermuteVar8x64x2(a0, r1, a1),
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

}
