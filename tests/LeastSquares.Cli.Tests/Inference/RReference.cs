using System.Text.Json;

namespace LeastSquares.Cli.Tests.Inference;

/// <summary>
/// The committed R values (tests/reference/r/lm.json, made by make-reference.R): the tests read
/// them, so neither CI nor a developer needs R.
/// </summary>
internal static class RReference
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Lsq.RepoRoot, "tests", "reference", "r", "lm.json"))));

    /// <summary>The case with this id.</summary>
    public static JsonElement Case(string id) =>
        Document.Value.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    /// <summary>The data file of a case, as a full path.</summary>
    public static string DataFile(JsonElement c) => Path.Combine(Lsq.RepoRoot, c.GetProperty("data_file").GetString()!);

    /// <summary>The numbers of an array field (null entries as NaN).</summary>
    public static double[] Numbers(JsonElement array) =>
        [.. array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? double.NaN : e.GetDouble())];

    /// <summary>Significant digits on which <paramref name="actual"/> agrees with <paramref name="expected"/> (LRE, 17 when equal).</summary>
    public static double Digits(double expected, double actual)
    {
        if (expected == actual)
        {
            return 17;
        }

        double error = expected == 0 ? Math.Abs(actual) : Math.Abs(actual - expected) / Math.Abs(expected);
        return -Math.Log10(error);
    }

    /// <summary>Asserts agreement to at least <paramref name="digits"/> significant digits.</summary>
    public static void Agrees(double expected, double? actual, double digits, string what)
    {
        Assert.True(actual is not null, $"{what}: lsq gave null, R gave {expected:R}");
        double got = Digits(expected, actual!.Value);
        Assert.True(got >= digits, $"{what}: R {expected:R}, lsq {actual.Value:R}: {got:F1} digits, want {digits}");
    }
}
