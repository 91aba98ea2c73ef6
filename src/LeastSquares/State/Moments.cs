using LeastSquares.Numerics;
using LeastSquares.Terms;

namespace LeastSquares.State;

/// <summary>
/// The sufficient statistics of a least-squares problem, in a form that keeps its accuracy:
/// the row count n, the mean of every feature and of the response, and the centred co-moment
/// matrix C = Σᵢ (zᵢ − z̄)(zᵢ − z̄)ᵀ of z = (features, response), all in double-double.
/// Its size depends on the number of terms only. Every solver, every printed loss and the merge
/// of partial fits work from it.
/// </summary>
/// <remarks>
/// The features are those of the <em>working basis</em>: the predictors themselves for a linear
/// model, and the powers (x − c)ʲ of the centred predictor for a polynomial (c =
/// <see cref="Centre"/>), which is far better conditioned than the raw powers. Centred
/// co-moments do not change when a column is shifted, so a predictor offset by 1e9 costs nothing.
/// </remarks>
public sealed class Moments : IModelState
{
    /// <inheritdoc/>
    Moments IModelState.ToMoments() => this;

    /// <inheritdoc/>
    IModelState IModelState.Merge(IModelState other) =>
        Merge(this, other as Moments ?? throw new ArgumentException("Moments merge with moments only.", nameof(other)));

    /// <summary>Creates moments from their parts (copied). Index q (the last) is the response.</summary>
    public Moments(ModelTerms terms, double centre, long count, DoubleDouble[] mean, DoubleDouble[,] comoments)
        : this(terms, centre, count, mean, comoments, null)
    {
    }

    /// <summary>
    /// Creates the moments of weighted rows (as <c>lm(weights =)</c> weighs them): <paramref name="count"/>
    /// rows of positive weight, the means weighted, the co-moments Σᵢ wᵢ(zᵢ − z̄)(zᵢ − z̄)ᵀ, and
    /// <paramref name="weights"/> their total weight and Σ log wᵢ. Null weights: unweighted rows.
    /// </summary>
    public Moments(ModelTerms terms, double centre, long count, DoubleDouble[] mean, DoubleDouble[,] comoments, RowWeights? weights)
        : this(terms, centre, count, mean, comoments, weights, copy: true)
    {
    }

    /// <summary>Moments that take <paramref name="mean"/> and <paramref name="comoments"/> as they are, for arrays made for them (a wide model's are megabytes).</summary>
    internal static Moments Adopt(ModelTerms terms, double centre, long count, DoubleDouble[] mean, DoubleDouble[,] comoments, RowWeights? weights = null) =>
        new(terms, centre, count, mean, comoments, weights, copy: false);

    private Moments(ModelTerms terms, double centre, long count, DoubleDouble[] mean, DoubleDouble[,] comoments, RowWeights? weights, bool copy)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(comoments);
        int m = terms.FeatureCount + 1;
        if (mean.Length != m || comoments.GetLength(0) != m || comoments.GetLength(1) != m)
        {
            throw new ArgumentException($"Moments of this model need {m} means and a {m}×{m} matrix.", nameof(mean));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Terms = terms;
        Centre = terms.UsesCentre ? centre : 0.0;
        Count = count;
        Mean = copy ? (DoubleDouble[])mean.Clone() : mean;
        _co = copy ? (DoubleDouble[,])comoments.Clone() : comoments;
        Weights = weights;
    }

    private Moments(ModelTerms terms, double centre, long count, DoubleDouble[] mean, RowWeights? weights,
        Func<DoubleDouble[,]> comoments, Func<int, int, DoubleDouble> entry)
    {
        Terms = terms;
        Centre = terms.UsesCentre ? centre : 0.0;
        Count = count;
        Mean = mean;
        Weights = weights;
        _deferred = new Lazy<DoubleDouble[,]>(comoments);
        _entry = entry;
    }

    /// <summary>
    /// Moments whose co-moment matrix is formed only when something reads it whole: a wide QR fit
    /// needs its means and one or two entries (<paramref name="entry"/>, which must give the bits
    /// the whole matrix would hold), and forming all of them costs p³/6 double-double steps.
    /// </summary>
    internal static Moments Deferred(ModelTerms terms, double centre, long count, DoubleDouble[] mean, RowWeights? weights,
        Func<DoubleDouble[,]> comoments, Func<int, int, DoubleDouble> entry) =>
        new(terms, centre, count, mean, weights, comoments, entry);

    /// <summary>The total weight and Σ log w of weighted rows; null when the rows are not weighted (each weighs 1).</summary>
    public RowWeights? Weights { get; }

    /// <summary>The total weight: Σ w of weighted rows, else the row count. Means are divided by it.</summary>
    public DoubleDouble Weight => Weights?.Total ?? new DoubleDouble(Count);

    /// <summary>The model these moments belong to.</summary>
    public ModelTerms Terms { get; }

    /// <summary>For a polynomial, the centre c of the working features (x − c)ʲ; 0 otherwise.</summary>
    public double Centre { get; }

    /// <summary>Number of rows accumulated.</summary>
    public long Count { get; }

    /// <summary>Number of working features q (the response is index q).</summary>
    public int FeatureCount => Terms.FeatureCount;

    internal DoubleDouble[] Mean { get; }

    internal DoubleDouble[,] Co => _co ?? _deferred!.Value;

    private readonly DoubleDouble[,]? _co; // given at construction, or
    private readonly Lazy<DoubleDouble[,]>? _deferred; // formed on first read (thread-safe)
    private readonly Func<int, int, DoubleDouble>? _entry;

    /// <summary>Mean of working feature j, or of the response when j = q.</summary>
    public DoubleDouble GetMean(int j) => Mean[j];

    /// <summary>Centred co-moment (sum, not divided by n) of working columns i and j.</summary>
    public DoubleDouble GetComoment(int i, int j) => _deferred is { IsValueCreated: false } ? _entry!(i, j) : Co[i, j];

    /// <summary>
    /// Combines the moments of two disjoint sets of rows of the same model (Chan, Golub and
    /// LeVeque's pairwise update), exactly up to double-double rounding. Commutative and
    /// associative to that accuracy. Either side may hold zero rows (an empty part of a split
    /// input); the other is then returned unchanged. For a polynomial the result keeps the
    /// centre of <paramref name="a"/> (of the non-empty side when one is empty).
    /// </summary>
    /// <exception cref="ArgumentException">The models differ.</exception>
    public static Moments Merge(Moments a, Moments b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (ModelStates.Settled(a, b) is { } settled)
        {
            return settled;
        }

        if (a.Terms.HasFactors && !a.Terms.SameLevels(b.Terms))
        {
            // Parts that met different levels: both move to the union of the levels, by name.
            var united = ModelTerms.UniteLevels(a.Terms, b.Terms);
            a = a.Reindex(united);
            b = b.Reindex(united);
        }

        if (a.Terms.UsesCentre && b.Centre != a.Centre)
        {
            b = b.Recentre(a.Centre);
        }

        if ((a.Weights is null) != (b.Weights is null))
        {
            throw new ArgumentException("Weighted and unweighted moments do not merge.", nameof(b));
        }

        int m = a.Mean.Length;
        long n = a.Count + b.Count;
        var mean = new DoubleDouble[m];
        var delta = new DoubleDouble[m];
        var total = a.Weight + b.Weight;
        DoubleDouble wb = b.Weight / total;
        DoubleDouble w = a.Weight * b.Weight / total;
        for (int j = 0; j < m; j++)
        {
            delta[j] = b.Mean[j] - a.Mean[j];
            mean[j] = a.Mean[j] + delta[j] * wb;
        }

        var co = new DoubleDouble[m, m];
        for (int i = 0; i < m; i++)
        {
            for (int j = i; j < m; j++)
            {
                var v = a.Co[i, j] + b.Co[i, j] + delta[i] * delta[j] * w;
                co[i, j] = v;
                co[j, i] = v;
            }
        }

        var weights = a.Weights is { } wa && b.Weights is { } wbs ? new RowWeights(total, wa.LogSum + wbs.LogSum) : null;
        return Adopt(a.Terms, a.Centre, n, mean, co, weights);
    }

    /// <summary>
    /// The same moments for <paramref name="terms"/>, a model of the same formula whose features are
    /// a selection of these (a coded model's, the reference levels left out) or these and more (levels
    /// these rows never met, whose indicators were 0 on every row: a mean of 0 and co-moments of 0).
    /// Features are matched by <see cref="ModelTerms.FeatureKeys"/>.
    /// </summary>
    public Moments Reindex(ModelTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var map = terms.FeatureMap(Terms);
        int q = map.Length;
        var from = new int[q + 1];
        map.CopyTo(from, 0);
        from[q] = FeatureCount; // the response
        var mean = new DoubleDouble[q + 1];
        var co = new DoubleDouble[q + 1, q + 1];
        for (int i = 0; i <= q; i++)
        {
            if (from[i] < 0)
            {
                continue;
            }

            mean[i] = Mean[from[i]];
            for (int j = 0; j <= q; j++)
            {
                if (from[j] >= 0)
                {
                    co[i, j] = Co[from[i], from[j]];
                }
            }
        }

        return new Moments(terms, Centre, Count, mean, co, Weights);
    }

    /// <summary>
    /// The moments of the rows of <paramref name="total"/> that are not in <paramref name="part"/>
    /// (a subset of them): Chan's pairwise update run backwards, in double-double. This is how a
    /// cross-validation training set is had from the whole and one fold without a second pass.
    /// </summary>
    /// <exception cref="ArgumentException">The models differ, the part has more rows than the total, or the rows are weighted.</exception>
    public static Moments Subtract(Moments total, Moments part)
    {
        ArgumentNullException.ThrowIfNull(total);
        ArgumentNullException.ThrowIfNull(part);
        if (!total.Terms.SameModelAs(part.Terms) || part.Count > total.Count || total.Weights is not null || part.Weights is not null)
        {
            throw new ArgumentException("Only a part of the same model's rows can be taken from the total.", nameof(part));
        }

        if (part.Count == 0)
        {
            return total;
        }

        if (total.Terms.UsesCentre && part.Centre != total.Centre)
        {
            part = part.Recentre(total.Centre);
        }

        int m = total.Mean.Length;
        long n = total.Count - part.Count;
        var mean = new DoubleDouble[m];
        var delta = new DoubleDouble[m];
        if (n == 0)
        {
            return new Moments(total.Terms, total.Centre, 0, mean, new DoubleDouble[m, m]);
        }

        DoubleDouble w = new DoubleDouble(n) * part.Count / total.Count;
        for (int j = 0; j < m; j++)
        {
            // total·N = rest·n + part·k, so rest = (total·N − part·k)/n; delta = part − rest.
            mean[j] = ((total.Mean[j] * (double)total.Count) - (part.Mean[j] * (double)part.Count)) / n;
            delta[j] = part.Mean[j] - mean[j];
        }

        var co = new DoubleDouble[m, m];
        for (int i = 0; i < m; i++)
        {
            for (int j = i; j < m; j++)
            {
                var v = total.Co[i, j] - part.Co[i, j] - (delta[i] * delta[j] * w);
                co[i, j] = v;
                co[j, i] = v;
            }
        }

        return new Moments(total.Terms, total.Centre, n, mean, co);
    }

    /// <summary>
    /// The moments of the affinely transformed features g = L·f + s (the response is unchanged).
    /// L is q×q, s has q entries.
    /// </summary>
    public Moments Transform(DoubleDouble[,] l, DoubleDouble[] s, double newCentre)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(s);
        int q = FeatureCount;
        int m = q + 1;
        var full = new DoubleDouble[m, m];
        for (int i = 0; i < q; i++)
        {
            for (int j = 0; j < q; j++)
            {
                full[i, j] = l[i, j];
            }
        }

        full[q, q] = DoubleDouble.One;
        var mean = new DoubleDouble[m];
        for (int i = 0; i < m; i++)
        {
            var acc = i < q ? s[i] : DoubleDouble.Zero;
            for (int k = 0; k < m; k++)
            {
                if (full[i, k].Hi != 0)
                {
                    acc += full[i, k] * Mean[k];
                }
            }

            mean[i] = acc;
        }

        var co = DdMatrix.Congruence(full, Co, symmetric: true);
        return new Moments(Terms, newCentre, Count, mean, co, Weights);
    }

    /// <summary>
    /// For a polynomial, the same moments with the working features (x − c')ʲ around another
    /// centre c'. <c>Recentre(0)</c> gives the moments of the raw powers xʲ.
    /// </summary>
    public Moments Recentre(double newCentre)
    {
        if (newCentre == Centre || Terms.Recentre(DoubleDouble.TwoDiff(Centre, newCentre)) is not { } map)
        {
            return this;
        }

        var (l, s) = map;
        return Transform(l, s, newCentre);
    }
}

/// <summary>What weighted moments keep of their weights: the total Σ w and Σ log w (for R's log-likelihood), over the rows of positive weight.</summary>
public sealed record RowWeights(DoubleDouble Total, double LogSum);
