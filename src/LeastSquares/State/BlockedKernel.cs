using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LeastSquares.Numerics;

namespace LeastSquares.State;

/// <summary>
/// The blocked kernel of <see cref="LinearAccumulator"/> for wide rows: shifted rows are buffered
/// in a block (sized in bytes, to stay in the second-level cache), then the block's products with
/// itself are added tile by tile. A tile of the sums (4 rows × 16 columns with 8-wide vectors,
/// 2 × 8 with 4-wide ones) is loaded into registers once, takes every row of the block in order,
/// and is stored once, so the sums travel through memory once a block instead of once a row.
/// </summary>
/// <remarks>
/// Each sum still sees the rows in their order through exactly the steps of the scalar kernel
/// (FMA exact product, compensated sum; the low-part terms where the block has any), so the
/// blocked and the scalar kernels give the same double-double sums, bit for bit: only the order in
/// which different sums are updated changes. Tiles below the diagonal are skipped; the few
/// entries below it inside a diagonal tile are computed and never read.
/// </remarks>
internal sealed class BlockedKernel
{
    /// <summary>Bytes of shifted values a block holds (and as many again for their low parts).</summary>
    public const int BlockBytes = 256 << 10;

    /// <summary>Columns of the sums and the block are padded to a multiple of this (two 8-wide vectors).</summary>
    private const int ColumnAlign = 16;

    /// <summary>Rows of the sums are padded to a multiple of this (the 8-wide tile's height).</summary>
    private const int RowAlign = 4;

    private readonly int _m;
    private readonly int _width; // 8 or 4: the vector width of the tiles
    private readonly double[] _sumHi;
    private readonly double[] _sumLo;
    private readonly double[] _crossHi; // rows × stride, entry (i, j) at i·stride + j
    private readonly double[] _crossLo;
    private readonly double[] _blockHi; // BlockRows × stride, zero past m
    private readonly double[] _blockLo;
    private int _buffered;
    private bool _exact = true;

    /// <param name="m">Values in a row.</param>
    /// <param name="width">8 (AVX-512 tiles) or 4 (AVX2 or any 256-bit vectors).</param>
    public BlockedKernel(int m, int width)
    {
        _m = m;
        _width = width;
        Stride = (m + ColumnAlign - 1) / ColumnAlign * ColumnAlign;
        Rows = (m + RowAlign - 1) / RowAlign * RowAlign;
        BlockRows = RowsPerBlock(m);
        _sumHi = new double[m];
        _sumLo = new double[m];
        _crossHi = new double[Rows * Stride];
        _crossLo = new double[Rows * Stride];
        _blockHi = new double[BlockRows * Stride];
        _blockLo = new double[BlockRows * Stride];
    }

    /// <summary>Rows a block holds for rows of <paramref name="m"/> values: <see cref="BlockBytes"/> of them, at least 8.</summary>
    public static int RowsPerBlock(int m) =>
        Math.Max(8, BlockBytes / (sizeof(double) * ((m + ColumnAlign - 1) / ColumnAlign * ColumnAlign)));

    /// <summary>Bytes this kernel holds for rows of <paramref name="m"/> values: sums, block and low parts.</summary>
    public static long BytesFor(int m)
    {
        long stride = (m + ColumnAlign - 1) / ColumnAlign * ColumnAlign;
        long rows = (m + RowAlign - 1) / RowAlign * RowAlign;
        return sizeof(double) * ((2 * rows * stride) + (2 * RowsPerBlock(m) * stride) + (2L * m));
    }

    /// <summary>Padded columns of the sums and the block.</summary>
    public int Stride { get; }

    /// <summary>Padded rows of the sums.</summary>
    public int Rows { get; }

    /// <summary>Rows per block.</summary>
    public int BlockRows { get; }

    /// <summary>
    /// Buffers one row already shifted (<paramref name="dHi"/> + <paramref name="dLo"/>) and adds
    /// it to the plain sums; the products wait for the block to fill.
    /// </summary>
    public void Add(ReadOnlySpan<double> dHi, ReadOnlySpan<double> dLo, bool exact)
    {
        int at = _buffered * Stride;
        dHi[.._m].CopyTo(_blockHi.AsSpan(at, _m));
        dLo[.._m].CopyTo(_blockLo.AsSpan(at, _m));
        for (int j = 0; j < _m; j++)
        {
            ErrorFree.AddTo(ref _sumHi[j], ref _sumLo[j], dHi[j], dLo[j]);
        }

        _exact &= exact;
        if (++_buffered == BlockRows)
        {
            Flush();
        }
    }

    /// <summary>Adds the products of the buffered rows to the sums and empties the block.</summary>
    public void Flush()
    {
        if (_buffered == 0)
        {
            return;
        }

        if (_width == Vector512<double>.Count)
        {
            if (_exact)
            {
                Tiles512<ExactRows>(_buffered);
            }
            else
            {
                Tiles512<InexactRows>(_buffered);
            }
        }
        else
        {
            if (_exact)
            {
                Tiles256<ExactRows>(_buffered);
            }
            else
            {
                Tiles256<InexactRows>(_buffered);
            }
        }

        _buffered = 0;
        _exact = true;
    }

    /// <summary>The (hi, lo) sum Σ dⱼ.</summary>
    public (double Hi, double Lo) Sum(int j) => (_sumHi[j], _sumLo[j]);

    /// <summary>The (hi, lo) sum Σ dᵢdⱼ, i ≤ j, of the rows flushed so far.</summary>
    public (double Hi, double Lo) Cross(int i, int j) => (_crossHi[(i * Stride) + j], _crossLo[(i * Stride) + j]);

    private void Tiles512<TLow>(int rows)
        where TLow : struct, ILowParts
    {
        const int W = 8;
        int stride = Stride;
        ref double bHi = ref MemoryMarshal.GetArrayDataReference(_blockHi);
        ref double bLo = ref MemoryMarshal.GetArrayDataReference(_blockLo);
        ref double cHi = ref MemoryMarshal.GetArrayDataReference(_crossHi);
        ref double cLo = ref MemoryMarshal.GetArrayDataReference(_crossLo);
        for (int i0 = 0; i0 < Rows; i0 += 4)
        {
            for (int j0 = i0 / (2 * W) * (2 * W); j0 < stride; j0 += 2 * W)
            {
                nuint t0 = (nuint)((i0 * stride) + j0);
                nuint t1 = t0 + (nuint)stride;
                nuint t2 = t1 + (nuint)stride;
                nuint t3 = t2 + (nuint)stride;
                var h00 = Vector512.LoadUnsafe(ref cHi, t0);
                var h01 = Vector512.LoadUnsafe(ref cHi, t0 + W);
                var h10 = Vector512.LoadUnsafe(ref cHi, t1);
                var h11 = Vector512.LoadUnsafe(ref cHi, t1 + W);
                var h20 = Vector512.LoadUnsafe(ref cHi, t2);
                var h21 = Vector512.LoadUnsafe(ref cHi, t2 + W);
                var h30 = Vector512.LoadUnsafe(ref cHi, t3);
                var h31 = Vector512.LoadUnsafe(ref cHi, t3 + W);
                var l00 = Vector512.LoadUnsafe(ref cLo, t0);
                var l01 = Vector512.LoadUnsafe(ref cLo, t0 + W);
                var l10 = Vector512.LoadUnsafe(ref cLo, t1);
                var l11 = Vector512.LoadUnsafe(ref cLo, t1 + W);
                var l20 = Vector512.LoadUnsafe(ref cLo, t2);
                var l21 = Vector512.LoadUnsafe(ref cLo, t2 + W);
                var l30 = Vector512.LoadUnsafe(ref cLo, t3);
                var l31 = Vector512.LoadUnsafe(ref cLo, t3 + W);
                for (int q = 0; q < rows; q++)
                {
                    nuint r = (nuint)(q * stride);
                    var d0 = Vector512.LoadUnsafe(ref bHi, r + (nuint)j0);
                    var d1 = Vector512.LoadUnsafe(ref bHi, r + (nuint)j0 + W);
                    var e0 = TLow.Present ? Vector512.LoadUnsafe(ref bLo, r + (nuint)j0) : default;
                    var e1 = TLow.Present ? Vector512.LoadUnsafe(ref bLo, r + (nuint)j0 + W) : default;
                    Pair<TLow>(ref h00, ref l00, ref h01, ref l01, ref bHi, ref bLo, r + (nuint)i0, d0, d1, e0, e1);
                    Pair<TLow>(ref h10, ref l10, ref h11, ref l11, ref bHi, ref bLo, r + (nuint)i0 + 1, d0, d1, e0, e1);
                    Pair<TLow>(ref h20, ref l20, ref h21, ref l21, ref bHi, ref bLo, r + (nuint)i0 + 2, d0, d1, e0, e1);
                    Pair<TLow>(ref h30, ref l30, ref h31, ref l31, ref bHi, ref bLo, r + (nuint)i0 + 3, d0, d1, e0, e1);
                }

                h00.StoreUnsafe(ref cHi, t0);
                h01.StoreUnsafe(ref cHi, t0 + W);
                h10.StoreUnsafe(ref cHi, t1);
                h11.StoreUnsafe(ref cHi, t1 + W);
                h20.StoreUnsafe(ref cHi, t2);
                h21.StoreUnsafe(ref cHi, t2 + W);
                h30.StoreUnsafe(ref cHi, t3);
                h31.StoreUnsafe(ref cHi, t3 + W);
                l00.StoreUnsafe(ref cLo, t0);
                l01.StoreUnsafe(ref cLo, t0 + W);
                l10.StoreUnsafe(ref cLo, t1);
                l11.StoreUnsafe(ref cLo, t1 + W);
                l20.StoreUnsafe(ref cLo, t2);
                l21.StoreUnsafe(ref cLo, t2 + W);
                l30.StoreUnsafe(ref cLo, t3);
                l31.StoreUnsafe(ref cLo, t3 + W);
            }
        }
    }

    private void Tiles256<TLow>(int rows)
        where TLow : struct, ILowParts
    {
        const int W = 4;
        int stride = Stride;
        ref double bHi = ref MemoryMarshal.GetArrayDataReference(_blockHi);
        ref double bLo = ref MemoryMarshal.GetArrayDataReference(_blockLo);
        ref double cHi = ref MemoryMarshal.GetArrayDataReference(_crossHi);
        ref double cLo = ref MemoryMarshal.GetArrayDataReference(_crossLo);
        for (int i0 = 0; i0 < Rows; i0 += 2)
        {
            for (int j0 = i0 / (2 * W) * (2 * W); j0 < stride; j0 += 2 * W)
            {
                nuint t0 = (nuint)((i0 * stride) + j0);
                nuint t1 = t0 + (nuint)stride;
                var h00 = Vector256.LoadUnsafe(ref cHi, t0);
                var h01 = Vector256.LoadUnsafe(ref cHi, t0 + W);
                var h10 = Vector256.LoadUnsafe(ref cHi, t1);
                var h11 = Vector256.LoadUnsafe(ref cHi, t1 + W);
                var l00 = Vector256.LoadUnsafe(ref cLo, t0);
                var l01 = Vector256.LoadUnsafe(ref cLo, t0 + W);
                var l10 = Vector256.LoadUnsafe(ref cLo, t1);
                var l11 = Vector256.LoadUnsafe(ref cLo, t1 + W);
                for (int q = 0; q < rows; q++)
                {
                    nuint r = (nuint)(q * stride);
                    var d0 = Vector256.LoadUnsafe(ref bHi, r + (nuint)j0);
                    var d1 = Vector256.LoadUnsafe(ref bHi, r + (nuint)j0 + W);
                    var e0 = TLow.Present ? Vector256.LoadUnsafe(ref bLo, r + (nuint)j0) : default;
                    var e1 = TLow.Present ? Vector256.LoadUnsafe(ref bLo, r + (nuint)j0 + W) : default;
                    Pair<TLow>(ref h00, ref l00, ref h01, ref l01, ref bHi, ref bLo, r + (nuint)i0, d0, d1, e0, e1);
                    Pair<TLow>(ref h10, ref l10, ref h11, ref l11, ref bHi, ref bLo, r + (nuint)i0 + 1, d0, d1, e0, e1);
                }

                h00.StoreUnsafe(ref cHi, t0);
                h01.StoreUnsafe(ref cHi, t0 + W);
                h10.StoreUnsafe(ref cHi, t1);
                h11.StoreUnsafe(ref cHi, t1 + W);
                l00.StoreUnsafe(ref cLo, t0);
                l01.StoreUnsafe(ref cLo, t0 + W);
                l10.StoreUnsafe(ref cLo, t1);
                l11.StoreUnsafe(ref cLo, t1 + W);
            }
        }
    }

    /// <summary>
    /// One row of the block into one tile row's two vectors of sums: value <paramref name="at"/>
    /// of the block (dᵢ, broadcast) times the row's columns (<paramref name="d0"/>,
    /// <paramref name="d1"/>), with the low parts' terms when the block has any.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pair<TLow>(ref Vector512<double> h0, ref Vector512<double> l0, ref Vector512<double> h1, ref Vector512<double> l1,
        ref double bHi, ref double bLo, nuint at, Vector512<double> d0, Vector512<double> d1, Vector512<double> e0, Vector512<double> e1)
        where TLow : struct, ILowParts
    {
        var a = Vector512.Create(Unsafe.Add(ref bHi, at));
        if (TLow.Present)
        {
            var b = Vector512.Create(Unsafe.Add(ref bLo, at));
            ErrorFree.AddProduct(ref h0, ref l0, a, d0, b, e0);
            ErrorFree.AddProduct(ref h1, ref l1, a, d1, b, e1);
        }
        else
        {
            ErrorFree.AddProduct(ref h0, ref l0, a, d0);
            ErrorFree.AddProduct(ref h1, ref l1, a, d1);
        }
    }

    /// <summary><see cref="Pair{TLow}(ref Vector512{double}, ref Vector512{double}, ref Vector512{double}, ref Vector512{double}, ref double, ref double, nuint, Vector512{double}, Vector512{double}, Vector512{double}, Vector512{double})"/>, 4 wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pair<TLow>(ref Vector256<double> h0, ref Vector256<double> l0, ref Vector256<double> h1, ref Vector256<double> l1,
        ref double bHi, ref double bLo, nuint at, Vector256<double> d0, Vector256<double> d1, Vector256<double> e0, Vector256<double> e1)
        where TLow : struct, ILowParts
    {
        var a = Vector256.Create(Unsafe.Add(ref bHi, at));
        if (TLow.Present)
        {
            var b = Vector256.Create(Unsafe.Add(ref bLo, at));
            ErrorFree.AddProduct(ref h0, ref l0, a, d0, b, e0);
            ErrorFree.AddProduct(ref h1, ref l1, a, d1, b, e1);
        }
        else
        {
            ErrorFree.AddProduct(ref h0, ref l0, a, d0);
            ErrorFree.AddProduct(ref h1, ref l1, a, d1);
        }
    }

    /// <summary>
    /// Whether a block's rows have low parts (a type argument, so that the tile loops are written
    /// once and still compile to a loop for each case, with no test inside).
    /// </summary>
    private interface ILowParts
    {
        static abstract bool Present { get; }
    }

    /// <summary>Every shifted value of the block is exact (the usual case): the low parts' terms are zero and left out, which changes no sum.</summary>
    private readonly struct ExactRows : ILowParts
    {
        public static bool Present => false;
    }

    /// <summary>Some shifted value of the block has a low part.</summary>
    private readonly struct InexactRows : ILowParts
    {
        public static bool Present => true;
    }
}
