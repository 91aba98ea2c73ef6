using System.Numerics;
using LeastSquares.Numerics;
using LeastSquares.State;
using LeastSquares.Terms;

namespace LeastSquares.Statistics;

/// <summary>
/// The second pass of a sandwich covariance for a design with categorical columns, which never
/// writes a row's indicator columns out: a row of such a term is 0 but at the block of its levels,
/// so its score wᵢeᵢ·xᵢ and its leverage hᵢ = wᵢ·xᵢᵀ(XᵀWX)⁻¹xᵢ touch only its few nonzero
/// features. The meat M = Σ ωᵢ·x̃ᵢx̃ᵢᵀ (clusters: each cluster's score sum) is summed at those
/// features, O(nnz²) per row however many levels there are, and the sandwich Ã⁻¹·M·Ã⁻¹ formed once
/// at the end, O(p³).
/// </summary>
/// <remarks>
/// The dense <see cref="SandwichAccumulator"/> forms (XᵀWX)⁻¹xᵢ per row from the centred moments
/// in double-double, O(p²) per row: 1,000 levels over 1,000,000 rows would take hours. Here x̃ is x
/// with its dense features (the terms without a categorical variable) centred at their weighted
/// means when there is an intercept, the indicator features as they are: Ã = X̃ᵀWX̃ comes from the
/// moments in double-double (the centred block as it is, Σw·s·s′ = C + W·s̄s̄′ for the sparse one),
/// so that an offset of 1e6 in a numeric column does not cancel away the digits of hᵢ and of the
/// sandwich, and is inverted in double-double as the dense pass inverts its moments (O(p³) once). The covariance
/// then goes back to the user's intercept: β₀ = β̃₀ − Σ c_d·β̃_d. The products with Ã⁻¹ are in
/// double: a design without an intercept (nothing to centre at) whose numeric columns sit far
/// from 0 relative to their spread (1e6 ± 0.3) loses digits the dense pass keeps.
/// </remarks>
internal sealed class SparseSandwich
{
    private readonly ModelTerms _terms;
    private readonly CovarianceType _type;
    private readonly double[] _beta;
    private readonly double[] _inverse; // Ã⁻¹, p×p row-major
    private readonly double[] _centre; // per coefficient: c_d of a dense feature with an intercept, else 0
    private readonly int _p;
    private readonly int _first; // 1 with an intercept (coefficient 0), else 0
    private readonly double[]? _meat; // p×p, row-major
    private readonly Dictionary<long, double[]>? _clusters;
    private readonly int[] _index; // the current row's nonzero features (coefficient indices) …
    private readonly double[] _value; // … and their values in x̃ (the dense ones centred) …
    private readonly double[] _raw; // … and in x
    private readonly double[] _scratch;
    private readonly int[] _codes = new int[3];
    private readonly double[] _numeric;

    /// <param name="fit">A full-rank fit of a design this pass <see cref="Takes"/>.</param>
    /// <param name="moments">The moments of its rows, in the fit's basis.</param>
    /// <param name="type">HC0 to HC3 (HC0 or HC1 clustered).</param>
    /// <param name="clustered">Rows come with a cluster id.</param>
    public SparseSandwich(FitResult fit, Moments moments, CovarianceType type, bool clustered)
    {
        _terms = fit.Terms;
        _type = type;
        _beta = [.. fit.Coefficients];
        _p = fit.CoefficientCount;
        _first = _terms.Intercept ? 1 : 0;
        if (moments.FeatureCount != _terms.FeatureCount || _p != _terms.FeatureCount + _first)
        {
            throw new ArgumentException("The moments are not those of the fit's features.", nameof(moments));
        }

        _centre = new double[_p];
        var means = new DoubleDouble[_p]; // per coefficient: the weighted mean of x̃ (1 for the intercept)
        var list = _terms.TermList;
        for (int t = 0; t < list.Count; t++)
        {
            bool dense = list[t] is not FormulaTerm { CategoricalColumns.Count: > 0 };
            for (int i = 0; i < list[t].FeatureCount; i++)
            {
                int f = _terms.FirstFeatureOf(t) + i;
                var mean = moments.GetMean(f);
                _centre[_first + f] = dense && _first == 1 ? mean.ToDouble() : 0;
                means[_first + f] = mean - _centre[_first + f];
            }
        }

        _inverse = Inverse(Gram(moments, means));
        _meat = clustered ? null : new double[_p * _p];
        _clusters = clustered ? [] : null;
        int widest = _terms.TermList.Max(t => t is FormulaTerm f && f.CategoricalColumns.Count > 0 ? f.NumericWidth : t.FeatureCount);
        _index = new int[_p];
        _value = new double[_p];
        _raw = new double[_p];
        _scratch = new double[Math.Max(16, _terms.RowWidth)];
        _numeric = new double[Math.Max(1, widest)];
    }

    /// <summary>
    /// True for the designs this pass takes: categorical columns, every term a plain column or a
    /// formula term with at most three categorical variables (no powers or orthogonal polynomials,
    /// whose user features are not the working ones), as the sparse accumulator of the fit takes them.
    /// </summary>
    public static bool Takes(ModelTerms terms) =>
        terms.HasFactors && terms.TermList.All(t => t is ColumnTerm || t is FormulaTerm { CategoricalColumns.Count: <= 3 });

    /// <summary>Rows of positive weight added.</summary>
    public long Count { get; private set; }

    /// <summary>Clusters seen.</summary>
    public int Groups => _clusters?.Count ?? 0;

    /// <summary>The first rows (1-based, among the rows added) whose leverage is 1 under HC2/HC3.</summary>
    public List<long> LeverageOneRows { get; } = [];

    /// <summary>How many rows have leverage 1 under HC2/HC3.</summary>
    public long LeverageOneCount { get; private set; }

    /// <summary>Adds one row <c>[x₁, …, x_k, y]</c> (level codes of the fit's terms) with its weight and cluster.</summary>
    public void Add(ReadOnlySpan<double> row, double weight, long cluster)
    {
        if (weight == 0)
        {
            return;
        }

        int n = Nonzeros(row);
        var fitted = DoubleDouble.Zero;
        for (int a = 0; a < n; a++)
        {
            fitted += DoubleDouble.TwoProduct(_beta[_index[a]], _raw[a]);
        }

        double score = weight * (_terms.ResponseOf(row) - fitted).ToDouble();
        Count++;
        if (_clusters is not null)
        {
            if (!_clusters.TryGetValue(cluster, out var sum))
            {
                sum = new double[_p];
                _clusters.Add(cluster, sum);
            }

            for (int a = 0; a < n; a++)
            {
                sum[_index[a]] += score * _value[a];
            }

            return;
        }

        double omega = score * score;
        if (_type is CovarianceType.HC2 or CovarianceType.HC3)
        {
            double h = 0;
            for (int a = 0; a < n; a++)
            {
                double row2 = 0;
                for (int b = 0; b < n; b++)
                {
                    row2 += _inverse[(_index[a] * _p) + _index[b]] * _value[b];
                }

                h += _value[a] * row2;
            }

            double one = 1 - (weight * h);
            omega = _type == CovarianceType.HC2 ? omega / one : omega / (one * one);
            if (weight * h > 1 - Math.Sqrt(Math.Pow(2, -52)))
            {
                // As in the dense pass: a row of leverage 1 makes the covariance undefined (sandwich gives NaN).
                omega = double.NaN;
                LeverageOneCount++;
                if (LeverageOneRows.Count < SandwichAccumulator.NamedRows)
                {
                    LeverageOneRows.Add(Count);
                }
            }
        }

        var meat = _meat!;
        for (int a = 0; a < n; a++)
        {
            double oa = omega * _value[a];
            int at = _index[a] * _p;
            for (int b = 0; b < n; b++)
            {
                meat[at + _index[b]] += oa * _value[b];
            }
        }
    }

    /// <summary>
    /// Ã = X̃ᵀWX̃ from the moments: Σw·x̃ₐx̃_b = C_ab + W·m̃ₐm̃_b with m̃ the means of x̃ (<paramref name="means"/>:
    /// 0 for a centred feature, 1 for the intercept), in double-double.
    /// </summary>
    private DoubleDouble[,] Gram(Moments moments, DoubleDouble[] means)
    {
        int p = _p;
        var weight = moments.Weight;
        if (_first == 1)
        {
            means[0] = DoubleDouble.One;
        }

        var gram = new DoubleDouble[p, p];
        for (int a = 0; a < p; a++)
        {
            var wa = weight * means[a];
            for (int b = a; b < p; b++)
            {
                var v = wa * means[b];
                if (a >= _first)
                {
                    v += moments.GetComoment(a - _first, b - _first);
                }

                gram[a, b] = v;
                gram[b, a] = v;
            }
        }

        return gram;
    }

    /// <summary>The inverse of Ã (double-double, as the dense pass inverts its moments), rounded into a p×p row-major array.</summary>
    private double[] Inverse(DoubleDouble[,] a)
    {
        if (DdMatrix.Cholesky(a, DdMatrix.RankTolerance, out var r) >= 0)
        {
            throw new ArgumentException("A robust covariance needs a full-rank design.", nameof(a));
        }

        var inverse = DdMatrix.InverseFromCholesky(r);
        int p = _p;
        var result = new double[p * p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                result[(i * p) + j] = inverse[i, j].ToDouble();
            }
        }

        return result;
    }

    /// <summary>Writes the row's nonzero features of x̃ (intercept first) into <see cref="_index"/> and <see cref="_value"/>; returns how many.</summary>
    private int Nonzeros(ReadOnlySpan<double> row)
    {
        int n = 0;
        if (_first == 1)
        {
            _index[n] = 0;
            _raw[n] = 1;
            _value[n++] = 1;
        }

        var list = _terms.TermList;
        for (int t = 0; t < list.Count; t++)
        {
            var term = list[t];
            int first = _first + _terms.FirstFeatureOf(t);
            var values = _terms.ValuesOf(row, t, _scratch);
            if (term is FormulaTerm { CategoricalColumns.Count: > 0 } formula)
            {
                int w = formula.NumericWidth;
                formula.SparseParts(values, _codes, _numeric);
                for (int i = 0; i < w; i++)
                {
                    int f = formula.FeatureAt(_codes.AsSpan(0, formula.CategoricalColumns.Count), i);
                    if (f >= 0 && _numeric[i] != 0)
                    {
                        _index[n] = first + f;
                        _raw[n] = _numeric[i];
                        _value[n++] = _numeric[i];
                    }
                }
            }
            else
            {
                var features = _raw.AsSpan(n, term.FeatureCount);
                term.WorkingFeatures(values, 0, features);
                for (int i = 0; i < features.Length; i++)
                {
                    _index[n + i] = first + i;
                    _value[n + i] = features[i] - _centre[first + i];
                }

                n += features.Length;
            }
        }

        return n;
    }

    /// <summary>The sandwich in the user's basis, not yet scaled (HC1's n/(n − p), the clusters' G/(G − 1)).</summary>
    public double[,] Sandwich()
    {
        int p = _p;
        var inverse = _inverse;
        var v = new double[p, p];
        if (_clusters is not null)
        {
            // Each cluster's (XᵀWX)⁻¹·s_g, then Σ_g of their outer products.
            var u = new double[p];
            var sum = new double[p * p];
            foreach (var s in _clusters.Values)
            {
                Array.Clear(u);
                for (int k = 0; k < p; k++)
                {
                    if (s[k] != 0)
                    {
                        AddScaled(u, inverse.AsSpan(k * p, p), s[k]); // (XᵀWX)⁻¹ is symmetric: its column k is its row k
                    }
                }

                for (int i = 0; i < p; i++)
                {
                    AddScaled(sum.AsSpan(i * p, p), u, u[i]);
                }
            }

            Uncentre(sum);
            Copy(sum, v, p);
            return v;
        }

        // T = M·(XᵀWX)⁻¹ row by row over M's nonzeros, then (XᵀWX)⁻¹·T.
        var meat = _meat!;
        var t = new double[p * p];
        for (int i = 0; i < p; i++)
        {
            var ti = t.AsSpan(i * p, p);
            for (int k = 0; k < p; k++)
            {
                double m = meat[(i * p) + k];
                if (m != 0)
                {
                    AddScaled(ti, inverse.AsSpan(k * p, p), m);
                }
            }
        }

        var result = new double[p * p];
        for (int i = 0; i < p; i++)
        {
            var ri = result.AsSpan(i * p, p);
            for (int k = 0; k < p; k++)
            {
                double a = inverse[(i * p) + k];
                if (a != 0)
                {
                    AddScaled(ri, t.AsSpan(k * p, p), a);
                }
            }
        }

        Uncentre(result);

        // Symmetric in exact arithmetic: its two triangles averaged.
        for (int i = 0; i < p; i++)
        {
            for (int j = i; j < p; j++)
            {
                double s = 0.5 * (result[(i * p) + j] + result[(j * p) + i]);
                v[i, j] = s;
                v[j, i] = s;
            }
        }

        return v;
    }

    /// <summary>Ṽ of β̃ (the intercept at the centred features) to V of β: β₀ = β̃₀ − Σ c_d·β̃_d, so V = SᵀṼS, row 0 then column 0.</summary>
    private void Uncentre(double[] v)
    {
        if (_first == 0)
        {
            return;
        }

        int p = _p;
        var row0 = v.AsSpan(0, p);
        for (int d = 1; d < p; d++)
        {
            if (_centre[d] != 0)
            {
                AddScaled(row0, v.AsSpan(d * p, p), -_centre[d]);
            }
        }

        for (int i = 0; i < p; i++)
        {
            var ri = v.AsSpan(i * p, p);
            double sum = ri[0];
            for (int d = 1; d < p; d++)
            {
                sum -= _centre[d] * ri[d];
            }

            ri[0] = sum;
        }
    }

    private static void Copy(double[] from, double[,] to, int p)
    {
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < p; j++)
            {
                to[i, j] = from[(i * p) + j];
            }
        }
    }

    /// <summary>y += a·x.</summary>
    private static void AddScaled(Span<double> y, ReadOnlySpan<double> x, double a)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<double>(a);
            int width = Vector<double>.Count;
            for (; i <= y.Length - width; i += width)
            {
                var vy = new Vector<double>(y[i..]);
                (vy + (va * new Vector<double>(x[i..]))).CopyTo(y[i..]);
            }
        }

        for (; i < y.Length; i++)
        {
            y[i] += a * x[i];
        }
    }
}
