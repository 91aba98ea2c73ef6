using System.Text.Json;
using LeastSquares.Terms;

namespace LeastSquares.Cli.Output;

// Reading a model file: the file, then each field checked against what SavedModel promises.
internal static partial class ModelFile
{
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
            throw new InputException(CliMessages.NoModelFile(path));
        }

        byte[] bytes;
        try
        {
            bytes = Input.InputFile.ReadAllBytes(path);
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
            if (predictors.Count == 0 && !(v >= 2 && root.TryGetProperty("formula", out _)))
            {
                // A formula may state the intercept alone ('y ~ 1'); a model of columns has at least one.
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
                if (c.ValueKind == JsonValueKind.Null && v >= 3)
                {
                    coefficients.Add(double.NaN); // aliased (R's NA, from --aliased na): left out of predictions
                    continue;
                }

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
}
