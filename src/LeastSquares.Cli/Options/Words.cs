using System.CommandLine;
using LeastSquares.Cli.Commands;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Options;

/// <summary>
/// The words a user types for the values of an enumerated option, in the order help and errors
/// list them. Text becomes the enum here, once, as the option is read; nothing after that sees the word.
/// </summary>
internal sealed class Words<T>(params (T Value, string Word)[] pairs)
    where T : struct, Enum
{
    /// <summary>The word for <paramref name="value"/>.</summary>
    public string Of(T value)
    {
        foreach (var (v, word) in pairs)
        {
            if (EqualityComparer<T>.Default.Equals(v, value))
            {
                return word;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, null);
    }

    /// <summary>The value a word names; false for any other text.</summary>
    public bool TryParse(string? word, out T value)
    {
        foreach (var (v, w) in pairs)
        {
            if (string.Equals(w, word, StringComparison.Ordinal))
            {
                value = v;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The value of a word the parser has already accepted.</summary>
    public T Parse(string? word) => TryParse(word, out var value) ? value : throw new ArgumentOutOfRangeException(nameof(word), word, null);

    /// <summary>
    /// An option that accepts the words of <paramref name="offered"/> (all values when null),
    /// defaulting to <paramref name="defaultValue"/>.
    /// </summary>
    public Option<string> Option(string name, string description, T defaultValue, IReadOnlyList<T>? offered = null, params string[] aliases)
    {
        var words = offered is null ? pairs.Select(p => p.Word).ToArray() : offered.Select(Of).ToArray();
        var option = new Option<string>(name, aliases)
        {
            Description = description,
            DefaultValueFactory = _ => Of(defaultValue),
        };
        option.AcceptOnlyFromAmong(words);
        return option;
    }
}

/// <summary>The word tables of lsq's enumerated options.</summary>
internal static class Words
{
    public static readonly Words<FitMethod> Method = new(
        (FitMethod.Normal, "normal"),
        (FitMethod.Qr, "qr"),
        (FitMethod.GradientDescent, "gd"),
        (FitMethod.StochasticGradientDescent, "sgd"));

    public static readonly Words<OutputFormat> Format = new((OutputFormat.Table, "table"), (OutputFormat.Json, "json"), (OutputFormat.Csv, "csv"));

    public static readonly Words<FeatureScaling> Scaling = new((FeatureScaling.Standard, "standard"), (FeatureScaling.None, "none"));

    public static readonly Words<LearningRateSchedule> Schedule = new(
        (LearningRateSchedule.Constant, "constant"),
        (LearningRateSchedule.Step, "step"),
        (LearningRateSchedule.Exponential, "exp"),
        (LearningRateSchedule.InverseTime, "invtime"));

    public static readonly Words<Optimizer> Optimizer = new(
        (LeastSquares.Optimizer.Plain, "plain"),
        (LeastSquares.Optimizer.Momentum, "momentum"),
        (LeastSquares.Optimizer.Adam, "adam"));

    public static readonly Words<MissingPolicy> Missing = new((MissingPolicy.Error, "error"), (MissingPolicy.Skip, "skip"));

    public static readonly Words<PlotKind> Kind = new((PlotKind.Fit, "fit"), (PlotKind.Residuals, "residuals"));

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
        _ => "sgd (mini-batch stochastic gradient descent; holds the rows in memory)",
    };
}
