using System.Text;

namespace LeastSquares.Cli.Input;

/// <summary>The clusters' keys: each distinct --cluster cell numbered in order of appearance, O(G) memory.</summary>
internal sealed partial class InferenceRows
{
    private readonly Dictionary<string, long> _clusterIds = new(StringComparer.Ordinal);
    private bool _clusterByValue; // a numeric --cluster column: its clusters are values (4 and 4.0 one cluster), as R's vcovCL has them

    /// <summary>The number of the cluster of the row <paramref name="csv"/> is at: its value (a numeric column) or its text, numbered as first met.</summary>
    private long ClusterId(CsvSource csv)
    {
        var cell = csv.Field(_cluster);
        var key = (_clusterByValue ? GroupColumns.ValueKey(cell) : null) ?? Encoding.UTF8.GetString(cell);
        if (!_clusterIds.TryGetValue(key, out long id))
        {
            id = _clusterIds.Count;
            _clusterIds.Add(key, id);
        }

        return id;
    }
}
