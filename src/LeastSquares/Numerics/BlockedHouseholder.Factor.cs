using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LeastSquares.Numerics;

// The factor the blocked form builds: R, the block as tiles, and the reflectors applied to them.
internal static partial class BlockedHouseholder
{
    /// <summary>The factor being built: R as rows of high and low parts, the block as tiles, the reflectors made so far.</summary>
    private sealed partial class Factor(int m, int s, int rows, int[] reach, double[] floors, double[] rHi, double[] rLo, double[] tHi, double[] tLo, double[] vHi, double[] vLo)
    {
        private readonly DoubleDouble[] _v0 = new DoubleDouble[m];
        private readonly DoubleDouble[] _scale = new DoubleDouble[m];
        private readonly int[] _active = new int[m];
        private readonly DoubleDouble[] _pairs = new DoubleDouble[m]; // v_aᵀv_b of the pair of earlier reflectors from item a
        private readonly bool[] _paired = new bool[m];
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
                var (nh, nl) = ErrorFree.QuickTwoSum(d2h, d2l);
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

        private Source Earlier(int i) => new(vHi, vLo, _active[i] * rows, 1, reach[_active[i]]);

        /// <summary>v_aᵀv_b for the earlier reflectors a = item i and b = item i + 1, computed once a block.</summary>
        private DoubleDouble PairProduct(int i)
        {
            if (!_paired[i])
            {
                int a = _active[i] * rows;
                int b = _active[i + 1] * rows;
                var sum = DoubleDouble.Zero;
                for (int q = 0; q < reach[_active[i]]; q++)
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
            int to = v2.Rows; // the later reflector's reach, the longer (v₁ is zero beyond its own)
            for (int q = 0; q < to; q++, at += Width, a++, b++)
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
            int to = n2.Rows; // the latest reflector's reach: the others are zero beyond their own
            for (int q = 0; q < to; q++, at += Width, a++, b++, c++, d++)
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
            int to = n.Rows; // the next vector's reach, at least the reflectors'
            for (int q = 0; q < to; q++, at += Width, a++, b++, c += step)
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
            if (Vector512.IsHardwareAccelerated && before >= 2)
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
        /// when that column of the block is zero, or it and R_kk are rounding noise (below
        /// <see cref="Householder.NoiseFloors"/>): nothing to reflect, as in the row-by-row form.
        /// </summary>
        private bool MakeReflector(int k, DoubleDouble sigma)
        {
            int kk = (k * s) + k;
            var alpha = new DoubleDouble(rHi[kk], rLo[kk]);
            var square = (alpha * alpha) + sigma;
            if (sigma.Hi == 0 || square.Hi < floors[k])
            {
                return false;
            }

            var norm = DoubleDouble.Sqrt(square);
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
            var (nh, nl) = ErrorFree.QuickTwoSum(dh, dl);
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
    }
}
