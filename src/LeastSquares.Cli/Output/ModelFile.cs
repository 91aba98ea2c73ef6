using System.Buffers;
using System.Text;
using System.Text.Json;
using LeastSquares;
using LeastSquares.Cli.Options;
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
    public LinearModel ToModel() => new(Terms, Coefficients);
}

/// <summary>
/// Writes and reads model files (JSON, <c>"format": "lsq-model"</c>, version 3; the schema is in the
/// README). Version 2 added <c>formula</c> to a model stated by an R formula; version 3 adds, all
/// optional, <c>penalized</c> and what <c>predict --interval</c> and <c>--diagnostics</c> need:
/// <c>sigma</c>, <c>df_residual</c> and <c>unscaled_covariance</c>. Version 1 and 2 files still load. Reading validates everything <see cref="SavedModel"/> promises, so callers can use it as is.
/// </summary>
internal static class ModelFile
{
    public const string FormatName = "lsq-model";
    public const int CurrentVersion = 3;

    public static SavedModel FromFit(FitResult fit, RegressionStatistics statistics, SolverOptions options)
    {
        // What intervals and influence need, only where the summary gives inference itself: a
        // converged, unpenalized fit of full rank with residual degrees of freedom.
        bool inference = fit.Converged && fit.Penalty is null && fit.UnscaledCovariance is not null
            && statistics.ResidualStandardError is not null && fit.ResidualDegreesOfFreedom > 0;
        return new SavedModel
        {
            Terms = fit.Terms,
            Coefficients = fit.Coefficients,
            LsqVersion = LsqApp.Version,
            Method = fit.Method,
            Scaling = options.Method is FitMethod.GradientDescent or FitMethod.StochasticGradientDescent
            ? Words.Scaling.Of(options.Scaling)
            : null,
            Count = fit.Count,
            MeanSquaredError = fit.MeanSquaredError,
            RSquared = statistics.RSquared,
            ConditionNumber = fit.ConditionNumber,
            Iterations = fit.Iterations,
            Converged = fit.Converged,
            Penalized = fit.Penalty is not null,
            Sigma = inference ? statistics.ResidualStandardError : null,
            ResidualDegreesOfFreedom = inference ? fit.ResidualDegreesOfFreedom : null,
            UnscaledCovariance = inference ? fit.UnscaledCovariance : null,
        };
    }

    /// <summary>The model as JSON text (indented, numbers in shortest round-trip form, ending in a newline).</summary>
    public static string ToJson(SavedModel model)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            w.WriteStartObject();
            w.WriteString("format", FormatName);
            w.WriteNumber("version", CurrentVersion);
            w.WriteString("lsq_version", model.LsqVersion ?? LsqApp.Version);
            w.WriteString("target", model.Terms.Target);
            w.WriteStartArray("predictors");
            foreach (var p in model.Terms.Predictors)
            {
                w.WriteStringValue(p);
            }

            w.WriteEndArray();
            w.WriteNumber("degree", model.Terms.Degree);
            w.WriteBoolean("intercept", model.Terms.Intercept);
            if (model.Terms.Formula is { } formula)
            {
                w.WriteString("formula", formula);
            }

            WriteFactors(w, model.Terms);
            WritePolyBases(w, model.Terms);

            w.WriteStartArray("terms");
            foreach (var t in model.Terms.TermNames)
            {
                w.WriteStringValue(t);
            }

            w.WriteEndArray();
            // One line, in round-trip form: raw values inside an indented array would lose the layout.
            w.WritePropertyName("coefficients");
            w.WriteRawValue("[" + string.Join(", ", model.Coefficients.Select(Numbers.RoundTrip)) + "]", skipInputValidation: true);
            NullableString(w, "method", model.Method);
            NullableString(w, "scaling", model.Scaling);
            JsonFields.Integer(w, "n", model.Count);

            JsonFields.Number(w, "mse", model.MeanSquaredError);
            JsonFields.Number(w, "r_squared", model.RSquared);
            JsonFields.Number(w, "condition_number", model.ConditionNumber);
            JsonFields.Integer(w, "iterations", model.Iterations);

            if (model.Converged is { } converged)
            {
                w.WriteBoolean("converged", converged);
            }
            else
            {
                w.WriteNull("converged");
            }

            w.WriteBoolean("penalized", model.Penalized ?? false);
            if (model.Sigma is { } sigma && model.ResidualDegreesOfFreedom is { } df && model.UnscaledCovariance is { } cov)
            {
                w.WriteNumber("df_residual", df);
                w.WritePropertyName("sigma");
                w.WriteRawValue(Numbers.RoundTrip(sigma), skipInputValidation: true);
                // A row per line, in round-trip form, as the coefficients (the writer does not indent raw values).
                var rows = Enumerable.Range(0, cov.GetLength(0)).Select(i =>
                    "    [" + string.Join(", ", Enumerable.Range(0, cov.GetLength(1)).Select(j => Numbers.RoundTrip(cov[i, j]))) + "]");
                w.WritePropertyName("unscaled_covariance");
                w.WriteRawValue("[\n" + string.Join(",\n", rows) + "\n  ]", skipInputValidation: true);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    /// <summary>Writes the model atomically: <paramref name="path"/> holds either its old content or the whole model.</summary>
    public static void Write(string path, SavedModel model) => AtomicFile.WriteAllText(path, ToJson(model));

    /// <summary>Reads and validates a model file.</summary>
    /// <exception cref="InputException">The file is missing or unreadable, is not JSON, or is not a valid lsq model.</exception>
    public static SavedModel Read(string path)
    {
        if (Directory.Exists(path))
        {
            throw new InputException(CliMessages.NotAFile(path));
        }

        if (!File.Exists(path))
        {
            throw new InputException($"{path}: no such model file. Save one with 'lsq fit DATA --save {path}'.");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(CliMessages.Unreadable(path, e.Message));
        }

        return Parse(bytes, path);
    }

    /// <summary>Parses and validates model JSON; <paramref name="name"/> is the file name for messages.</summary>
    public static SavedModel Parse(ReadOnlySpan<byte> json, string name)
    {
        if (json.StartsWith("\uFEFF"u8))
        {
            json = json[3..]; // a byte-order mark, as some editors write
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw Invalid(name, $"is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}: {FirstSentence(e.Message)})");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(name, "is not an lsq model: the JSON is not an object");
            }

            if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != FormatName)
            {
                throw Invalid(name, $"is not an lsq model: \"format\" must be \"{FormatName}\"");
            }

            // Every field is checked for its kind before it is read (a "version" that is a string
            // would otherwise throw from the JSON reader), and sizes against the others before
            // anything is allocated from them.
            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out int v))
            {
                throw Invalid(name, root.TryGetProperty("version", out var shown)
                    ? $"its \"version\" is not a whole number (it is {Shown(shown)})"
                    : "has no integer \"version\"");
            }

            if (v is < 1 or > CurrentVersion)
            {
                throw Invalid(name, $"is model format version {v}, but this lsq ({LsqApp.Version}) reads version {CurrentVersion}"
                    + (v > CurrentVersion ? "; upgrade lsq" : "; refit the model with this lsq"));
            }

            string target = RequiredString(root, "target", name);
            var predictors = RequiredStrings(root, "predictors", name);
            if (predictors.Count == 0)
            {
                throw Invalid(name, "has an empty \"predictors\" list; a model needs at least one predictor");
            }

            if (predictors.Distinct(StringComparer.Ordinal).Count() != predictors.Count || predictors.Contains(target, StringComparer.Ordinal))
            {
                throw Invalid(name, $"names a column twice among its target '{target}' and predictors {Names(predictors)}");
            }

            var degreeElement = Required(root, "degree", JsonValueKind.Number, name);
            int degree = degreeElement.TryGetInt32(out int d) && d >= 1 && d <= MaxDegree
                ? d
                : throw Invalid(name, $"its \"degree\" is {Shown(degreeElement)}, but lsq fits degrees from 1 to {MaxDegree}");
            if (degree > 1 && predictors.Count != 1)
            {
                throw Invalid(name, $"has degree {degree} with {predictors.Count} predictors; a polynomial takes exactly one");
            }

            bool intercept = Required(root, "intercept", JsonValueKind.True, name).GetBoolean();
            ModelTerms terms;
            try
            {
                var factors = ReadFactors(root, name, Invalid);
                terms = v >= 2 && root.TryGetProperty("formula", out var formula)
                    ? Input.ModelSpec.FormulaTerms(formula.ValueKind == JsonValueKind.String ? formula.GetString()! : throw Invalid(name, "its \"formula\" is not a string"), null, null,
                        column => factors?.TryGetValue(column, out var f) == true && !f.Numeric, factors ?? new Dictionary<string, FactorColumn>())
                    : new ModelTerms(predictors, target, degree, intercept);
                if (factors is not null && !factors.Keys.Order(StringComparer.Ordinal).SequenceEqual(terms.Factors.Keys.Order(StringComparer.Ordinal)))
                {
                    throw Invalid(name, "its \"factors\" do not match the categorical columns of its formula");
                }
                if (!terms.Predictors.SequenceEqual(predictors) || terms.Target != target || terms.Intercept != intercept)
                {
                    throw Invalid(name, "its \"formula\" does not match its \"predictors\", \"target\" and \"intercept\"");
                }
            }
            catch (UsageException e)
            {
                throw Invalid(name, $"has a formula lsq cannot read ({FirstSentence(e.Message)})");
            }
            catch (ArgumentException e)
            {
                throw Invalid(name, $"does not describe a valid model ({FirstSentence(e.Message)})");
            }

            terms = WithPolyBases(root, terms, name);
            var termNames = RequiredStrings(root, "terms", name);
            if (!termNames.SequenceEqual(terms.TermNames))
            {
                throw Invalid(name, $"lists the terms {Names(termNames)}, but its predictors, degree and intercept give {Names(terms.TermNames)}");
            }

            var coefficientsElement = Required(root, "coefficients", JsonValueKind.Array, name);
            var coefficients = new List<double>();
            foreach (var c in coefficientsElement.EnumerateArray())
            {
                if (c.ValueKind != JsonValueKind.Number || !c.TryGetDouble(out double value) || !double.IsFinite(value))
                {
                    throw Invalid(name, $"its \"coefficients\" has an entry that is not a finite number (it is {Shown(c)})");
                }

                coefficients.Add(value);
            }

            if (coefficients.Count != terms.CoefficientCount)
            {
                throw Invalid(name, $"has {coefficients.Count} coefficient{(coefficients.Count == 1 ? "" : "s")} for {terms.CoefficientCount} terms {Names(terms.TermNames)}");
            }

            var inference = v >= 3 ? ReadInference(root, terms, name) : null;
            return new SavedModel
            {
                Terms = terms,
                Coefficients = coefficients,
                LsqVersion = OptionalString(root, "lsq_version"),
                Method = OptionalString(root, "method"),
                Scaling = OptionalString(root, "scaling"),
                Count = root.TryGetProperty("n", out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt64(out long count) ? count : null,
                MeanSquaredError = OptionalNumber(root, "mse"),
                RSquared = OptionalNumber(root, "r_squared"),
                ConditionNumber = OptionalNumber(root, "condition_number"),
                Iterations = root.TryGetProperty("iterations", out var it) && it.ValueKind == JsonValueKind.Number && it.TryGetInt32(out int i) ? i : null,
                Converged = root.TryGetProperty("converged", out var cv) && cv.ValueKind is JsonValueKind.True or JsonValueKind.False ? cv.GetBoolean() : null,
                Version = v,
                Penalized = v >= 3 && root.TryGetProperty("penalized", out var pz) && pz.ValueKind is JsonValueKind.True or JsonValueKind.False ? pz.GetBoolean() : null,
                Sigma = inference?.Sigma,
                ResidualDegreesOfFreedom = inference?.Df,
                UnscaledCovariance = inference?.Covariance,
            };
        }
    }

    /// <summary>
    /// Writes <c>"factors"</c>: for each categorical column, whether its levels are numbers and its
    /// levels in R's order (the reference first). Nothing for a model without one.
    /// </summary>
    internal static void WriteFactors(Utf8JsonWriter w, ModelTerms terms)
    {
        if (!terms.HasFactors)
        {
            return;
        }

        w.WriteStartObject("factors");
        foreach (var (column, factor) in terms.Factors.OrderBy(f => terms.Predictors.ToList().IndexOf(f.Key)))
        {
            w.WriteStartObject(column);
            w.WriteBoolean("numeric", factor.Numeric);
            w.WriteStartArray("levels");
            foreach (var level in factor.Levels)
            {
                w.WriteStringValue(level);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

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

    /// <summary>
    /// <c>"poly"</c>: for each orthogonal <c>poly(x, d)</c> of the model, R's coefficients of its basis
    /// (<c>{"term": "poly(wt, 3)", "alpha": [d values], "norm2": [d + 2 values]}</c>), which predict
    /// needs to evaluate new rows in the training basis. Absent when the model has none.
    /// </summary>
    private static void WritePolyBases(Utf8JsonWriter w, ModelTerms terms)
    {
        var polys = terms.TermList.OfType<OrthogonalPolyTerm>().ToList();
        if (polys.Count == 0)
        {
            return;
        }

        w.WriteStartArray("poly");
        foreach (var p in polys)
        {
            var basis = p.Basis ?? throw new InvalidOperationException($"{p.Label} is saved before its basis was fitted.");
            w.WriteStartObject();
            w.WriteString("term", p.Label);
            w.WritePropertyName("alpha");
            w.WriteRawValue("[" + string.Join(", ", basis.Alpha.Select(Numbers.RoundTrip)) + "]", skipInputValidation: true);
            w.WritePropertyName("norm2");
            w.WriteRawValue("[" + string.Join(", ", basis.Norm2.Select(Numbers.RoundTrip)) + "]", skipInputValidation: true);
            w.WriteEndObject();
        }

        w.WriteEndArray();
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
        new($"{name}: {problem}. Model files are written by 'lsq fit --save'; refit to get a valid one.");

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

    private static void NullableString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
