using LeastSquares.Numerics;
using LeastSquares.Terms;

namespace LeastSquares.State;

/// <summary>The sums of each term with categorical variables, block by block.</summary>
internal sealed partial class SparseLevelAccumulator
{
    /// <summary>The sums of one term with categorical variables, block by block (a block: one combination of its levels met).</summary>
    private sealed class SparseTerm
    {
        private readonly FormulaTerm _term;
        private readonly int _categorical; // categorical variables
        private readonly int _d; // dense values
        private readonly int _stride; // values a block holds: w sums, w·d products with the dense values, w·w products within
        private readonly Dictionary<long, int>? _cells; // several categorical variables: packed codes → block
        private readonly List<int> _cellCodes = []; // several categorical variables: each block's codes, one after another
        private double[] _hi = [];
        private double[] _lo = [];

        public SparseTerm(int ordinal, int index, FormulaTerm term, int d)
        {
            Ordinal = ordinal;
            Index = index;
            _term = term;
            _categorical = term.CategoricalColumns.Count;
            _d = d;
            Width = term.NumericWidth;
            _stride = Width * (1 + d + Width);
            _cells = _categorical > 1 ? [] : null;
            Codes = new int[_categorical];
            Values = new double[Width];
            Weighted = new double[Width];
            WeightedLow = new double[Width];
        }

        /// <summary>The term's index among the terms with categorical variables.</summary>
        public int Ordinal { get; }

        /// <summary>The term's index in the model.</summary>
        public int Index { get; }

        /// <summary>Features at a block: w.</summary>
        public int Width { get; }

        /// <summary>The data columns of the categorical variables.</summary>
        public IReadOnlyList<string> Columns => _term.CategoricalColumns;

        /// <summary>The current row's block.</summary>
        public int Cell { get; private set; }

        /// <summary>The current row's codes.</summary>
        public int[] Codes { get; }

        /// <summary>The current row's features at its block.</summary>
        public double[] Values { get; }

        /// <summary>The current row's features at its block times its weight, exactly: <see cref="Weighted"/> + <see cref="WeightedLow"/> (the features and 0 unweighted).</summary>
        public double[] Weighted { get; }

        /// <summary>The low parts of <see cref="Weighted"/>.</summary>
        public double[] WeightedLow { get; }

        /// <summary>Blocks met so far.</summary>
        public int CellCount { get; private set; }

        public void Add(ModelTerms terms, ReadOnlySpan<double> row, Span<double> scratch, double weight, double[] eHi, double[] eLo, long rowNumber)
        {
            _term.SparseParts(terms.ValuesOf(row, Index, scratch), Codes, Values);
            for (int i = 0; i < Width; i++)
            {
                if (!double.IsFinite(Values[i]))
                {
                    throw new FeatureValueException(_term.Label, Values[i], rowNumber);
                }
            }

            for (int i = 0; i < Width; i++)
            {
                double v = Values[i];
                double wv = weight * v;
                Weighted[i] = wv;
                WeightedLow[i] = Math.FusedMultiplyAdd(weight, v, -wv);
            }

            Cell = CellOf(Codes);
            int at = Cell * _stride;
            var hi = _hi.AsSpan(at, _stride);
            var lo = _lo.AsSpan(at, _stride);
            int w = Width;
            for (int i = 0; i < w; i++)
            {
                // v = w·s = vHi + vLo exactly (s and 0 unweighted).
                double v = Weighted[i];
                double vLo = WeightedLow[i];
                ErrorFree.AddTo(ref hi[i], ref lo[i], v, vLo);
                int cross = w + (i * _d);
                for (int j = 0; j < _d; j++)
                {
                    // v·e, e = eHi + eLo: vHi·eHi exact, the products with the low parts rounded (parts of 1e-32).
                    double p = v * eHi[j];
                    ErrorFree.AddTo(ref hi[cross + j], ref lo[cross + j], p, Math.FusedMultiplyAdd(v, eHi[j], -p) + (v * eLo[j]) + (vLo * eHi[j]));
                }

                int within = w + (w * _d) + (i * w);
                for (int k = 0; k < w; k++)
                {
                    AddProduct(ref hi[within + k], ref lo[within + k], v, vLo, Values[k]);
                }
            }
        }

        private int CellOf(int[] codes)
        {
            int cell;
            if (_cells is null)
            {
                cell = codes[0];
            }
            else if (!_cells.TryGetValue(Pack(codes), out cell))
            {
                cell = _cells.Count;
                _cells.Add(Pack(codes), cell);
                _cellCodes.AddRange(codes);
            }

            if (cell >= CellCount)
            {
                CellCount = cell + 1;
                Ensure(ref _hi, ref _lo, CellCount * _stride);
            }

            return cell;
        }

        /// <summary>The codes of block <paramref name="cell"/>.</summary>
        private ReadOnlySpan<int> CodesOf(int cell, Span<int> into)
        {
            if (_cells is null)
            {
                into[0] = cell;
                return into[..1];
            }

            return System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_cellCodes).Slice(cell * _categorical, _categorical);
        }

        /// <summary>
        /// Writes the term's part of the moments of <paramref name="terms"/> (the model with every
        /// level met): each feature's sum S (into <paramref name="sums"/>, marked in
        /// <paramref name="met"/>) and mean, its co-moments with the dense values, and its raw
        /// products with the term's other features. Returns the feature of each block's values
        /// (block·w + i), −1 where the model has none.
        /// </summary>
        public int[] Place(ModelTerms terms, DoubleDouble[] sums, bool[] met, DoubleDouble[] mean, DoubleDouble[,] co, int[] place, DoubleDouble[] offset, DoubleDouble n)
        {
            var term = (FormulaTerm)terms.TermList[Index];
            int first = terms.FirstFeatureOf(Index);
            int w = Width;
            var at = new int[CellCount * w];
            Span<int> scratch = stackalloc int[1];
            for (int c = 0; c < CellCount; c++)
            {
                var codes = CodesOf(c, scratch);
                for (int i = 0; i < w; i++)
                {
                    int f = term.FeatureAt(codes, i);
                    at[(c * w) + i] = f < 0 ? -1 : first + f;
                }
            }

            for (int c = 0; c < CellCount; c++)
            {
                int block = c * _stride;
                for (int i = 0; i < w; i++)
                {
                    int a = at[(c * w) + i];
                    var sum = DoubleDouble.TwoSum(_hi[block + i], _lo[block + i]);
                    if (a < 0)
                    {
                        continue;
                    }

                    sums[a] = sum;
                    met[a] = true;
                    mean[a] = sum / n;
                    for (int j = 0; j < _d; j++)
                    {
                        if (place[j] >= 0)
                        {
                            int x = block + w + (i * _d) + j;
                            var v = DoubleDouble.TwoSum(_hi[x], _lo[x]) - (offset[j] * sum);
                            co[a, place[j]] = v;
                            co[place[j], a] = v;
                        }
                    }

                    for (int k = 0; k < w; k++)
                    {
                        int b = at[(c * w) + k];
                        if (b >= 0)
                        {
                            int x = block + w + (w * _d) + (i * w) + k;
                            co[a, b] = DoubleDouble.TwoSum(_hi[x], _lo[x]);
                        }
                    }
                }
            }

            return at;
        }
    }

}
