using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LeastSquares.Cli.Output;
using LeastSquares.Numerics;
using LeastSquares.Terms;

namespace LeastSquares.Cli.Partials;

/// <summary>A partial fit read back from its JSON line: the moments and the rows <c>--missing skip</c> left out.</summary>
internal sealed record Partial(Moments Moments, long SkippedRows, string LsqVersion)
{
    /// <summary>The cross-validation folds' moments, when the partial was read into folds (--folds or --fold-column).</summary>
    public IReadOnlyList<Input.Fold>? Folds { get; init; }

    /// <summary>The group of a fit per group (--by): its columns and values, in --by order; null for the rows of every group.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Group { get; init; }
}

/// <summary>
/// The one-line JSON form of a partial fit (<c>lsq fit --partial</c>, <c>lsq merge --partial</c>):
/// the model, the row count and the <see cref="Moments"/> with both parts of every double-double,
/// so that a merge of partials gives the same numbers as one pass over all rows.
/// </summary>
/// <remarks>
/// Schema version 1, keys in this order:
/// <c>schema</c> ("lsq-partial"), <c>schema_version</c> (1), <c>lsq_version</c>, <c>predictors</c>
/// (array of names), <c>target</c>, <c>degree</c>, <c>intercept</c>, <c>formula</c> (only for a model
/// stated by an R formula: the formula in expanded form, which rebuilds its terms), <c>centre</c> (polynomial
/// working basis (x − centre)ʲ; 0 otherwise), <c>n</c>, <c>skipped_rows</c>, <c>mean</c> (q + 1
/// pairs [hi, lo]: the working features, then the response) and <c>comoments</c> (the upper
/// triangle of the (q + 1)×(q + 1) centred co-moment matrix, row by row, as (q + 1)(q + 2)/2
/// pairs [hi, lo]). Every number is written in shortest round-trip form, so the doubles read back
/// are bit-identical. Reading is strict: anything missing, mistyped, of the wrong length, not
/// finite or not a normalised double-double pair is an input error, never a wrong answer.
/// </remarks>
internal static class PartialJson
{
    public const string SchemaName = "lsq-partial";
    public const int SchemaVersion = 1;

    /// <summary>The largest --degree lsq accepts; checked before a corrupt degree can size any array.</summary>
    private const int MaxDegree = 30;

    /// <summary>The partial as one line of JSON, ending in a newline.</summary>
    public static string Serialize(Moments moments, long skippedRows, string lsqVersion, IReadOnlyList<Input.Fold>? folds = null,
        IReadOnlyList<KeyValuePair<string, string>>? group = null)
    {
        ArgumentNullException.ThrowIfNull(moments);
        var terms = moments.Terms;
        int m = moments.FeatureCount + 1;
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("schema", SchemaName);
            w.WriteNumber("schema_version", SchemaVersion);
            w.WriteString("lsq_version", lsqVersion);
            if (group is not null)
            {
                // A fit per group (--by) writes a line per group: lsq merge merges the lines of equal groups.
                w.WriteStartObject("group");
                foreach (var (column, value) in group)
                {
                    w.WriteString(column, value);
                }

                w.WriteEndObject();
            }

            w.WriteStartArray("predictors");
            foreach (var p in terms.Predictors)
            {
                w.WriteStringValue(p);
            }

            w.WriteEndArray();
            w.WriteString("target", terms.Target);
            w.WriteNumber("degree", terms.Degree);
            w.WriteBoolean("intercept", terms.Intercept);
            if (terms.Formula is { } formula)
            {
                w.WriteString("formula", formula);
            }

            ModelFile.WriteFactors(w, terms);
            w.WritePropertyName("centre");
            JsonFields.Number(w, moments.Centre);
            w.WriteNumber("n", moments.Count);
            w.WriteNumber("skipped_rows", skippedRows);
            if (moments.Weights is { } weights)
            {
                // Weighted rows (--weights): their total weight and Σ log w; the means and co-moments are weighted.
                w.WritePropertyName("weight_total");
                Pair(w, weights.Total);
                w.WritePropertyName("weight_log_sum");
                JsonFields.Number(w, weights.LogSum);
            }

            WriteMoments(w, moments, m);
            if (folds is not null)
            {
                // Each fold's state, so that lsq merge can cross-validate across machines.
                w.WriteStartArray("folds");
                foreach (var fold in folds)
                {
                    w.WriteStartObject();
                    w.WritePropertyName("id");
                    JsonFields.Number(w, fold.Id);
                    w.WritePropertyName("centre");
                    JsonFields.Number(w, fold.Moments.Centre);
                    w.WriteNumber("n", fold.Moments.Count);
                    WriteMoments(w, terms.HasFactors ? fold.Moments.Reindex(terms) : fold.Moments, m);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private static void WriteMoments(Utf8JsonWriter w, Moments moments, int m)
    {
        w.WriteStartArray("mean");
        for (int j = 0; j < m; j++)
        {
            Pair(w, moments.GetMean(j));
        }

        w.WriteEndArray();
        w.WriteStartArray("comoments");
        for (int i = 0; i < m; i++)
        {
            for (int j = i; j < m; j++)
            {
                Pair(w, moments.GetComoment(i, j));
            }
        }

        w.WriteEndArray();
    }

    private static void Pair(Utf8JsonWriter w, DoubleDouble v)
    {
        w.WriteStartArray();
        JsonFields.Number(w, v.Hi);
        JsonFields.Number(w, v.Lo);
        w.WriteEndArray();
    }

    /// <summary>Reads one partial; <paramref name="where"/> (file:line) goes into every error message.</summary>
    /// <exception cref="InputException">The text is not a complete, valid partial of a schema this lsq reads.</exception>
    public static Partial Parse(string line, string where)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw Corrupt(where, $"it is not valid JSON ({e.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Corrupt(where, $"it is a JSON {Kind(root.ValueKind)}, not an object");
            }

            if (!root.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.String
                || schema.GetString() != SchemaName)
            {
                throw Corrupt(where, $"it has no \"schema\":\"{SchemaName}\" field, so it is not an lsq partial");
            }

            long version = Integer(root, "schema_version", where);
            if (version != SchemaVersion)
            {
                throw new InputException(CliMessages.PartialSchemaVersion(where, version, SchemaVersion, LsqApp.Version));
            }

            string lsqVersion = Text(root, "lsq_version", where);
            var predictorsElement = Array(root, "predictors", where);
            var predictors = new List<string>();
            foreach (var p in predictorsElement.EnumerateArray())
            {
                if (p.ValueKind != JsonValueKind.String)
                {
                    throw Corrupt(where, $"\"predictors\" holds a {Kind(p.ValueKind)} where a column name belongs");
                }

                predictors.Add(p.GetString()!);
            }

            string target = Text(root, "target", where);
            long degree = Integer(root, "degree", where);
            bool intercept = Boolean(root, "intercept", where);
            double centre = Finite(Field(root, "centre", where), "\"centre\"", where);
            long n = Integer(root, "n", where);
            long skipped = Integer(root, "skipped_rows", where);
            foreach (var (name, count) in new[] { ("n", n), ("skipped_rows", skipped) })
            {
                if (count < 0)
                {
                    throw Corrupt(where, $"\"{name}\" is negative ({Numbers.Integer(count)}); row counts are 0 or more");
                }
            }

            if (degree is < 1 or > MaxDegree)
            {
                throw Corrupt(where, $"\"degree\" is {Numbers.Integer(degree)}; lsq fits degrees 1 to {MaxDegree}");
            }

            ModelTerms terms;
            try
            {
                var factors = ModelFile.ReadFactors(root, where, (_, problem) => Corrupt(where, problem));
                terms = root.TryGetProperty("formula", out var formula)
                    ? Input.ModelSpec.FormulaTerms(formula.ValueKind == JsonValueKind.String ? formula.GetString()! : throw Corrupt(where, "\"formula\" is not a string"), null, null,
                        column => factors?.TryGetValue(column, out var f) == true && !f.Numeric, factors ?? new Dictionary<string, FactorColumn>(), coded: false)
                    : new ModelTerms(predictors, target, checked((int)degree), intercept);
                if (factors is not null && !factors.Keys.Order(StringComparer.Ordinal).SequenceEqual(terms.Factors.Keys.Order(StringComparer.Ordinal)))
                {
                    throw Corrupt(where, "its \"factors\" do not match the categorical columns of its formula");
                }
                if (!terms.Predictors.SequenceEqual(predictors) || terms.Target != target || terms.Intercept != intercept)
                {
                    throw Corrupt(where, "its \"formula\" does not match its \"predictors\", \"target\" and \"intercept\"");
                }
            }
            catch (Exception e) when (e is ArgumentException or OverflowException or UsageException)
            {
                throw Corrupt(where, $"its model is not one lsq can fit ({e.Message})");
            }

            var moments = ReadMoments(root, terms, centre, n, where, "");
            if (root.TryGetProperty("weight_total", out var weightTotal))
            {
                var total = ReadPair(weightTotal, "\"weight_total\"", where);
                double logSum = Finite(Field(root, "weight_log_sum", where), "\"weight_log_sum\"", where);
                moments = new Moments(terms, moments.Centre, n, [.. Enumerable.Range(0, moments.FeatureCount + 1).Select(moments.GetMean)],
                    Square(moments), new RowWeights(total, logSum));
            }
            List<Input.Fold>? folds = null;
            if (root.TryGetProperty("folds", out var foldsElement))
            {
                if (foldsElement.ValueKind != JsonValueKind.Array)
                {
                    throw Corrupt(where, $"\"folds\" is a {Kind(foldsElement.ValueKind)}, not an array");
                }

                folds = [];
                int index = 0;
                foreach (var f in foldsElement.EnumerateArray())
                {
                    index++;
                    string what = $"fold {index}: ";
                    if (f.ValueKind != JsonValueKind.Object)
                    {
                        throw Corrupt(where, $"{what}it is a JSON {Kind(f.ValueKind)}, not an object");
                    }

                    long foldRows = Integer(f, "n", where);
                    if (foldRows < 0)
                    {
                        throw Corrupt(where, $"{what}\"n\" is negative");
                    }

                    folds.Add(new Input.Fold(Finite(Field(f, "id", where), what + "\"id\"", where),
                        ReadMoments(f, terms, Finite(Field(f, "centre", where), what + "\"centre\"", where), foldRows, where, what)));
                }
            }

            List<KeyValuePair<string, string>>? group = null;
            if (root.TryGetProperty("group", out var groupElement))
            {
                if (groupElement.ValueKind != JsonValueKind.Object)
                {
                    throw Corrupt(where, "\"group\" is not an object of the group's column values");
                }

                group = [];
                foreach (var p in groupElement.EnumerateObject())
                {
                    group.Add(KeyValuePair.Create(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw Corrupt(where, $"\"group\" holds a {Kind(p.Value.ValueKind)} for '{p.Name}' where a text belongs")));
                }
            }

            return new Partial(moments, skipped, lsqVersion) { Folds = folds, Group = group };
        }
    }

    /// <summary>The "mean" and "comoments" of <paramref name="root"/> as the moments of <paramref name="n"/> rows of <paramref name="terms"/>.</summary>
    private static Moments ReadMoments(JsonElement root, ModelTerms terms, double centre, long n, string where, string what)
    {
        int m = terms.FeatureCount + 1;
        var meanElement = Array(root, "mean", where);
        if (meanElement.GetArrayLength() != m)
        {
            throw Corrupt(where, $"{what}\"mean\" has {meanElement.GetArrayLength()} entries, but its model needs {m} (one per working feature, then the response)");
        }

        var mean = new DoubleDouble[m];
        int k = 0;
        foreach (var e in meanElement.EnumerateArray())
        {
            mean[k] = ReadPair(e, $"{what}\"mean\" entry {k + 1}", where);
            k++;
        }

        int triangle = m * (m + 1) / 2;
        var coElement = Array(root, "comoments", where);
        if (coElement.GetArrayLength() != triangle)
        {
            throw Corrupt(where, $"{what}\"comoments\" has {coElement.GetArrayLength()} entries, but its model needs {triangle} (the upper triangle of a {m}×{m} matrix)");
        }

        var co = new DoubleDouble[m, m];
        using var entries = coElement.EnumerateArray();
        for (int i = 0; i < m; i++)
        {
            for (int j = i; j < m; j++)
            {
                entries.MoveNext();
                var v = ReadPair(entries.Current, $"{what}\"comoments\" entry ({i + 1}, {j + 1})", where);
                co[i, j] = v;
                co[j, i] = v;
            }
        }

        return new Moments(terms, centre, n, mean, co);
    }


    private static DoubleDouble[,] Square(Moments moments)
    {
        int m = moments.FeatureCount + 1;
        var co = new DoubleDouble[m, m];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                co[i, j] = moments.GetComoment(i, j);
            }
        }

        return co;
    }

    private static DoubleDouble ReadPair(JsonElement e, string what, string where)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 2)
        {
            throw Corrupt(where, $"{what} is not a pair [hi, lo] of numbers");
        }

        double hi = Finite(e[0], what, where);
        double lo = Finite(e[1], what, where);

        // The parts of a double-double never overlap: lo is below half an ulp of hi.
        if (hi + lo != hi)
        {
            throw Corrupt(where, $"{what} [{Numbers.RoundTrip(hi)}, {Numbers.RoundTrip(lo)}] is not a double-double (lo must be below half a unit in the last place of hi)");
        }

        return new DoubleDouble(hi, lo);
    }

    private static JsonElement Field(JsonElement root, string name, string where) =>
        root.TryGetProperty(name, out var e) ? e : throw Corrupt(where, $"the field \"{name}\" is missing");

    private static double Finite(JsonElement e, string what, string where)
    {
        if (e.ValueKind != JsonValueKind.Number)
        {
            throw Corrupt(where, $"{what} holds a {Kind(e.ValueKind)} where a number belongs");
        }

        if (!e.TryGetDouble(out double v) || !double.IsFinite(v))
        {
            throw Corrupt(where, $"{what} holds {e.GetRawText()}, which is not a finite double");
        }

        return v;
    }

    private static long Integer(JsonElement root, string name, string where)
    {
        var e = Field(root, name, where);
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long v))
        {
            throw Corrupt(where, $"\"{name}\" holds {Shown(e)}, which is not a whole number");
        }

        return v;
    }

    private static string Text(JsonElement root, string name, string where)
    {
        var e = Field(root, name, where);
        return e.ValueKind == JsonValueKind.String
            ? e.GetString()!
            : throw Corrupt(where, $"\"{name}\" holds {Shown(e)}, which is not a string");
    }

    private static bool Boolean(JsonElement root, string name, string where)
    {
        var e = Field(root, name, where);
        return e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Corrupt(where, $"\"{name}\" holds {Shown(e)}, which is not true or false"),
        };
    }

    private static JsonElement Array(JsonElement root, string name, string where)
    {
        var e = Field(root, name, where);
        return e.ValueKind == JsonValueKind.Array ? e : throw Corrupt(where, $"\"{name}\" holds {Shown(e)}, which is not an array");
    }

    private static string Shown(JsonElement e) => CliMessages.Quote(e.GetRawText());

    private static string Kind(JsonValueKind kind) => kind.ToString().ToLower(CultureInfo.InvariantCulture);

    private static InputException Corrupt(string where, string reason) => new(CliMessages.CorruptPartial(where, reason));
}
