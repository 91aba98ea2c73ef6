using System.Buffers;
using System.Text;
using System.Text.Json;
using LeastSquares.Cli.Commands;

namespace LeastSquares.Cli.Output;

/// <summary>A model per group (lsq fit --by … --save): the --by columns and, for each group, its model or why it has none.</summary>
internal sealed record GroupedModel(IReadOnlyList<string> By, IReadOnlyDictionary<string, GroupedModel.Entry> Groups, ModelTerms Terms)
{
    /// <summary>One group's model (null when its fit failed) and the error of a failed fit.</summary>
    internal sealed record Entry(IReadOnlyList<string> Values, SavedModel? Model, string? Error);
}

/// <summary>
/// Model files of a fit per group: JSON with <c>"format": "lsq-grouped-model"</c>, version 1,
/// <c>by</c> (the group columns) and <c>groups</c>, each <c>{"group": {column: value, …}, "model": {an lsq-model}}</c>
/// or, for a group that could not be fitted, <c>{"group": …, "error": "…"}</c>. Every model has the same terms.
/// </summary>
internal static class GroupedModelFile
{
    public const string FormatName = "lsq-grouped-model";
    public const int CurrentVersion = 1;

    public static void Write(string path, IReadOnlyList<string> by, IReadOnlyList<GroupFit> fits, List<FitReport?> reports)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            w.WriteStartObject();
            w.WriteString("format", FormatName);
            w.WriteNumber("version", CurrentVersion);
            w.WriteString("lsq_version", LsqApp.Version);
            w.WriteStartArray("by");
            foreach (var name in by)
            {
                w.WriteStringValue(name);
            }

            w.WriteEndArray();
            w.WriteStartArray("groups");
            for (int i = 0; i < fits.Count; i++)
            {
                w.WriteStartObject();
                GroupedWriter.WriteGroup(w, by, fits[i].Values);
                if (reports[i] is { } report)
                {
                    w.WritePropertyName("model");
                    using var model = JsonDocument.Parse(ModelFile.ToJson(ModelFile.FromFit(report.Fit, report.Statistics, fits[i].Solver!)));
                    model.RootElement.WriteTo(w);
                }
                else
                {
                    w.WriteString("error", fits[i].Error);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        AtomicFile.WriteAllText(path, Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n");
    }

    /// <summary>Whether the model file at <paramref name="path"/> is a grouped one (a cheap look at its "format"; a file that cannot be read is left to the reader's errors).</summary>
    public static bool IsGrouped(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            using var doc = JsonDocument.Parse(Input.InputFile.ReadAllBytes(path));
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("format", out var f)
                && f.ValueKind == JsonValueKind.String && f.GetString() == FormatName;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Reads and validates a grouped model file.</summary>
    public static GroupedModel Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = Input.InputFile.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(CliMessages.Unreadable(path, e.Message));
        }

        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;
        if (!root.TryGetProperty("version", out var version) || !version.TryGetInt32(out int v) || v != CurrentVersion)
        {
            throw Invalid(path, $"is not a grouped model of version {CurrentVersion}");
        }

        var by = root.TryGetProperty("by", out var byElement) && byElement.ValueKind == JsonValueKind.Array
            ? byElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Invalid(path, "its \"by\" holds an entry that is not a column name")).ToList()
            : throw Invalid(path, "has no \"by\" list of the group columns");
        if (by.Count == 0 || !root.TryGetProperty("groups", out var groups) || groups.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, "has no \"groups\" list, or an empty \"by\"");
        }

        var entries = new Dictionary<string, GroupedModel.Entry>(StringComparer.Ordinal);
        ModelTerms? terms = null;
        foreach (var g in groups.EnumerateArray())
        {
            if (g.ValueKind != JsonValueKind.Object || !g.TryGetProperty("group", out var group) || group.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, "has a group without its \"group\" object");
            }

            var values = by.Select(name => group.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : throw Invalid(path, $"has a group without a text value for '{name}'")).ToList();
            var key = Input.GroupTable.KeyOf(values);
            SavedModel? model = null;
            string? error = null;
            if (g.TryGetProperty("model", out var m))
            {
                model = ModelFile.Parse(Encoding.UTF8.GetBytes(m.GetRawText()), $"{path} (group {CliMessages.Group(by, values)})");
                if (terms is null)
                {
                    terms = model.Terms;
                }
                else if (!terms.SameModelAs(model.Terms))
                {
                    throw Invalid(path, $"holds models of different terms (group {CliMessages.Group(by, values)})");
                }
            }
            else
            {
                error = g.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : throw Invalid(path, "has a group with neither \"model\" nor \"error\"");
            }

            if (!entries.TryAdd(key, new GroupedModel.Entry(values, model, error)))
            {
                throw Invalid(path, $"lists the group {CliMessages.Group(by, values)} twice");
            }
        }

        return new GroupedModel(by, entries, terms ?? throw Invalid(path, "has no group with a model"));
    }

    private static InputException Invalid(string name, string problem) =>
        new($"{name}: {problem}. Grouped model files are written by 'lsq fit --by COLS --save'; refit to get a valid one.");
}
