using System.Text.Json.Nodes;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// What the --by tests share: the regions of their seeded rows, a group's rows taken out of a CSV
/// (to fit them alone and compare) and the lines of JSON Lines output.
/// </summary>
internal static class GroupRows
{
    /// <summary>The groups of the seeded rows, in the order their index draws them.</summary>
    public static readonly string[] Regions = ["north", "south", "east"];

    /// <summary>The rows of <paramref name="csv"/> whose first field is <paramref name="group"/>, with the header.</summary>
    public static string Only(string csv, string group)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', lines.Take(1).Concat(lines.Skip(1).Where(l => l.Split(',')[0] == group))) + "\n";
    }

    /// <summary>Each line of JSON Lines output as an object.</summary>
    public static List<JsonObject> Lines(string jsonLines) =>
        [.. jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject())];
}
