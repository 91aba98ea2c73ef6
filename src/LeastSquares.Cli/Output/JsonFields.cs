using System.Text.Json;

namespace LeastSquares.Cli.Output;

/// <summary>
/// The JSON field writers every lsq document uses (results, model files, partials): numbers in
/// shortest round-trip form, and null for what is undefined or not finite.
/// </summary>
internal static class JsonFields
{
    /// <summary>A number value in shortest round-trip form (the caller guarantees it is finite).</summary>
    public static void Number(Utf8JsonWriter w, double value) =>
        w.WriteRawValue(Numbers.RoundTrip(value), skipInputValidation: true);

    /// <summary>A number property, or null when the value is missing or not finite.</summary>
    public static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WritePropertyName(name);
            Number(w, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    /// <summary>A whole-number property, or null.</summary>
    public static void Integer(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
