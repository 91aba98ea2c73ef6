using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LeastSquares.Numerics;

// The factor's passes over a tile in 8-wide vectors: a dot product, an update, and both fused.
internal static partial class BlockedHouseholder
{
    private sealed partial class Factor
    {
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
    }
}
