using LeastSquares.Numerics;

namespace LeastSquares.State;

/// <summary>The products of pairs of terms with categorical variables, and the compensated sums both kinds of block use.</summary>
internal sealed partial class SparseLevelAccumulator
{
    /// <summary>Grows <paramref name="hi"/> and <paramref name="lo"/> to hold at least <paramref name="length"/> values.</summary>
    private static void Ensure(ref double[] hi, ref double[] lo, int length)
    {
        if (length > hi.Length)
        {
            int size = Math.Max(length, Math.Max(64, hi.Length * 2));
            Array.Resize(ref hi, size);
            Array.Resize(ref lo, size);
        }
    }

    /// <summary>Adds the product (a + aLo)·b to the compensated sum (hi, lo): a·b exactly, aLo·b rounded (aLo is 0, or a part in 1e-16 of a).</summary>
    private static void AddProduct(ref double hi, ref double lo, double a, double aLo, double b)
    {
        double p = a * b;
        ErrorFree.AddTo(ref hi, ref lo, p, Math.FusedMultiplyAdd(a, b, -p) + (aLo * b));
    }

    /// <summary>Key of a block: the codes of a term's categorical variables packed into one number.</summary>
    private static long Pack(ReadOnlySpan<int> codes)
    {
        int bits = codes.Length == 2 ? 31 : 21;
        long key = 0;
        foreach (int c in codes)
        {
            if (c >= 1L << bits)
            {
                throw new NotSupportedException($"An interaction of {codes.Length} categorical columns takes at most {1L << bits} levels of each.");
            }

            key = (key << bits) | (uint)c;
        }

        return key;
    }

    /// <summary>The products of two terms' features at the pairs of their blocks met on the same rows.</summary>
    private sealed class PairSums
    {
        private readonly SparseTerm _a;
        private readonly SparseTerm _b;
        private readonly bool _sameBlocks; // one categorical variable each, the same column: a row's blocks are the same code
        private readonly Dictionary<long, int>? _slots; // (block of a, block of b) → slot
        private readonly List<(int A, int B)> _cells = [];
        private readonly int _stride;
        private double[] _hi = [];
        private double[] _lo = [];
        private int _count;

        public PairSums(SparseTerm a, SparseTerm b)
        {
            _a = a;
            _b = b;
            _sameBlocks = a.Columns.Count == 1 && b.Columns.Count == 1 && a.Columns[0] == b.Columns[0];
            _slots = _sameBlocks ? null : [];
            _stride = a.Width * b.Width;
        }

        public void Add()
        {
            int slot;
            if (_sameBlocks)
            {
                slot = _a.Cell;
                if (slot >= _count)
                {
                    _count = slot + 1;
                }
            }
            else
            {
                long key = ((long)_a.Cell << 32) | (uint)_b.Cell;
                if (!_slots!.TryGetValue(key, out slot))
                {
                    slot = _slots.Count;
                    _slots.Add(key, slot);
                    _cells.Add((_a.Cell, _b.Cell));
                    _count = slot + 1;
                }
            }

            Ensure(ref _hi, ref _lo, _count * _stride);
            int at = slot * _stride;
            var va = _a.Weighted; // w·s of a's features, exactly with their low parts
            var vaLo = _a.WeightedLow;
            var vb = _b.Values;
            for (int i = 0; i < va.Length; i++)
            {
                for (int k = 0; k < vb.Length; k++)
                {
                    AddProduct(ref _hi[at + (i * vb.Length) + k], ref _lo[at + (i * vb.Length) + k], va[i], vaLo[i], vb[k]);
                }
            }
        }

        /// <summary>Writes the raw products into <paramref name="co"/>, at the features <paramref name="positions"/> gives each term's blocks.</summary>
        public void Place(int[][] positions, DoubleDouble[,] co)
        {
            var pa = positions[_a.Ordinal];
            var pb = positions[_b.Ordinal];
            int wa = _a.Width, wb = _b.Width;
            for (int slot = 0; slot < _count; slot++)
            {
                var (ca, cb) = _sameBlocks ? (slot, slot) : _cells[slot];
                for (int i = 0; i < wa; i++)
                {
                    int a = pa[(ca * wa) + i];
                    for (int k = 0; k < wb; k++)
                    {
                        int b = pb[(cb * wb) + k];
                        if (a >= 0 && b >= 0)
                        {
                            int x = (slot * _stride) + (i * wb) + k;
                            var v = DoubleDouble.TwoSum(_hi[x], _lo[x]);
                            co[a, b] = v;
                            co[b, a] = v;
                        }
                    }
                }
            }
        }
    }
}
