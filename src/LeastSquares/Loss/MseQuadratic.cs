using LeastSquares.State;

namespace LeastSquares.Loss;

/// <summary>
/// The loss surface of <see cref="Mse"/> in double precision, divided by n: means x̄, ȳ and
/// centred co-moments C/n. Built from <see cref="Moments"/> in any basis.
/// </summary>
public sealed class MseQuadratic
{
    /// <summary>Builds the quadratic of <paramref name="moments"/>; <paramref name="intercept"/> says whether θ₀ is free.</summary>
    public MseQuadratic(Moments moments, bool intercept)
    {
        ArgumentNullException.ThrowIfNull(moments);
        int q = moments.FeatureCount;
        FeatureCount = q;
        Intercept = intercept;
        MeanX = new double[q];
        Cxy = new double[q];
        Cxx = new double[q * q];
        var n = moments.Weight; // the row count, or Σw of weighted rows: the loss is the weighted mean
        for (int i = 0; i < q; i++)
        {
            MeanX[i] = moments.Mean[i].ToDouble();
            Cxy[i] = (moments.Co[i, q] / n).ToDouble();
            for (int j = 0; j < q; j++)
            {
                Cxx[(i * q) + j] = (moments.Co[i, j] / n).ToDouble();
            }
        }

        MeanY = moments.Mean[q].ToDouble();
        Cyy = (moments.Co[q, q] / n).ToDouble();
    }

    /// <summary>Number of slopes q.</summary>
    public int FeatureCount { get; }

    /// <summary>Whether θ₀ is free.</summary>
    public bool Intercept { get; }

    internal double[] MeanX { get; }

    internal double MeanY { get; }

    internal double[] Cxx { get; }

    internal double[] Cxy { get; }

    internal double Cyy { get; }

    /// <summary>
    /// The Hessian of the loss, 2·E[x xᵀ] over (θ₀, β) (or β alone without intercept), as a dense matrix.
    /// </summary>
    public double[,] Hessian()
    {
        int q = FeatureCount;
        int o = Intercept ? 1 : 0;
        var h = new double[q + o, q + o];
        if (Intercept)
        {
            h[0, 0] = 2;
            for (int i = 0; i < q; i++)
            {
                h[0, i + 1] = 2 * MeanX[i];
                h[i + 1, 0] = 2 * MeanX[i];
            }
        }

        for (int i = 0; i < q; i++)
        {
            for (int j = 0; j < q; j++)
            {
                h[i + o, j + o] = 2 * (Cxx[(i * q) + j] + (MeanX[i] * MeanX[j]));
            }
        }

        return h;
    }
}
