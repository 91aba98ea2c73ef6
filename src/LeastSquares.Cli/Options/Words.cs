using System.CommandLine;
using System.Runtime.CompilerServices;
using LeastSquares.Cli.Commands;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Options;

/// <summary>
/// The words a user types for the values of an enumerated option, one for each value of
/// <typeparamref name="T"/> in the enum's order (its values are 0, 1, 2, …), which is also the
/// order help and errors list them in. Text becomes the enum here, once, as the option is read;
/// nothing after that sees the word.
/// </summary>
/// <remarks>
/// Indexed by the enum's value rather than searched with comparers: this runs at every start-up
/// for every option of every command, and generic code over each enum is compiled separately.
/// </remarks>
internal sealed class Words<T>(params string[] words)
    where T : struct, Enum
{
    /// <summary>The word for <paramref name="value"/>.</summary>
    public string Of(T value) => words[Unsafe.As<T, int>(ref value)];

    /// <summary>The value a word names; false for any other text.</summary>
    public bool TryParse(string? word, out T value)
    {
        int index = word is null ? -1 : Array.IndexOf(words, word);
        value = Unsafe.As<int, T>(ref index);
        return index >= 0;
    }

    /// <summary>The value of a word the parser has already accepted.</summary>
    public T Parse(string? word) => TryParse(word, out var value) ? value : throw new ArgumentOutOfRangeException(nameof(word), word, null);

    /// <summary>
    /// An option that accepts the words of <paramref name="offered"/> (all values when null),
    /// defaulting to <paramref name="defaultValue"/>.
    /// </summary>
    public Option<string> Option(string name, string description, T defaultValue, T[]? offered = null, params string[] aliases)
    {
        var accepted = words;
        if (offered is not null)
        {
            accepted = new string[offered.Length];
            for (int i = 0; i < offered.Length; i++)
            {
                accepted[i] = Of(offered[i]);
            }
        }

        return WordOption.Create(name, description, Of(defaultValue), accepted, aliases);
    }
}

/// <summary>The non-generic part of <see cref="Words{T}.Option"/>.</summary>
internal static class WordOption
{
    public static Option<string> Create(string name, string description, string defaultWord, string[] accepted, string[] aliases)
    {
        var option = new Option<string>(name, aliases)
        {
            Description = description,
            DefaultValueFactory = _ => defaultWord,
        };
        option.AcceptOnlyFromAmong(accepted);
        return option;
    }
}

/// <summary>What a rank-deficient design does (--aliased).</summary>
internal enum AliasedPolicy
{
    /// <summary>Exit 3 naming the collinear columns.</summary>
    Error,

    /// <summary>R's lm: the aliased coefficients are NA, the rest fitted.</summary>
    Na,
}

/// <summary>The word tables of lsq's enumerated options.</summary>
internal static class Words
{
    public static readonly Words<FitMethod> Method = new("normal", "qr", "gd", "sgd");

    public static readonly Words<OutputFormat> Format = new("table", "json", "csv", "tsv");

    public static readonly Words<FeatureScaling> Scaling = new("standard", "none");

    public static readonly Words<LearningRateSchedule> Schedule = new("constant", "step", "exp", "invtime");

    public static readonly Words<Optimizer> Optimizer = new("plain", "momentum", "adam");

    public static readonly Words<PenaltyKind> Penalty = new("ridge", "lasso", "elasticnet");

    public static readonly Words<LambdaSelection> Select = new("min", "1se");

    public static readonly Words<MissingPolicy> Missing = new("error", "skip", "na");

    /// <summary>--aliased: what a rank-deficient design does.</summary>
    public static readonly Words<AliasedPolicy> Aliased = new("error", "na");

    public static readonly Words<CovarianceType> Covariance = new("classical", "HC0", "HC1", "HC2", "HC3");

    public static readonly Words<PlotKind> Kind = new("fit", "residuals", "diagnostics", "residuals-fitted", "qq", "scale-location", "leverage", "path", "cv");

    /// <summary>predict's --interval, R's words for predict.lm(interval =).</summary>
    public static readonly Words<PredictInterval> Interval = new("none", "confidence", "prediction");

    /// <summary>A method's name for people, as titles and tables show it.</summary>
    public static string LongName(FitMethod method) => method switch
    {
        FitMethod.Normal => "normal equations",
        FitMethod.Qr => "QR factorisation",
        FitMethod.GradientDescent => "batch gradient descent",
        _ => "mini-batch stochastic gradient descent",
    };

    /// <summary>The long name of a method word as fits and model files record it; a word lsq does not know is shown as it is.</summary>
    public static string LongName(string method) => Method.TryParse(method, out var m) ? LongName(m) : method;

    /// <summary>How <c>--method</c>'s help describes each method.</summary>
    public static string Help(FitMethod method) => method switch
    {
        FitMethod.Normal => "normal (closed form, exact)",
        FitMethod.Qr => "qr (closed form by a streamed QR factor)",
        FitMethod.GradientDescent => "gd (batch gradient descent)",
        _ => "sgd (mini-batch stochastic gradient descent; reads the rows again each epoch)",
    };
}
