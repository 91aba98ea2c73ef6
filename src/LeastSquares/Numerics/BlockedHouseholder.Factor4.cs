using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LeastSquares.Numerics;

// The factor's passes over a tile in 4-wide vectors, for machines without 8-wide ones.
internal static partial class BlockedHouseholder
{
    private sealed partial class Factor
    {
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
}
