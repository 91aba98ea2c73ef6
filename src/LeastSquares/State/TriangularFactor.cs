using LeastSquares.Numerics;
using LeastSquares.Terms;

namespace LeastSquares.State;

/// <summary>
/// The state of a QR fit: the upper-triangular factor R of the augmented working design
/// A = [1, g₁ … g_q, y − s_y], so that AᵀA = RᵀR, kept in double-double. Its size is (q + 2)² whatever
/// the number of rows, and two factors of disjoint row sets merge by one more QR step.
/// </summary>
/// <remarks>
/// <para>
/// The working features gⱼ are those of <see cref="Moments"/> — the predictors for a linear model,
/// the powers (x − c)ʲ for a polynomial (c = <see cref="Centre"/>) — less a shift sⱼ taken from the
/// first row, so a common offset such as a timestamp never enters the arithmetic. A model without
/// an intercept is stored unshifted (a shift would bring an intercept in).
/// </para>
/// <para>
/// The column of ones is always the first: row 0 of R then carries the means
/// (R₀ⱼ/R₀₀ = mean of column j) and the rows below it are the Cholesky factor of the centred
/// co-moments, so the <see cref="Moments"/> of the same rows follow from R without another pass.
/// For the fitted θ the residual norm is the last diagonal entry: SSE = R²_yy.
/// </para>
/// </remarks>
public sealed class TriangularFactor : IModelState
{
    /// <inheritdoc/>
    IModelState IModelState.Merge(IModelState other) =>
        Merge(this, other as TriangularFactor ?? throw new ArgumentException("A triangular factor merges with a triangular factor only.", nameof(other)));

    internal TriangularFactor(ModelTerms terms, double centre, double[] shift, long count, DoubleDouble[,] r, double? logWeights = null)
    {
        LogWeights = logWeights;
        Terms = terms;
        Centre = terms.UsesCentre ? centre : 0.0;
        Shift = shift;
        Count = count;
        R = r;
    }

    /// <summary>The model.</summary>
    public ModelTerms Terms { get; }

    /// <summary>For a polynomial, the centre c of the working features (x − c)ʲ; 0 otherwise.</summary>
    public double Centre { get; }

    /// <summary>Number of rows folded in.</summary>
    public long Count { get; }

    /// <summary>
    /// Σ log w over the rows when they are weighted (each row of A then scaled by √w, so R₀₀² is
    /// the total weight); null for unweighted rows.
    /// </summary>
    public double? LogWeights { get; }

    /// <summary>Number of columns of the augmented design: the ones, the q working features and the response.</summary>
    public int Size => Terms.FeatureCount + 2;

    /// <summary>The shift subtracted from working feature j (j &lt; q) and from the response (j = q).</summary>
    internal double[] Shift { get; }

    /// <summary>The (q + 2)×(q + 2) upper-triangular factor.</summary>
    internal DoubleDouble[,] R { get; }

    /// <summary>Entry (i, j) of R (zero below the diagonal). Column 0 is the intercept's, column q + 1 the response's.</summary>
    public DoubleDouble GetEntry(int i, int j) => R[i, j];

    /// <summary>An empty factor of <paramref name="terms"/>.</summary>
    internal static TriangularFactor Empty(ModelTerms terms) =>
        new(terms, 0, new double[terms.FeatureCount + 1], 0, new DoubleDouble[terms.FeatureCount + 2, terms.FeatureCount + 2]);

    /// <summary>
    /// The factor of the rows summarised by <paramref name="moments"/>, unshifted, in their working
    /// basis: row 0 is √n·(1, means) and the rows below are the Cholesky factor of the centred
    /// co-moments, computed in double-double. Its error grows with the condition of the centred
    /// design only, which is what lets the normal-equation solver drop the intercept from a
    /// polynomial's well-conditioned basis (x − c)ʲ rather than form the raw powers' Gram matrix. A
    /// column that is a combination of the earlier ones and the constant gets a zero row.
    /// </summary>
    public static TriangularFactor FromMoments(Moments moments)
    {
        ArgumentNullException.ThrowIfNull(moments);
        var terms = moments.Terms;
        int q = terms.FeatureCount;
        int m = q + 2;
        var r = new DoubleDouble[m, m];
        var root = DoubleDouble.Sqrt(moments.Weight);
        r[0, 0] = root;
        for (int j = 0; j <= q; j++)
        {
            r[0, j + 1] = root * moments.Mean[j];
        }

        for (int k = 0; k <= q; k++)
        {
            var d = moments.Co[k, k];
            for (int i = 1; i <= k; i++)
            {
                d -= r[i, k + 1] * r[i, k + 1];
            }

            if (!(d.Hi > DdMatrix.RankTolerance * moments.Co[k, k].Hi))
            {
                continue;
            }

            var rkk = DoubleDouble.Sqrt(d);
            r[k + 1, k + 1] = rkk;
            for (int j = k + 1; j <= q; j++)
            {
                var s = moments.Co[k, j];
                for (int i = 1; i <= k; i++)
                {
                    s -= r[i, k + 1] * r[i, j + 1];
                }

                r[k + 1, j + 1] = s / rkk;
            }
        }

        return new TriangularFactor(terms, moments.Centre, new double[q + 1], moments.Count, r, moments.Weights?.LogSum);
    }

    /// <summary>
    /// Combines the factors of two disjoint sets of rows of the same model: R is the triangular
    /// factor of [R_a; R_b] (after moving b to a's shift and centre), up to double-double rounding.
    /// </summary>
    /// <exception cref="ArgumentException">The models differ.</exception>
    public static TriangularFactor Merge(TriangularFactor a, TriangularFactor b)
    {
        if (ModelStates.Settled(a, b) is { } settled)
        {
            return settled;
        }

        if ((a.LogWeights is null) != (b.LogWeights is null))
        {
            throw new ArgumentException("Weighted and unweighted factors do not merge.", nameof(b));
        }

        if (a.Terms.HasFactors && !a.Terms.SameLevels(b.Terms))
        {
            // Parts that met different levels: both move to the union of the levels, by name.
            var united = ModelTerms.UniteLevels(a.Terms, b.Terms);
            a = a.Reindex(united);
            b = b.Reindex(united);
        }

        var moved = b.Rebase(a.Centre, a.Shift);
        int m = a.Size;
        var r = (DoubleDouble[,])a.R.Clone();
        var block = new DoubleDouble[m * m];
        for (int j = 0; j < m; j++)
        {
            for (int i = 0; i <= j; i++)
            {
                block[(j * m) + i] = moved.R[i, j];
            }
        }

        Householder.Absorb(r, block, m, m);
        return new TriangularFactor(a.Terms, a.Centre, (double[])a.Shift.Clone(), a.Count + b.Count, r, a.LogWeights + b.LogWeights);
    }

    /// <summary>
    /// The factor of the same rows for <paramref name="terms"/>, a model of the same formula whose
    /// features are a selection of these (the reference levels left out) or these and more (levels
    /// these rows never met: columns of zeros). Features are matched by <see cref="ModelTerms.FeatureKeys"/>;
    /// the selected columns of R are triangularised again (a QR of a (q + 2)-row matrix).
    /// </summary>
    public TriangularFactor Reindex(ModelTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var map = terms.FeatureMap(Terms);
        int q = Terms.FeatureCount;
        int qn = map.Length;
        int mo = Size;
        int mn = qn + 2;
        var from = new int[mn]; // the column of A each new column is (−1: zeros)
        var shift = new double[qn + 1];
        for (int i = 0; i < qn; i++)
        {
            from[i + 1] = map[i] < 0 ? -1 : map[i] + 1;
            shift[i] = map[i] < 0 ? 0 : Shift[map[i]];
        }

        from[mn - 1] = mo - 1;
        shift[qn] = Shift[q];
        var block = new DoubleDouble[mn * mo];
        for (int j = 0; j < mn; j++)
        {
            if (from[j] >= 0)
            {
                for (int i = 0; i <= from[j]; i++)
                {
                    block[(j * mo) + i] = R[i, from[j]];
                }
            }
        }

        var r = new DoubleDouble[mn, mn];
        Householder.Absorb(r, block, mo, mo);
        return new TriangularFactor(terms, Centre, shift, Count, r, LogWeights);
    }

    /// <summary>
    /// The moments of the same rows: n, the means (R₀ⱼ/R₀₀ plus the shift) and the centred
    /// co-moments (the Gram matrix of rows 1… of R), all in double-double.
    /// </summary>
    public Moments ToMoments()
    {
        int q = Terms.FeatureCount;
        var mean = new DoubleDouble[q + 1];
        var co = new DoubleDouble[q + 1, q + 1];
        if (Count == 0)
        {
            return new Moments(Terms, Centre, 0, mean, co, LogWeights is { } empty ? new RowWeights(DoubleDouble.Zero, empty) : null);
        }

        for (int j = 0; j <= q; j++)
        {
            mean[j] = (R[0, j + 1] / R[0, 0]) + Shift[j];
        }

        // The co-moments are the Gram matrix of R's rows and columns 1…: entry (j, k) is
        // Σ_{1≤i≤j+1} R[i, j+1]·R[i, k+1], over i in order (DdMatrix.Gram, a row at a time). A
        // fit needs few of them, so the matrix is formed when something asks for all of it.
        var r = R;
        DoubleDouble[,] All()
        {
            var lower = new DoubleDouble[q + 1, q + 1];
            for (int i = 0; i <= q; i++)
            {
                for (int j = i; j <= q; j++)
                {
                    lower[i, j] = r[i + 1, j + 1];
                }
            }

            var gram = DdMatrix.Gram(lower);
            var co = new DoubleDouble[q + 1, q + 1];
            for (int j = 0; j <= q; j++)
            {
                for (int k = j; k <= q; k++)
                {
                    co[j, k] = gram[j, k];
                    co[k, j] = gram[j, k];
                }
            }

            return co;
        }

        // One entry by the same steps, in the same order, as DdMatrix.Gram takes for it.
        DoubleDouble Entry(int j, int k)
        {
            var sum = DoubleDouble.Zero;
            for (int i = 0; i <= Math.Min(j, k); i++)
            {
                sum += r[i + 1, j + 1] * r[i + 1, k + 1];
            }

            return sum;
        }

        return Moments.Deferred(Terms, Centre, Count, mean, LogWeights is { } logs ? new RowWeights(R[0, 0] * R[0, 0], logs) : null, All, Entry);
    }

    /// <summary>
    /// The factor of the same rows with another centre and shift: the new columns are fixed
    /// combinations of the old ones and of the column of ones (which comes first), A' = A·T with T
    /// upper triangular, so R' = R·T is still triangular.
    /// </summary>
    internal TriangularFactor Rebase(double centre, double[] shift)
    {
        int q = Terms.FeatureCount;
        int m = Size;
        if (centre == Centre && shift.AsSpan().SequenceEqual(Shift))
        {
            return this;
        }

        // Column j of A' in terms of the columns of A: t[k, j] with k ≤ j.
        var t = new DoubleDouble[m, m];
        t[0, 0] = DoubleDouble.One;
        if (centre != Centre && Terms.Recentre(DoubleDouble.TwoDiff(Centre, centre)) is { } map)
        {
            var (l, s) = map;
            // f' = Σᵢ L[j, i]·f + S[j] (for powers: (x − c')ʲ from the (x − c)ⁱ)
            for (int j = 0; j < q; j++)
            {
                for (int i = 0; i <= j; i++)
                {
                    t[i + 1, j + 1] = l[j, i];
                }

                // g' = f' − s'ⱼ and f' = Σ L·(g + s) + S
                var constant = s[j] - shift[j];
                for (int i = 0; i <= j; i++)
                {
                    constant += l[j, i] * Shift[i];
                }

                t[0, j + 1] = constant;
            }
        }
        else
        {
            for (int j = 0; j < q; j++)
            {
                t[j + 1, j + 1] = DoubleDouble.One;
                t[0, j + 1] = DoubleDouble.TwoDiff(Shift[j], shift[j]);
            }
        }

        t[q + 1, q + 1] = DoubleDouble.One;
        t[0, q + 1] = DoubleDouble.TwoDiff(Shift[q], shift[q]);
        // T is sparse (the identity and a first row, unless the centre moves a polynomial's
        // powers): each column's nonzero rows are listed once, so R·T costs O(m²) for a shift,
        // not a test of all m³/6 entries (it runs for every part a parallel read merges).
        var nonzero = new List<int>[m];
        for (int j = 0; j < m; j++)
        {
            nonzero[j] = [];
            for (int k = 0; k <= j; k++)
            {
                if (t[k, j].Hi != 0)
                {
                    nonzero[j].Add(k);
                }
            }
        }

        var r = new DoubleDouble[m, m];
        for (int i = 0; i < m; i++)
        {
            for (int j = i; j < m; j++)
            {
                var acc = DoubleDouble.Zero;
                foreach (int k in nonzero[j])
                {
                    if (k >= i)
                    {
                        acc += R[i, k] * t[k, j];
                    }
                }

                r[i, j] = acc;
            }
        }

        return new TriangularFactor(Terms, centre, (double[])shift.Clone(), Count, r, LogWeights);
    }
}
