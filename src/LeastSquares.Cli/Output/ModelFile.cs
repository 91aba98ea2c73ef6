using System.Buffers;
using System.Text;
using System.Text.Json;
using LeastSquares;
using LeastSquares.Cli.Options;
using LeastSquares.Terms;

namespace LeastSquares.Cli.Output;

/// <summary>
/// Writes and reads model files (JSON, <c>"format": "lsq-model"</c>, version 3; the schema is in the
/// README). Version 2 added <c>formula</c> to a model stated by an R formula; version 3 adds, all
/// optional, <c>penalized</c> and what <c>predict --interval</c> and <c>--diagnostics</c> need:
/// <c>sigma</c>, <c>df_residual</c> and <c>unscaled_covariance</c>. Version 1 and 2 files still load.
/// An aliased coefficient of a rank-deficient fit (<c>--aliased na</c>) is <c>null</c> in <c>coefficients</c>,
/// with a zero row and column of the covariance; predict leaves it out, as R's predict.lm does. Reading validates everything <see cref="SavedModel"/> promises, so callers can use it as is.
/// </summary>
internal static partial class ModelFile
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
            w.WriteRawValue("[" + string.Join(", ", model.Coefficients.Select(c => double.IsNaN(c) ? "null" : Numbers.RoundTrip(c))) + "]", skipInputValidation: true);
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
