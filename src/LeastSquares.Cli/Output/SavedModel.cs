using LeastSquares.Terms;

namespace LeastSquares.Cli.Output;

/// <summary>
/// A model as <c>lsq fit --save</c> writes it: the terms and coefficients that <c>lsq predict</c>
/// (and a warm start) need, plus facts about the fit, which are informational only.
/// </summary>
internal sealed record SavedModel
{
    public required ModelTerms Terms { get; init; }

    /// <summary>One estimate per term, in the order of <see cref="ModelTerms.TermNames"/>.</summary>
    public required IReadOnlyList<double> Coefficients { get; init; }

    public string? LsqVersion { get; init; }

    public string? Method { get; init; }

    /// <summary>"standard" or "none" for gradient descent; null for closed-form methods.</summary>
    public string? Scaling { get; init; }

    public long? Count { get; init; }

    public double? MeanSquaredError { get; init; }

    public double? RSquared { get; init; }

    public double? ConditionNumber { get; init; }

    public int? Iterations { get; init; }

    public bool? Converged { get; init; }

    /// <summary>The format version the model was read from (the current one for a model made here).</summary>
    public int Version { get; init; } = ModelFile.CurrentVersion;

    /// <summary>Whether the fit was penalized (ridge, lasso, elastic net); null when the file does not say (before version 3).</summary>
    public bool? Penalized { get; init; }

    /// <summary>σ̂ = √(RSS/(n − p)); with <see cref="ResidualDegreesOfFreedom"/> and <see cref="UnscaledCovariance"/>, what intervals and influence need. Null when the fit gives no inference.</summary>
    public double? Sigma { get; init; }

    /// <summary>n − p; null with <see cref="Sigma"/>.</summary>
    public long? ResidualDegreesOfFreedom { get; init; }

    /// <summary>(XᵀX)⁻¹ in the model's coefficient order (p×p); null with <see cref="Sigma"/>.</summary>
    public double[,]? UnscaledCovariance { get; init; }

    /// <summary>The model ready to predict.</summary>
    /// <summary>The model for predictions; an aliased coefficient (null in the file) is left out, as R's predict.lm does.</summary>
    public LinearModel ToModel() => new(Terms, LinearModel.WithoutAliased(Coefficients));
}
