using System.Text.Json;
using LeastSquares.Terms;

namespace LeastSquares.Cli.Output;

// Reading a model file: the factors, the polynomial bases, the inference fields, and the checks every field goes through.
internal static partial class ModelFile
{
    /// <summary>
    /// Reads <c>"factors"</c> (see <see cref="WriteFactors"/>); null when there is none. Levels must
    /// be distinct, and numbers where the column is numeric.
    /// </summary>
    internal static Dictionary<string, FactorColumn>? ReadFactors(JsonElement root, string name, Func<string, string, InputException> invalid)
    {
        if (!root.TryGetProperty("factors", out var element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw invalid(name, $"its \"factors\" is not an object (it is {Shown(element)})");
        }

        var factors = new Dictionary<string, FactorColumn>(StringComparer.Ordinal);
        foreach (var column in element.EnumerateObject())
        {
            var where = $"\"factors\".\"{column.Name}\"";
            if (column.Value.ValueKind != JsonValueKind.Object
                || !column.Value.TryGetProperty("numeric", out var numeric) || numeric.ValueKind is not (JsonValueKind.True or JsonValueKind.False)
                || !column.Value.TryGetProperty("levels", out var levels) || levels.ValueKind != JsonValueKind.Array)
            {
                throw invalid(name, $"its {where} is not an object with \"numeric\" (true or false) and \"levels\" (an array)");
            }

            var list = new List<string>();
            foreach (var level in levels.EnumerateArray())
            {
                if (level.ValueKind != JsonValueKind.String)
                {
                    throw invalid(name, $"its {where} has a level that is not a string (it is {Shown(level)})");
                }

                var text = level.GetString()!;
                if (numeric.GetBoolean() && !double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    throw invalid(name, $"its {where} is numeric, but has the level {CliMessages.Quote(text)}");
                }

                list.Add(text);
            }

            if (list.Distinct(StringComparer.Ordinal).Count() != list.Count)
            {
                throw invalid(name, $"its {where} names a level twice");
            }

            factors[column.Name] = new FactorColumn(column.Name, numeric.GetBoolean(), list);
        }

        return factors;
    }

    /// <summary>The terms with each orthogonal polynomial's basis read from <c>"poly"</c>, every entry checked against its degree.</summary>
    private static ModelTerms WithPolyBases(JsonElement root, ModelTerms terms, string name)
    {
        if (!terms.TermList.OfType<OrthogonalPolyTerm>().Any())
        {
            return terms;
        }

        var entries = Required(root, "poly", JsonValueKind.Array, name);
        var fitted = terms.TermList.ToArray();
        for (int t = 0; t < fitted.Length; t++)
        {
            if (fitted[t] is not OrthogonalPolyTerm poly)
            {
                continue;
            }

            var entry = entries.EnumerateArray().FirstOrDefault(e => e.ValueKind == JsonValueKind.Object
                && e.TryGetProperty("term", out var label) && label.ValueKind == JsonValueKind.String && label.GetString() == poly.Label);
            if (entry.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(name, $"its \"poly\" has no entry for the term {poly.Label}");
            }

            var alpha = FiniteNumbers(entry, "alpha", poly.Degree, name, poly.Label);
            var norm2 = FiniteNumbers(entry, "norm2", poly.Degree + 2, name, poly.Label);
            var basis = new PolyBasis(alpha, norm2);
            if (!basis.FitsDegree(poly.Degree))
            {
                throw Invalid(name, $"its \"poly\" entry for {poly.Label} has a \"norm2\" value that is not positive");
            }

            fitted[t] = poly.WithBasis(basis);
        }

        return terms.WithTerms(fitted);
    }

    private static double[] FiniteNumbers(JsonElement entry, string field, int count, string name, string label)
    {
        if (!entry.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() != count)
        {
            throw Invalid(name, $"its \"poly\" entry for {label} needs \"{field}\": an array of {count} numbers");
        }

        var values = new double[count];
        int i = 0;
        foreach (var e in array.EnumerateArray())
        {
            values[i++] = e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double x) && double.IsFinite(x)
                ? x
                : throw Invalid(name, $"its \"poly\" entry for {label} has a \"{field}\" value that is not a finite number (it is {Shown(e)})");
        }

        return values;
    }

    /// <summary>
    /// σ̂, n − p and (XᵀX)⁻¹ of a version 3 file: all three or none (a fit without inference); when
    /// present each is checked (σ̂ finite and not negative, n − p a whole number from 1, the matrix
    /// p×p of finite numbers).
    /// </summary>
    private static (double Sigma, long Df, double[,] Covariance)? ReadInference(JsonElement root, ModelTerms terms, string name)
    {
        bool Has(string field) => root.TryGetProperty(field, out var e) && e.ValueKind != JsonValueKind.Null;
        int present = (Has("sigma") ? 1 : 0) + (Has("df_residual") ? 1 : 0) + (Has("unscaled_covariance") ? 1 : 0);
        if (present == 0)
        {
            return null;
        }

        if (present != 3)
        {
            throw Invalid(name, "has only some of \"sigma\", \"df_residual\" and \"unscaled_covariance\"; a model has all three or none");
        }

        var sigmaElement = Required(root, "sigma", JsonValueKind.Number, name);
        double sigma = sigmaElement.TryGetDouble(out double s) && double.IsFinite(s) && s >= 0
            ? s
            : throw Invalid(name, $"its \"sigma\" is {Shown(sigmaElement)}, but it must be a finite number, 0 or more");
        var dfElement = Required(root, "df_residual", JsonValueKind.Number, name);
        long df = dfElement.TryGetInt64(out long d) && d >= 1
            ? d
            : throw Invalid(name, $"its \"df_residual\" is {Shown(dfElement)}, but it must be a whole number, 1 or more");
        int p = terms.CoefficientCount;
        var rows = Required(root, "unscaled_covariance", JsonValueKind.Array, name);
        var covariance = new double[p, p];
        bool square = rows.GetArrayLength() == p;
        int i = 0;
        foreach (var row in rows.EnumerateArray())
        {
            if (!square || row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != p)
            {
                square = false;
                break;
            }

            int j = 0;
            foreach (var c in row.EnumerateArray())
            {
                if (c.ValueKind != JsonValueKind.Number || !c.TryGetDouble(out double value) || !double.IsFinite(value))
                {
                    throw Invalid(name, $"its \"unscaled_covariance\" has an entry that is not a finite number (it is {Shown(c)})");
                }

                covariance[i, j++] = value;
            }

            i++;
        }

        return square ? (sigma, df, covariance) : throw Invalid(name, $"its \"unscaled_covariance\" is not {p}×{p}, one row and column per term");
    }

    /// <summary>The highest polynomial degree lsq fits (--degree's limit), and so the highest a model can have.</summary>
    private const int MaxDegree = 30;

    private static InputException Invalid(string name, string problem) =>
        new(CliMessages.InvalidModelFile(name, problem));

    private static JsonElement Required(JsonElement root, string field, JsonValueKind kind, string name)
    {
        if (!root.TryGetProperty(field, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            throw Invalid(name, $"has no \"{field}\" field");
        }

        bool ok = kind == JsonValueKind.True ? e.ValueKind is JsonValueKind.True or JsonValueKind.False : e.ValueKind == kind;
        if (!ok)
        {
            var expected = kind switch
            {
                JsonValueKind.True => "true or false",
                JsonValueKind.Array => "an array",
                JsonValueKind.String => "a string",
                _ => "a number",
            };
            throw Invalid(name, $"its \"{field}\" is not {expected} (it is {Shown(e)})");
        }

        return e;
    }

    private static string RequiredString(JsonElement root, string field, string name) =>
        Required(root, field, JsonValueKind.String, name).GetString()!;

    private static List<string> RequiredStrings(JsonElement root, string field, string name)
    {
        var list = new List<string>();
        foreach (var e in Required(root, field, JsonValueKind.Array, name).EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.String)
            {
                throw Invalid(name, $"its \"{field}\" has an entry that is not a string (it is {Shown(e)})");
            }

            list.Add(e.GetString()!);
        }

        return list;
    }

    private static string? OptionalString(JsonElement root, string field) =>
        root.TryGetProperty(field, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    private static double? OptionalNumber(JsonElement root, string field) =>
        root.TryGetProperty(field, out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double v) ? v : null;

    private static string Names(IEnumerable<string> names) => "[" + string.Join(", ", names) + "]";

    private static string Shown(JsonElement e) => CliMessages.Quote(e.GetRawText());

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end >= 0 ? message[..end] : message).TrimEnd('.');
    }
}
