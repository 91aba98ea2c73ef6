using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LeastSquares.Numerics;

/// <summary>
/// The blocked form of <see cref="Householder.Absorb(DoubleDouble[,], DoubleDouble[], int, int)"/> for wide factors: the same reflectors,
/// applied to the block a tile of <see cref="Width"/> columns at a time (left-looking). A tile of
/// the block's rows (16 kB at 128 rows) stays in the first-level cache while every earlier
/// reflector passes over it, and one pass both applies a reflector to the tile and forms the dot
/// products of the next reflector with it, so a tile's rows travel through the registers once a
/// reflector, in 4-wide vectors.
/// </summary>
/// <remarks>
/// <para>
/// Reflector k is built as in the row-by-row form (from R_kk and the norm of column k of the
/// block, in double-double) and reflects the columns after k in the same order. What differs is
/// the arithmetic inside a pass: a dot product is a compensated sum (each FMA-exact product added
/// by TwoSum, the rounding errors and the low-order product terms gathered in a second double),
/// and each updated entry is the compensated sum of the entry and an FMA-exact product,
/// renormalised. Each step's error is a few units of 2⁻¹⁰⁶ in the size of its operands, as in
/// double-double arithmetic, so the factor is backward stable at double-double precision; it is
/// not the row-by-row factor bit for bit (<c>BlockedHouseholderTests</c> hold the two to a stated
/// number of digits).
/// </para>
/// </remarks>
internal static class BlockedHouseholder
{
    /// <summary>Columns a tile holds: two 4-wide vectors.</summary>
    public const int Width = 8;

    /// <summary>
    /// The factor size (values a row, the column of ones and the response included) from which the
    /// blocked form is used; below it the row-by-row form is as fast, and its arithmetic is the
    /// whole of the NIST tests' (their factors are at most 13 wide).
    /// </summary>
    public const int BlockedFrom = 24;

    /// <summary>True when the blocked form runs on this machine in vectors (4-wide ones).</summary>
    public static bool IsSupported => Vector256.IsHardwareAccelerated;

    /// <summary>
    /// Replaces the m×m upper-triangular <paramref name="r"/> by the triangular factor of [R; B], B
    /// having <paramref name="rows"/> rows stored column by column in <paramref name="block"/>
    /// (column j starts at j·<paramref name="stride"/>). <paramref name="block"/> is only read.
    /// </summary>
    public static void Absorb(DoubleDouble[,] r, DoubleDouble[] block, int stride, int rows)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(block);
        int m = r.GetLength(0);
        if (rows == 0)
        {
            return;
        }

        int tiles = (m + Width - 1) / Width;
        int s = tiles * Width;
        var pool = ArrayPool<double>.Shared;
        var rHi = pool.Rent(m * s);
        var rLo = pool.Rent(m * s);
        var tHi = pool.Rent(tiles * rows * Width);
        var tLo = pool.Rent(tiles * rows * Width);
        var vHi = pool.Rent(m * rows);
        var vLo = pool.Rent(m * rows);
        try
        {
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < s; j++)
                {
                    var x = j < m ? r[i, j] : DoubleDouble.Zero;
                    rHi[(i * s) + j] = x.Hi;
                    rLo[(i * s) + j] = x.Lo;
                }
            }

            for (int j = 0; j < s; j++)
            {
                int at = ((j / Width) * rows * Width) + (j % Width);
                for (int q = 0; q < rows; q++)
                {
                    var x = j < m ? block[(j * stride) + q] : DoubleDouble.Zero;
                    tHi[at + (q * Width)] = x.Hi;
                    tLo[at + (q * Width)] = x.Lo;
                }
            }

            // Reflector k reaches the rows where any of the block's columns up to k is nonzero:
            // all of them for rows read from a file, the first k + 1 when the block is a triangle
            // (a factor merged into another).
            var reach = new int[m];
            int most = 0;
            for (int j = 0; j < m; j++)
            {
                for (int q = rows - 1; q >= most; q--)
                {
                    var x = block[(j * stride) + q];
                    if (x.Hi != 0 || x.Lo != 0)
                    {
                        most = q + 1;
                        break;
                    }
                }

                reach[j] = most;
            }

            var factor = new Factor(m, s, rows, reach, rHi, rLo, tHi, tLo, vHi, vLo);
            for (int t = 0; t < tiles; t++)
            {
                factor.Tile(t);
            }

            for (int i = 0; i < m; i++)
            {
                for (int j = i; j < m; j++)
                {
                    r[i, j] = new DoubleDouble(rHi[(i * s) + j], rLo[(i * s) + j]);
                }
            }
        }
        finally
        {
            pool.Return(rHi);
            pool.Return(rLo);
            pool.Return(tHi);
            pool.Return(tLo);
            pool.Return(vHi);
            pool.Return(vLo);
        }
    }

    /// <summary>
    /// A vector of a pass: <c>Step</c> apart from <c>At</c> in the arrays of high and low parts; zero
    /// from row <c>Rows</c> on (a reflector's reach: a triangular block's reflectors reach fewer rows).
    /// </summary>
    private readonly record struct Source(double[] Hi, double[] Lo, int At, int Step, int Rows);

    /// <summary>Eight double-double lanes (one per column of a tile), as two 4-wide halves; not necessarily normalised.</summary>
    private readonly record struct Lanes(Vector256<double> HiA, Vector256<double> LoA, Vector256<double> HiB, Vector256<double> LoB)
    {
        public DoubleDouble Lane(int l)
        {
            double h = l < 4 ? HiA[l] : HiB[l - 4];
            double lo = l < 4 ? LoA[l] : LoB[l - 4];
            double s = h + lo;
            return new DoubleDouble(s, lo - (s - h));
        }
    }

    /// <summary>The factor being built: R as rows of high and low parts, the block as tiles, the reflectors made so far.</summary>
    private sealed class Factor(int m, int s, int rows, int[] reach, double[] rHi, double[] rLo, double[] tHi, double[] tLo, double[] vHi, double[] vLo)
    {
        private readonly DoubleDouble[] _v0 = new DoubleDouble[m];
        private readonly DoubleDouble[] _scale = new DoubleDouble[m];
        private readonly int[] _active = new int[m];
        private readonly DoubleDouble[] _pairs = new DoubleDouble[m]; // v_aᵀv_b of the pair of earlier reflectors from item a
        private readonly bool[] _paired = new bool[m];
        private readonly bool _dense = Array.TrueForAll(reach, r => r == rows); // every reflector reaches every row
        private int _count;

        /// <summary>
        /// Applies the earlier reflectors to the tile two at a time: the dot products of both with
        /// the tile come from one pass, the second's corrected by (v₂ᵀv₁)·f₁ for the first's update
        /// (v₂ᵀ(b + v₁f₁) = v₂ᵀb + v₂ᵀv₁·f₁), and one pass adds both updates. Returns the next item
        /// and its dot products with the tile.
        /// </summary>
        private (int Next, Lanes Dot) Pairs(int at, int c0, int before)
        {
            var (d1h, d1l, d2h, d2l) = DotTwo(at, Earlier(0), Earlier(1));
            int i = 0;
            while (true)
            {
                int k1 = _active[i];
                int k2 = _active[i + 1];
                var f1 = Multiplier(k1, c0, new Lanes(d1h.GetLower(), d1l.GetLower(), d1h.GetUpper(), d1l.GetUpper()), -1);
                var f1h = Vector512.Create(f1.HiA, f1.HiB);
                var f1l = Vector512.Create(f1.LoA, f1.LoB);
                var (ch, cl) = Mul(f1h, f1l, PairProduct(i));
                var (nh, nl) = QuickTwoSum(d2h, d2l);
                (d2h, d2l) = Add(nh, nl, ch, cl);
                var f2 = Multiplier(k2, c0, new Lanes(d2h.GetLower(), d2l.GetLower(), d2h.GetUpper(), d2l.GetUpper()), -1);
                var f2h = Vector512.Create(f2.HiA, f2.HiB);
                var f2l = Vector512.Create(f2.LoA, f2.LoB);
                if (i + 3 < before)
                {
                    (d1h, d1l, d2h, d2l) = UpdateTwoDotTwo(at, Earlier(i), f1h, f1l, Earlier(i + 1), f2h, f2l, Earlier(i + 2), Earlier(i + 3));
                    i += 2;
                    continue;
                }

                var (dh, dl) = UpdateTwoDotOne(at, Earlier(i), f1h, f1l, Earlier(i + 1), f2h, f2l, SourceOf(i + 2, before, at));
                return (i + 2, new Lanes(dh.GetLower(), dl.GetLower(), dh.GetUpper(), dl.GetUpper()));
            }
        }

        private Source Earlier(int i) => new(vHi, vLo, _active[i] * rows, 1, rows);

        /// <summary>v_aᵀv_b for the earlier reflectors a = item i and b = item i + 1, computed once a block.</summary>
        private DoubleDouble PairProduct(int i)
        {
            if (!_paired[i])
            {
                int a = _active[i] * rows;
                int b = _active[i + 1] * rows;
                var sum = DoubleDouble.Zero;
                for (int q = 0; q < rows; q++)
                {
                    sum += new DoubleDouble(vHi[a + q], vLo[a + q]) * new DoubleDouble(vHi[b + q], vLo[b + q]);
                }

                _pairs[i] = sum;
                _paired[i] = true;
            }

            return _pairs[i];
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private (Vector512<double>, Vector512<double>, Vector512<double>, Vector512<double>) DotTwo(int tile, Source v1, Source v2)
        {
            ref double th = ref MemoryMarshal.GetArrayDataReference(tHi);
            ref double tl = ref MemoryMarshal.GetArrayDataReference(tLo);
            ref double ah = ref MemoryMarshal.GetArrayDataReference(v1.Hi);
            ref double al = ref MemoryMarshal.GetArrayDataReference(v1.Lo);
            var s1h = Vector512<double>.Zero;
            var s1l = Vector512<double>.Zero;
            var s2h = Vector512<double>.Zero;
            var s2l = Vector512<double>.Zero;
            nuint at = (nuint)tile;
            nuint a = (nuint)v1.At;
            nuint b = (nuint)v2.At;
            for (int q = 0; q < rows; q++, at += Width, a++, b++)
            {
                var yh = Vector512.LoadUnsafe(ref th, at);
                var yl = Vector512.LoadUnsafe(ref tl, at);
                Accumulate(ref s1h, ref s1l, Vector512.Create(Unsafe.Add(ref ah, a)), Vector512.Create(Unsafe.Add(ref al, a)), yh, yl);
                Accumulate(ref s2h, ref s2l, Vector512.Create(Unsafe.Add(ref ah, b)), Vector512.Create(Unsafe.Add(ref al, b)), yh, yl);
            }

            return (s1h, s1l, s2h, s2l);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private (Vector512<double>, Vector512<double>, Vector512<double>, Vector512<double>) UpdateTwoDotTwo(int tile,
            Source u1, Vector512<double> f1h, Vector512<double> f1l, Source u2, Vector512<double> f2h, Vector512<double> f2l, Source n1, Source n2)
        {
            // Every source here is an earlier reflector's column: the same arrays, one value a row.
            ref double th = ref MemoryMarshal.GetArrayDataReference(tHi);
            ref double tl = ref MemoryMarshal.GetArrayDataReference(tLo);
            ref double vh = ref MemoryMarshal.GetArrayDataReference(vHi);
            ref double vl = ref MemoryMarshal.GetArrayDataReference(vLo);
            var s1h = Vector512<double>.Zero;
            var s1l = Vector512<double>.Zero;
            var s2h = Vector512<double>.Zero;
            var s2l = Vector512<double>.Zero;
            nuint at = (nuint)tile;
            nuint a = (nuint)u1.At;
            nuint b = (nuint)u2.At;
            nuint c = (nuint)n1.At;
            nuint d = (nuint)n2.At;
            for (int q = 0; q < rows; q++, at += Width, a++, b++, c++, d++)
            {
                var yh = Vector512.LoadUnsafe(ref th, at);
                var yl = Vector512.LoadUnsafe(ref tl, at);
                UpdateTwo(ref yh, ref yl, Vector512.Create(Unsafe.Add(ref vh, a)), Vector512.Create(Unsafe.Add(ref vl, a)), f1h, f1l,
                    Vector512.Create(Unsafe.Add(ref vh, b)), Vector512.Create(Unsafe.Add(ref vl, b)), f2h, f2l);
                yh.StoreUnsafe(ref th, at);
                yl.StoreUnsafe(ref tl, at);
                Accumulate(ref s1h, ref s1l, Vector512.Create(Unsafe.Add(ref vh, c)), Vector512.Create(Unsafe.Add(ref vl, c)), yh, yl);
                Accumulate(ref s2h, ref s2l, Vector512.Create(Unsafe.Add(ref vh, d)), Vector512.Create(Unsafe.Add(ref vl, d)), yh, yl);
            }

            return (s1h, s1l, s2h, s2l);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private (Vector512<double>, Vector512<double>) UpdateTwoDotOne(int tile,
            Source u1, Vector512<double> f1h, Vector512<double> f1l, Source u2, Vector512<double> f2h, Vector512<double> f2l, Source n)
        {
            ref double th = ref MemoryMarshal.GetArrayDataReference(tHi);
            ref double tl = ref MemoryMarshal.GetArrayDataReference(tLo);
            ref double vh = ref MemoryMarshal.GetArrayDataReference(vHi);
            ref double vl = ref MemoryMarshal.GetArrayDataReference(vLo);
            ref double nh = ref MemoryMarshal.GetArrayDataReference(n.Hi);
            ref double nl = ref MemoryMarshal.GetArrayDataReference(n.Lo);
            var sh = Vector512<double>.Zero;
            var sl = Vector512<double>.Zero;
            nuint at = (nuint)tile;
            nuint a = (nuint)u1.At;
            nuint b = (nuint)u2.At;
            nuint c = (nuint)n.At;
            nuint step = (nuint)n.Step;
            for (int q = 0; q < rows; q++, at += Width, a++, b++, c += step)
            {
                var yh = Vector512.LoadUnsafe(ref th, at);
                var yl = Vector512.LoadUnsafe(ref tl, at);
                UpdateTwo(ref yh, ref yl, Vector512.Create(Unsafe.Add(ref vh, a)), Vector512.Create(Unsafe.Add(ref vl, a)), f1h, f1l,
                    Vector512.Create(Unsafe.Add(ref vh, b)), Vector512.Create(Unsafe.Add(ref vl, b)), f2h, f2l);
                yh.StoreUnsafe(ref th, at);
                yl.StoreUnsafe(ref tl, at);

                // The next vector may be a column of this very row: read it after the store.
                Accumulate(ref sh, ref sl, Vector512.Create(Unsafe.Add(ref nh, c)), Vector512.Create(Unsafe.Add(ref nl, c)), yh, yl);
            }

            return (sh, sl);
        }

        /// <summary>Applies every earlier reflector to tile <paramref name="t"/>, then makes and applies the reflectors of its own columns.</summary>
        public void Tile(int t)
        {
            int c0 = t * Width;
            int at = t * rows * Width;
            int before = _count;
            int items = before + Math.Min(Width, m - c0);

            // Item i is the i-th earlier reflector, then the tile's columns in order. Each pass
            // applies item i (when it reflects) and forms the dot products of item i + 1 with the
            // tile as it is then; with 8-wide vectors, the earlier reflectors go two a pass.
            int first = 0;
            Lanes dot;
            if (Vector512.IsHardwareAccelerated && _dense && before >= 2)
            {
                (first, dot) = Pairs(at, c0, before);
            }
            else
            {
                dot = Dot(at, SourceOf(0, before, at));
            }

            for (int i = first; i < items; i++)
            {
                Lanes f;
                if (i < before)
                {
                    f = Multiplier(_active[i], c0, dot, -1);
                }
                else
                {
                    int l = i - before;
                    int k = c0 + l;
                    if (!MakeReflector(k, dot.Lane(l)))
                    {
                        if (i + 1 < items)
                        {
                            dot = Dot(at, SourceOf(i + 1, before, at));
                        }

                        continue;
                    }

                    _active[_count++] = k;
                    f = Multiplier(k, c0, dot, l);
                }

                var u = SourceOf(i, before, at);
                if (i + 1 < items)
                {
                    dot = UpdateDot(at, u, f, SourceOf(i + 1, before, at));
                }
                else
                {
                    UpdateDot(at, u, f, null);
                }
            }

            // The tile's reflectors as columns, for the tiles after it.
            for (int i = before; i < _count; i++)
            {
                int k = _active[i];
                int l = k - c0;
                for (int q = 0; q < rows; q++)
                {
                    vHi[(k * rows) + q] = tHi[at + (q * Width) + l];
                    vLo[(k * rows) + q] = tLo[at + (q * Width) + l];
                }
            }
        }

        /// <summary>Item i's vector: an earlier reflector's stored column, or a column of the tile.</summary>
        private Source SourceOf(int i, int before, int at)
        {
            if (i < before)
            {
                int k = _active[i];
                return new Source(vHi, vLo, k * rows, 1, reach[k]);
            }

            int l = i - before;
            return new Source(tHi, tLo, at + l, Width, reach[(at / (rows * Width) * Width) + l]);
        }

        /// <summary>
        /// Reflector k from its column's sum of squares below R (<paramref name="sigma"/>); false
        /// when that column of the block is zero (nothing to reflect), as the row-by-row form.
        /// </summary>
        private bool MakeReflector(int k, DoubleDouble sigma)
        {
            if (sigma.Hi == 0)
            {
                return false;
            }

            int kk = (k * s) + k;
            var alpha = new DoubleDouble(rHi[kk], rLo[kk]);
            var norm = DoubleDouble.Sqrt((alpha * alpha) + sigma);
            var beta = alpha.Hi >= 0 ? -norm : norm;
            var v0 = alpha - beta;
            _v0[k] = v0;
            _scale[k] = DoubleDouble.One / (beta * v0);
            rHi[kk] = beta.Hi;
            rLo[kk] = beta.Lo;
            return true;
        }

        /// <summary>
        /// The multipliers f = (v₀·R_kj + Σ v·b_j)/(β v₀) of reflector k for the tile's columns
        /// from <paramref name="c0"/> (zero for columns up to <paramref name="own"/> when k is the
        /// tile's own column <paramref name="own"/>), and R's row k updated: R_kj += v₀·f_j.
        /// </summary>
        private Lanes Multiplier(int k, int c0, Lanes dot, int own)
        {
            var v0 = _v0[k];
            var scale = _scale[k];
            ref double rh = ref MemoryMarshal.GetArrayDataReference(rHi);
            ref double rl = ref MemoryMarshal.GetArrayDataReference(rLo);
            nuint at = (nuint)((k * s) + c0);
            var rha = Vector256.LoadUnsafe(ref rh, at);
            var rla = Vector256.LoadUnsafe(ref rl, at);
            var rhb = Vector256.LoadUnsafe(ref rh, at + 4);
            var rlb = Vector256.LoadUnsafe(ref rl, at + 4);
            var (fha, fla) = Lane4(rha, rla, dot.HiA, dot.LoA, v0, scale);
            var (fhb, flb) = Lane4(rhb, rlb, dot.HiB, dot.LoB, v0, scale);
            if (own >= 0)
            {
                var index = Vector256.Create(0.0, 1.0, 2.0, 3.0);
                var keepA = Vector256.GreaterThan(index, Vector256.Create((double)own));
                var keepB = Vector256.GreaterThan(index + Vector256.Create(4.0), Vector256.Create((double)own));
                fha = Vector256.ConditionalSelect(keepA, fha, Vector256<double>.Zero);
                fla = Vector256.ConditionalSelect(keepA, fla, Vector256<double>.Zero);
                fhb = Vector256.ConditionalSelect(keepB, fhb, Vector256<double>.Zero);
                flb = Vector256.ConditionalSelect(keepB, flb, Vector256<double>.Zero);
            }

            Store(ref rh, ref rl, at, rha, rla, fha, fla, v0);
            Store(ref rh, ref rl, at + 4, rhb, rlb, fhb, flb, v0);
            return new Lanes(fha, fla, fhb, flb);
        }

        private static (Vector256<double> Hi, Vector256<double> Lo) Lane4(Vector256<double> rh, Vector256<double> rl,
            Vector256<double> dh, Vector256<double> dl, DoubleDouble v0, DoubleDouble scale)
        {
            var (ph, pl) = Mul(rh, rl, v0);
            var (nh, nl) = QuickTwoSum(dh, dl);
            var (th, tl) = Add(nh, nl, ph, pl);
            return Mul(th, tl, scale);
        }

        private static void Store(ref double rh, ref double rl, nuint at, Vector256<double> hi, Vector256<double> lo,
            Vector256<double> fh, Vector256<double> fl, DoubleDouble v0)
        {
            var (ph, pl) = Mul(fh, fl, v0);
            var (sh, sl) = Add(hi, lo, ph, pl);
            sh.StoreUnsafe(ref rh, at);
            sl.StoreUnsafe(ref rl, at);
        }

        /// <summary>The dot products Σ_q v_q·b_qj of <paramref name="v"/> with the tile's columns, over v's rows.</summary>
        private Lanes Dot(int tile, Source v)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                var sh = Vector512<double>.Zero;
                var sl = Vector512<double>.Zero;
                DotLoop(tile, v, 0, v.Rows, ref sh, ref sl);
                return new Lanes(sh.GetLower(), sl.GetLower(), sh.GetUpper(), sl.GetUpper());
            }

            var acc = default(Lanes);
            DotLoop(tile, v, 0, v.Rows, ref acc);
            return acc;
        }

        /// <summary>
        /// b_qj += u_q·f_j over u's rows of the tile; then (when <paramref name="next"/> is given)
        /// the dot products of <paramref name="next"/> with the updated tile, in the same pass where
        /// the two reach the same rows.
        /// </summary>
        private Lanes UpdateDot(int tile, Source u, Lanes f, Source? next)
        {
            int both = next is { } n0 ? Math.Min(u.Rows, n0.Rows) : 0;
            if (Vector512.IsHardwareAccelerated)
            {
                var fh = Vector512.Create(f.HiA, f.HiB);
                var fl = Vector512.Create(f.LoA, f.LoB);
                var sh = Vector512<double>.Zero;
                var sl = Vector512<double>.Zero;
                if (next is { } n)
                {
                    FusedLoop(tile, u, fh, fl, n, 0, both, ref sh, ref sl);
                    DotLoop(tile, n, both, n.Rows, ref sh, ref sl);
                }

                UpdateLoop(tile, u, fh, fl, both, u.Rows);
                return new Lanes(sh.GetLower(), sl.GetLower(), sh.GetUpper(), sl.GetUpper());
            }

            var acc = default(Lanes);
            if (next is { } n4)
            {
                FusedLoop(tile, u, f, n4, 0, both, ref acc);
                DotLoop(tile, n4, both, n4.Rows, ref acc);
            }

            UpdateLoop(tile, u, f, both, u.Rows);
            return acc;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void DotLoop(int tile, Source v, int from, int to, ref Vector512<double> sh, ref Vector512<double> sl)
        {
            ref double th = ref MemoryMarshal.GetArrayDataReference(tHi);
            ref double tl = ref MemoryMarshal.GetArrayDataReference(tLo);
            ref double vh = ref MemoryMarshal.GetArrayDataReference(v.Hi);
            ref double vl = ref MemoryMarshal.GetArrayDataReference(v.Lo);
            nuint at = (nuint)(tile + (from * Width));
            nuint va = (nuint)(v.At + (from * v.Step));
            nuint step = (nuint)v.Step;
            for (int q = from; q < to; q++, at += Width, va += step)
            {
                Accumulate(ref sh, ref sl, Vector512.Create(Unsafe.Add(ref vh, va)), Vector512.Create(Unsafe.Add(ref vl, va)),
                    Vector512.LoadUnsafe(ref th, at), Vector512.LoadUnsafe(ref tl, at));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void UpdateLoop(int tile, Source u, Vector512<double> fh, Vector512<double> fl, int from, int to)
        {
            ref double th = ref MemoryMarshal.GetArrayDataReference(tHi);
            ref double tl = ref MemoryMarshal.GetArrayDataReference(tLo);
            ref double uh = ref MemoryMarshal.GetArrayDataReference(u.Hi);
            ref double ul = ref MemoryMarshal.GetArrayDataReference(u.Lo);
            nuint at = (nuint)(tile + (from * Width));
            nuint ua = (nuint)(u.At + (from * u.Step));
            nuint ustep = (nuint)u.Step;
            for (int q = from; q < to; q++, at += Width, ua += ustep)
            {
                var ah = Vector512.LoadUnsafe(ref th, at);
                var al = Vector512.LoadUnsafe(ref tl, at);
                Update(ref ah, ref al, Vector512.Create(Unsafe.Add(ref uh, ua)), Vector512.Create(Unsafe.Add(ref ul, ua)), fh, fl);
                ah.StoreUnsafe(ref th, at);
                al.StoreUnsafe(ref tl, at);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void FusedLoop(int tile, Source u, Vector512<double> fh, Vector512<double> fl, Source n, int from, int to,
            ref Vector512<double> sh, ref Vector512<double> sl)
        {
            ref double th = ref MemoryMarshal.GetArrayDataReference(tHi);
            ref double tl = ref MemoryMarshal.GetArrayDataReference(tLo);
            ref double uh = ref MemoryMarshal.GetArrayDataReference(u.Hi);
            ref double ul = ref MemoryMarshal.GetArrayDataReference(u.Lo);
            ref double nh = ref MemoryMarshal.GetArrayDataReference(n.Hi);
            ref double nl = ref MemoryMarshal.GetArrayDataReference(n.Lo);
            nuint at = (nuint)(tile + (from * Width));
            nuint ua = (nuint)(u.At + (from * u.Step));
            nuint ustep = (nuint)u.Step;
            nuint na = (nuint)(n.At + (from * n.Step));
            nuint nstep = (nuint)n.Step;
            var ah0 = sh;
            var al0 = sl;
            for (int q = from; q < to; q++, at += Width, ua += ustep, na += nstep)
            {
                var ah = Vector512.LoadUnsafe(ref th, at);
                var al = Vector512.LoadUnsafe(ref tl, at);
                Update(ref ah, ref al, Vector512.Create(Unsafe.Add(ref uh, ua)), Vector512.Create(Unsafe.Add(ref ul, ua)), fh, fl);
                ah.StoreUnsafe(ref th, at);
                al.StoreUnsafe(ref tl, at);

                // The next vector may be a column of this very row: read it after the store.
                Accumulate(ref ah0, ref al0, Vector512.Create(Unsafe.Add(ref nh, na)), Vector512.Create(Unsafe.Add(ref nl, na)), ah, al);
            }

            sh = ah0;
            sl = al0;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void DotLoop(int tile, Source v, int from, int to, ref Lanes acc)
        {
            ref double th = ref MemoryMarshal.GetArrayDataReference(tHi);
            ref double tl = ref MemoryMarshal.GetArrayDataReference(tLo);
            ref double vh = ref MemoryMarshal.GetArrayDataReference(v.Hi);
            ref double vl = ref MemoryMarshal.GetArrayDataReference(v.Lo);
            var (sha, sla, shb, slb) = acc;
            nuint at = (nuint)(tile + (from * Width));
            nuint va = (nuint)(v.At + (from * v.Step));
            nuint step = (nuint)v.Step;
            for (int q = from; q < to; q++, at += Width, va += step)
            {
                var xh = Vector256.Create(Unsafe.Add(ref vh, va));
                var xl = Vector256.Create(Unsafe.Add(ref vl, va));
                Accumulate(ref sha, ref sla, xh, xl, Vector256.LoadUnsafe(ref th, at), Vector256.LoadUnsafe(ref tl, at));
                Accumulate(ref shb, ref slb, xh, xl, Vector256.LoadUnsafe(ref th, at + 4), Vector256.LoadUnsafe(ref tl, at + 4));
            }

            acc = new Lanes(sha, sla, shb, slb);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void UpdateLoop(int tile, Source u, Lanes f, int from, int to)
        {
            ref double th = ref MemoryMarshal.GetArrayDataReference(tHi);
            ref double tl = ref MemoryMarshal.GetArrayDataReference(tLo);
            ref double uh = ref MemoryMarshal.GetArrayDataReference(u.Hi);
            ref double ul = ref MemoryMarshal.GetArrayDataReference(u.Lo);
            nuint at = (nuint)(tile + (from * Width));
            nuint ua = (nuint)(u.At + (from * u.Step));
            nuint ustep = (nuint)u.Step;
            for (int q = from; q < to; q++, at += Width, ua += ustep)
            {
                var xh = Vector256.Create(Unsafe.Add(ref uh, ua));
                var xl = Vector256.Create(Unsafe.Add(ref ul, ua));
                var ah = Vector256.LoadUnsafe(ref th, at);
                var al = Vector256.LoadUnsafe(ref tl, at);
                var bh = Vector256.LoadUnsafe(ref th, at + 4);
                var bl = Vector256.LoadUnsafe(ref tl, at + 4);
                Update(ref ah, ref al, xh, xl, f.HiA, f.LoA);
                Update(ref bh, ref bl, xh, xl, f.HiB, f.LoB);
                ah.StoreUnsafe(ref th, at);
                al.StoreUnsafe(ref tl, at);
                bh.StoreUnsafe(ref th, at + 4);
                bl.StoreUnsafe(ref tl, at + 4);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void FusedLoop(int tile, Source u, Lanes f, Source n, int from, int to, ref Lanes acc)
        {
            ref double th = ref MemoryMarshal.GetArrayDataReference(tHi);
            ref double tl = ref MemoryMarshal.GetArrayDataReference(tLo);
            ref double uh = ref MemoryMarshal.GetArrayDataReference(u.Hi);
            ref double ul = ref MemoryMarshal.GetArrayDataReference(u.Lo);
            ref double nh = ref MemoryMarshal.GetArrayDataReference(n.Hi);
            ref double nl = ref MemoryMarshal.GetArrayDataReference(n.Lo);
            var (sha, sla, shb, slb) = acc;
            nuint at = (nuint)(tile + (from * Width));
            nuint ua = (nuint)(u.At + (from * u.Step));
            nuint ustep = (nuint)u.Step;
            nuint na = (nuint)(n.At + (from * n.Step));
            nuint nstep = (nuint)n.Step;
            for (int q = from; q < to; q++, at += Width, ua += ustep, na += nstep)
            {
                var xh = Vector256.Create(Unsafe.Add(ref uh, ua));
                var xl = Vector256.Create(Unsafe.Add(ref ul, ua));
                var ah = Vector256.LoadUnsafe(ref th, at);
                var al = Vector256.LoadUnsafe(ref tl, at);
                var bh = Vector256.LoadUnsafe(ref th, at + 4);
                var bl = Vector256.LoadUnsafe(ref tl, at + 4);
                Update(ref ah, ref al, xh, xl, f.HiA, f.LoA);
                Update(ref bh, ref bl, xh, xl, f.HiB, f.LoB);
                ah.StoreUnsafe(ref th, at);
                al.StoreUnsafe(ref tl, at);
                bh.StoreUnsafe(ref th, at + 4);
                bl.StoreUnsafe(ref tl, at + 4);

                // The next vector may be a column of this very row: read it after the store.
                var yh = Vector256.Create(Unsafe.Add(ref nh, na));
                var yl = Vector256.Create(Unsafe.Add(ref nl, na));
                Accumulate(ref sha, ref sla, yh, yl, ah, al);
                Accumulate(ref shb, ref slb, yh, yl, bh, bl);
            }

            acc = new Lanes(sha, sla, shb, slb);
        }
    }

    /// <summary>(sh, sl) += x·y: the FMA-exact product of the high parts added by TwoSum, every lower-order term into sl (the cross terms by FMAs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(ref Vector256<double> sh, ref Vector256<double> sl, Vector256<double> xh, Vector256<double> xl,
        Vector256<double> yh, Vector256<double> yl)
    {
        var p = xh * yh;
        var e = Vector256.FusedMultiplyAdd(xh, yh, -p);
        var s = sh + p;
        var bb = s - sh;
        sl = Vector256.FusedMultiplyAdd(xl, yh, Vector256.FusedMultiplyAdd(xh, yl, sl)) + (((sh - (s - bb)) + (p - bb)) + e);
        sh = s;
    }

    /// <summary>(yh, yl) += x·f, renormalised.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(ref Vector256<double> yh, ref Vector256<double> yl, Vector256<double> xh, Vector256<double> xl,
        Vector256<double> fh, Vector256<double> fl)
    {
        var p = xh * fh;
        var e = Vector256.FusedMultiplyAdd(xh, fh, -p);
        var s = yh + p;
        var bb = s - yh;
        var lo = Vector256.FusedMultiplyAdd(xl, fh, Vector256.FusedMultiplyAdd(xh, fl, yl)) + (((yh - (s - bb)) + (p - bb)) + e);
        var h = s + lo;
        yl = lo - (h - s);
        yh = h;
    }

    /// <summary><see cref="Accumulate(ref Vector256{double}, ref Vector256{double}, Vector256{double}, Vector256{double}, Vector256{double}, Vector256{double})"/>, 8 wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(ref Vector512<double> sh, ref Vector512<double> sl, Vector512<double> xh, Vector512<double> xl,
        Vector512<double> yh, Vector512<double> yl)
    {
        var p = xh * yh;
        var e = Vector512.FusedMultiplyAdd(xh, yh, -p);
        var s = sh + p;
        var bb = s - sh;
        sl = Vector512.FusedMultiplyAdd(xl, yh, Vector512.FusedMultiplyAdd(xh, yl, sl)) + (((sh - (s - bb)) + (p - bb)) + e);
        sh = s;
    }

    /// <summary><see cref="Update(ref Vector256{double}, ref Vector256{double}, Vector256{double}, Vector256{double}, Vector256{double}, Vector256{double})"/>, 8 wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(ref Vector512<double> yh, ref Vector512<double> yl, Vector512<double> xh, Vector512<double> xl,
        Vector512<double> fh, Vector512<double> fl)
    {
        var p = xh * fh;
        var e = Vector512.FusedMultiplyAdd(xh, fh, -p);
        var s = yh + p;
        var bb = s - yh;
        var lo = Vector512.FusedMultiplyAdd(xl, fh, Vector512.FusedMultiplyAdd(xh, fl, yl)) + (((yh - (s - bb)) + (p - bb)) + e);
        var h = s + lo;
        yl = lo - (h - s);
        yh = h;
    }

    /// <summary>(yh, yl) += x₁·f₁ + x₂·f₂: both FMA-exact products added by TwoSum, the errors gathered, renormalised once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateTwo(ref Vector512<double> yh, ref Vector512<double> yl,
        Vector512<double> x1h, Vector512<double> x1l, Vector512<double> f1h, Vector512<double> f1l,
        Vector512<double> x2h, Vector512<double> x2l, Vector512<double> f2h, Vector512<double> f2l)
    {
        var p1 = x1h * f1h;
        var e1 = Vector512.FusedMultiplyAdd(x1h, f1h, -p1);
        var p2 = x2h * f2h;
        var e2 = Vector512.FusedMultiplyAdd(x2h, f2h, -p2);
        var cross = Vector512.FusedMultiplyAdd(x2l, f2h, Vector512.FusedMultiplyAdd(x2h, f2l,
            Vector512.FusedMultiplyAdd(x1l, f1h, Vector512.FusedMultiplyAdd(x1h, f1l, yl))));
        var s1 = yh + p1;
        var b1 = s1 - yh;
        var r1 = (yh - (s1 - b1)) + (p1 - b1);
        var s2 = s1 + p2;
        var b2 = s2 - s1;
        var r2 = (s1 - (s2 - b2)) + (p2 - b2);
        var lo = cross + ((r1 + r2) + (e1 + e2));
        var h = s2 + lo;
        yl = lo - (h - s2);
        yh = h;
    }

    /// <summary>DoubleDouble's product, lane by lane, by a double-double (8 wide).</summary>
    private static (Vector512<double> Hi, Vector512<double> Lo) Mul(Vector512<double> ah, Vector512<double> al, DoubleDouble b)
    {
        var bh = Vector512.Create(b.Hi);
        var bl = Vector512.Create(b.Lo);
        var p = ah * bh;
        var err = Vector512.FusedMultiplyAdd(ah, bh, -p) + ((ah * bl) + (al * bh));
        return QuickTwoSum(p, err);
    }

    /// <summary>DoubleDouble's sum, lane by lane (8 wide).</summary>
    private static (Vector512<double> Hi, Vector512<double> Lo) Add(Vector512<double> ah, Vector512<double> al,
        Vector512<double> bh, Vector512<double> bl)
    {
        var s = ah + bh;
        var bb = s - ah;
        var se = (ah - (s - bb)) + (bh - bb);
        var t = al + bl;
        var bb2 = t - al;
        var te = (al - (t - bb2)) + (bl - bb2);
        var (uh, ul) = QuickTwoSum(s, se + t);
        return QuickTwoSum(uh, ul + te);
    }

    private static (Vector512<double> Hi, Vector512<double> Lo) QuickTwoSum(Vector512<double> a, Vector512<double> b)
    {
        var s = a + b;
        return (s, b - (s - a));
    }

    /// <summary>DoubleDouble's product, lane by lane, by a double-double.</summary>
    private static (Vector256<double> Hi, Vector256<double> Lo) Mul(Vector256<double> ah, Vector256<double> al, DoubleDouble b)
    {
        var bh = Vector256.Create(b.Hi);
        var bl = Vector256.Create(b.Lo);
        var p = ah * bh;
        var err = Vector256.FusedMultiplyAdd(ah, bh, -p) + ((ah * bl) + (al * bh));
        return QuickTwoSum(p, err);
    }

    /// <summary>DoubleDouble's sum, lane by lane.</summary>
    private static (Vector256<double> Hi, Vector256<double> Lo) Add(Vector256<double> ah, Vector256<double> al,
        Vector256<double> bh, Vector256<double> bl)
    {
        var s = ah + bh;
        var bb = s - ah;
        var se = (ah - (s - bb)) + (bh - bb);
        var t = al + bl;
        var bb2 = t - al;
        var te = (al - (t - bb2)) + (bl - bb2);
        var (uh, ul) = QuickTwoSum(s, se + t);
        return QuickTwoSum(uh, ul + te);
    }

    private static (Vector256<double> Hi, Vector256<double> Lo) QuickTwoSum(Vector256<double> a, Vector256<double> b)
    {
        var s = a + b;
        return (s, b - (s - a));
    }
}
