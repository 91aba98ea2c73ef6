using LeastSquares.State;

namespace LeastSquares.Solvers;

/// <summary>
/// The typed reasons a design has no unique solution, named by column, shared by every solver
/// that checks the rank (the normal equations and the triangular factor).
/// </summary>
internal static class RankDefects
{
    /// <summary>The exception for column j, which is constant (with an intercept) or zero (without).</summary>
    public static SingularDesignException DegenerateColumn(Moments m, int j, bool intercept, IReadOnlyList<string> names)
    {
        if (m.Terms.TermOf(j).Collinear(m.Terms.Intercept) is { } own)
        {
            return new SingularDesignException(own);
        }

        var name = names[j];
        return intercept
            ? new SingularDesignException(new ConstantColumn(name, m.Mean[j].ToDouble()))
            : new SingularDesignException(new ZeroColumn(name));
    }

    /// <summary>
    /// The exception for column k ≈ Σ weightᵢ·column i (+ a constant with an intercept); terms whose
    /// contribution (weight times the column's norm over column k's) is below 1e-9 are left out.
    /// </summary>
    public static SingularDesignException Collinear(Moments m, int k, double[] weights, double[] contributions,
        bool intercept, IReadOnlyList<string> names)
    {
        if (m.Terms.TermOf(k).Collinear(m.Terms.Intercept) is { } own)
        {
            return new SingularDesignException(own);
        }

        var others = new List<(string, double)>();
        for (int i = 0; i < k; i++)
        {
            if (contributions[i] > 1e-9)
            {
                others.Add((names[i], weights[i]));
            }
        }

        return new SingularDesignException(new CollinearColumns(names[k], others, intercept));
    }
}
