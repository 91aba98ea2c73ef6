using System.CommandLine;

namespace LeastSquares.Cli.Options;

/// <summary>Validated settings of the weights and covariance options.</summary>
/// <param name="Weights">--weights COL: weighted least squares, as R's lm(weights =); null for none.</param>
/// <param name="Vcov">--vcov: the covariance of the estimates.</param>
/// <param name="Cluster">--cluster COL: clustered covariance (sandwich::vcovCL); null for none.</param>
internal sealed record InferenceSettings(string? Weights = null, CovarianceType Vcov = CovarianceType.Classical, string? Cluster = null)
{
    /// <summary>True when the covariance needs a second pass over the rows (every residual).</summary>
    public bool SecondPass => Vcov != CovarianceType.Classical || Cluster is not null;

    /// <summary>True when the rows are read with more than the model's columns.</summary>
    public bool Extra => Weights is not null || SecondPass;
}

/// <summary>--weights, --vcov and --cluster, declared once (lsq fit; --weights also for lsq anova).</summary>
internal sealed class InferenceOptions
{
    public InferenceOptions(bool covariance = true)
    {
        Weights = new Option<string?>("--weights", "-w")
        {
            Description = "Weighted least squares with the weights in column COL (R's lm(weights =)); weights >= 0, rows of weight 0 are left out",
            HelpName = "COL",
        };
        if (covariance)
        {
            Vcov = Words.Covariance.Option("--vcov", "Covariance of the estimates for --summary: classical, or sandwich::vcovHC's HC0, HC1, HC2, HC3 (reads the rows twice)", CovarianceType.Classical);
            Cluster = new Option<string?>("--cluster")
            {
                Description = "Clustered standard errors for --summary by the groups of column COL (sandwich::vcovCL: HC1 with G/(G-1) adjustment; reads the rows twice)",
                HelpName = "COL",
            };
        }
    }

    public Option<string?> Weights { get; }

    public Option<string>? Vcov { get; }

    public Option<string?>? Cluster { get; }

    /// <summary>The options, in help order.</summary>
    public Option[] All => Vcov is null ? [Weights] : [Weights, Vcov, Cluster!];

    /// <summary>Reads the options into settings.</summary>
    public InferenceSettings Read(ParseResult parse)
    {
        var weights = parse.GetValue(Weights);
        if (Vcov is null)
        {
            return new InferenceSettings(weights);
        }

        var vcov = Words.Covariance.Parse(parse.GetValue(Vcov));
        var cluster = parse.GetValue(Cluster!);
        if (cluster is not null && CommonOptions.Given(parse, [Vcov]).Length > 0 && vcov is not (CovarianceType.HC1 or CovarianceType.HC0))
        {
            throw new UsageException(CliMessages.ClusterVcov(Words.Covariance.Of(vcov)));
        }

        if (cluster is not null && vcov == CovarianceType.Classical)
        {
            vcov = CovarianceType.HC1; // vcovCL's default
        }

        return new InferenceSettings(weights, vcov, cluster);
    }
}
