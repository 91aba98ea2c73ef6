namespace LeastSquares.Cli.Tests;

/// <summary>Hand-written model files (the format lsq fit --save writes) for the tests that need one.</summary>
internal static class Models
{
    /// <summary>y = 1 + 2a − 0.5b.</summary>
    public const string YOnAB = """
        {"format":"lsq-model","version":1,"target":"y","predictors":["a","b"],"degree":1,"intercept":true,
         "terms":["(intercept)","a","b"],"coefficients":[1,2,-0.5]}
        """;

    /// <summary>b = 1 + 2a.</summary>
    public const string BOnA = """{"format":"lsq-model","version":1,"target":"b","predictors":["a"],"degree":1,"intercept":true,"terms":["(intercept)","a"],"coefficients":[1,2]}""";
}
