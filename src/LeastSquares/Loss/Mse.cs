using LeastSquares.Numerics;
using LeastSquares.State;

namespace LeastSquares.Loss;

/// <summary>
/// The loss every solver minimises and every printed loss reports: the mean squared error
/// <code>
///   MSE(θ) = (1/n)·Σᵢ (xᵢᵀθ − yᵢ)²,   ∇MSE(θ) = (2/n)·Xᵀ(Xθ − y),
/// </code>
/// where θ = (θ₀, β₁, …, β_q), θ₀ is the intercept (held at 0 in a model without one) and xᵢ
/// starts with the intercept's 1. Note the 1/n scaling: it is the mean, not the sum, and the
/// gradient carries the factor 2.
/// </summary>
/// <remarks>
/// From the moments (n, means x̄ and ȳ, centred co-moments C) the loss is evaluated without
/// touching the rows, in the numerically safe centred form
/// <code>
///   MSE = (C_yy − 2βᵀC_xy + βᵀC_xxβ)/n + e²,    e = ȳ − θ₀ − x̄ᵀβ,
///   ∂/∂θ₀ = −2e,   ∂/∂β = (2/n)(C_xxβ − C_xy) − 2e·x̄,
/// </code>
/// which is exactly the row formula rearranged (the cross term vanishes because centred columns
/// sum to zero). Mini-batch SGD uses the row form on the rows of a batch.
/// <para>
/// Where the next parameters go, without a second copy of this module (as scikit-learn's one
/// <c>LinearModelLoss</c> takes <c>sample_weight</c> and <c>l2_reg_strength</c>): row weights change
/// the state, not the loss — a weighted accumulator sums w·z and w·zzᵀ with Σw in place of n, and
/// every moment form here then reads weighted means and co-moments as they are; the row form takes
/// the batch's weights beside its rows. A penalty (λ‖β‖² or λ‖β‖₁, never on θ₀) is a term added to
/// the value and gradient of the data part computed here, by the solver that minimises it: the
/// elastic net's term, its coordinate minimiser and its proximal map are <see cref="Penalty"/>.
/// </para>
/// </remarks>
public static class Mse
{
    /// <summary>
    /// The loss at θ = (intercept, slopes) in the working basis of <paramref name="moments"/>, in
    /// double-double. A value smaller than the rounding-error bound of its own evaluation is
    /// returned as exactly 0 (an exact fit), since its digits would be noise.
    /// </summary>
    public static double Value(Moments moments, double intercept, ReadOnlySpan<double> slopes)
    {
        ArgumentNullException.ThrowIfNull(moments);
        var s = new DoubleDouble[slopes.Length];
        for (int j = 0; j < s.Length; j++)
        {
            s[j] = slopes[j];
        }

        return SumOfSquares(moments, intercept, s).ToDouble() / moments.Weight.ToDouble();
    }

    /// <summary>The residual sum of squares n·MSE at θ in double-double (see <see cref="Value(Moments, double, ReadOnlySpan{double})"/> for the exact-fit rule).</summary>
    public static DoubleDouble SumOfSquares(Moments moments, DoubleDouble intercept, DoubleDouble[] slopes)
    {
        ArgumentNullException.ThrowIfNull(moments);
        ArgumentNullException.ThrowIfNull(slopes);
        int q = moments.FeatureCount;
        if (slopes.Length != q)
        {
            throw new ArgumentException($"Expected {q} slopes, got {slopes.Length}.", nameof(slopes));
        }

        var co = moments.Co;
        var sse = co[q, q];
        double bound = Math.Abs(co[q, q].Hi);
        var e = moments.Mean[q] - intercept;
        double eBound = Math.Abs(moments.Mean[q].Hi) + Math.Abs(intercept.Hi);
        for (int i = 0; i < q; i++)
        {
            var bi = slopes[i];
            var cxb = DoubleDouble.Zero;
            double cxbBound = 0;
            for (int j = 0; j < q; j++)
            {
                cxb += co[i, j] * slopes[j];
                cxbBound += Math.Abs(co[i, j].Hi * slopes[j].Hi);
            }

            sse += bi * (cxb - co[i, q] * 2.0);
            bound += Math.Abs(bi.Hi) * (cxbBound + 2 * Math.Abs(co[i, q].Hi));
            e -= moments.Mean[i] * bi;
            eBound += Math.Abs(moments.Mean[i].Hi * bi.Hi);
        }

        var eTerm = e * e * moments.Weight;
        // Each entry of the moments and each operation carries a relative error of a few units of
        // 2^-104; the sum below bounds what those errors can add up to.
        double unit = Math.ScaleB(1.0, -104) * 8 * (q + 4 + Math.Log2(moments.Count + 2));
        double total = (sse + eTerm).ToDouble();

        // e is a difference of terms up to eBound in size, so it carries an absolute error of
        // about unit·eBound, and n·e² one of n·(2|e|·δe + δe²): small when e is (at the fit it is
        // about 0), however large ȳ and θ₀ are. (Bounding it by unit·n·eBound² instead would call a
        // real residual of a few units in the last place of a large ȳ, y ≈ 1e12 ± 1e-3, noise.)
        double de = unit * eBound;
        double totalBound = (unit * bound) + (moments.Weight.Hi * ((2 * Math.Abs(e.Hi) * de) + (de * de)));
        return total <= totalBound ? DoubleDouble.Zero : sse + eTerm;
    }

    /// <summary>
    /// The total sum of squares, the baseline R² and F compare against: Σ(y − ȳ)² with an
    /// intercept, Σy² without one (as R and NIST do).
    /// </summary>
    public static double TotalSumOfSquares(Moments moments)
    {
        ArgumentNullException.ThrowIfNull(moments);
        int q = moments.FeatureCount;
        var sst = moments.GetComoment(q, q);
        if (!moments.Terms.Intercept)
        {
            sst += moments.Mean[q] * moments.Mean[q] * moments.Weight;
        }

        return sst.ToDouble();
    }

    /// <summary>
    /// The residual sum of squares n·MSE at θ = (intercept, slopes) in the working basis of a QR
    /// <paramref name="factor"/>: with z = (−θ₀', −β, 1) over the columns [1, g, y − s_y] it is
    /// ‖A z‖² = ‖R z‖², a sum of q + 2 squares with no cancellation between them. At the
    /// least-squares θ every component but the last vanishes and SSE = R²_yy. θ₀' = θ₀ − s_y + βᵀs
    /// carries the factor's shifts. A norm below the rounding-error bound of its own evaluation
    /// is an exact fit and returns exactly 0, as for the moments.
    /// </summary>
    public static DoubleDouble SumOfSquares(TriangularFactor factor, DoubleDouble intercept, DoubleDouble[] slopes)
    {
        ArgumentNullException.ThrowIfNull(factor);
        ArgumentNullException.ThrowIfNull(slopes);
        int q = factor.Terms.FeatureCount;
        if (slopes.Length != q)
        {
            throw new ArgumentException($"Expected {q} slopes, got {slopes.Length}.", nameof(slopes));
        }

        var r = factor.R;
        var shift = factor.Shift;
        var z = new DoubleDouble[q + 2];
        var shifted = intercept - shift[q];
        for (int j = 0; j < q; j++)
        {
            shifted += slopes[j] * shift[j];
            z[j + 1] = -slopes[j];
        }

        z[0] = -shifted;
        z[q + 1] = DoubleDouble.One;
        var sse = DoubleDouble.Zero;
        double bound = 0;
        for (int i = 0; i < q + 2; i++)
        {
            var component = DoubleDouble.Zero;
            double columnNorm = 0;
            for (int j = i; j < q + 2; j++)
            {
                component += r[i, j] * z[j];
            }

            for (int k = 0; k <= i; k++)
            {
                columnNorm += r[k, i].Hi * r[k, i].Hi;
            }

            sse += component * component;
            bound += Math.Sqrt(columnNorm) * Math.Abs(z[i].Hi);
        }

        // The factor's entries carry the backward error of the Householder steps, which grows with
        // the columns and (like a sum of n rounding errors) with √n, in units of 2^-104 relative to
        // each column's norm; a residual within that of zero is noise. Even at 10⁸ rows the bound
        // stays below 1e-25 of the data, far under the rounding of any double input.
        double unit = Math.ScaleB(1.0, -104) * 64 * (q + 4 + Math.Sqrt(factor.Count));
        return Math.Sqrt(sse.ToDouble()) <= unit * bound ? DoubleDouble.Zero : sse;
    }

    /// <summary>
    /// Loss and gradient at θ (θ[0] the intercept, then the slopes) from a double-precision
    /// quadratic, the form gradient descent iterates on. Returns the loss; writes the gradient.
    /// For a model without intercept θ[0] must be 0 and gradient[0] is set to 0.
    /// </summary>
    public static double ValueAndGradient(MseQuadratic quadratic, ReadOnlySpan<double> theta, Span<double> gradient)
    {
        ArgumentNullException.ThrowIfNull(quadratic);
        int q = quadratic.FeatureCount;
        var s = quadratic.Cxx;
        double e = quadratic.MeanY - theta[0];
        double loss = quadratic.Cyy;
        for (int i = 0; i < q; i++)
        {
            double sb = 0;
            for (int j = 0; j < q; j++)
            {
                sb += s[(i * q) + j] * theta[j + 1];
            }

            double g = sb - quadratic.Cxy[i];
            gradient[i + 1] = 2 * g;
            loss += theta[i + 1] * (sb - (2 * quadratic.Cxy[i]));
            e -= quadratic.MeanX[i] * theta[i + 1];
        }

        for (int i = 0; i < q; i++)
        {
            gradient[i + 1] -= 2 * e * quadratic.MeanX[i];
        }

        gradient[0] = quadratic.Intercept ? -2 * e : 0.0;
        return Math.Max(loss, 0) + (e * e);
    }

    /// <summary>The loss alone from the double-precision quadratic.</summary>
    public static double Value(MseQuadratic quadratic, ReadOnlySpan<double> theta)
    {
        ArgumentNullException.ThrowIfNull(quadratic);
        Span<double> g = quadratic.FeatureCount < 256 ? stackalloc double[quadratic.FeatureCount + 1] : new double[quadratic.FeatureCount + 1];
        return ValueAndGradient(quadratic, theta, g);
    }

    /// <summary>
    /// Loss and gradient over explicit rows (mini-batch SGD): <paramref name="features"/> holds
    /// <paramref name="rows"/> rows of q feature values, <paramref name="response"/> the y values.
    /// θ[0] is the intercept (0 and not updated when <paramref name="intercept"/> is false).
    /// </summary>
    public static double ValueAndGradient(ReadOnlySpan<double> features, ReadOnlySpan<double> response, int rows,
        ReadOnlySpan<double> theta, Span<double> gradient, bool intercept)
    {
        int q = theta.Length - 1;
        gradient.Clear();
        double loss = 0;
        for (int r = 0; r < rows; r++)
        {
            var x = features.Slice(r * q, q);
            double residual = theta[0] - response[r];
            for (int j = 0; j < q; j++)
            {
                residual += x[j] * theta[j + 1];
            }

            loss += residual * residual;
            gradient[0] += residual;
            for (int j = 0; j < q; j++)
            {
                gradient[j + 1] += residual * x[j];
            }
        }

        double scale = 2.0 / rows;
        for (int j = 0; j <= q; j++)
        {
            gradient[j] *= scale;
        }

        if (!intercept)
        {
            gradient[0] = 0;
        }

        return loss / rows;
    }
}
