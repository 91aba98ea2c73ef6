using System.CommandLine;
using System.Globalization;
using LeastSquares.Cli.Input;

namespace LeastSquares.Cli.Options;

/// <summary>Options shared by several commands, each declared once with its description and default.</summary>
internal static class CommonOptions
{
    public static Argument<string?> File()
    {
        var a = new Argument<string?>("file")
        {
            Description = "CSV input; '-' or absent reads standard input",
            Arity = ArgumentArity.ZeroOrOne,
        };
        a.Validators.Add(r =>
        {
            // An unknown option would otherwise be taken for a file name.
            if (r.GetValueOrDefault<string?>() is { } v && Operands.LooksLikeOption(v))
            {
                r.AddError(CliMessages.UnknownOption(v));
            }
        });
        return a;
    }

    /// <summary>The formula after the file; any other second argument is the mistake it was before formulas (<paramref name="command"/> names the command).</summary>
    public static Argument<string?> FormulaArgument(string command)
    {
        var a = new Argument<string?>("formula")
        {
            Description = "The model as an R formula, e.g. 'mpg ~ wt + log(hp)' (the same as -F)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        a.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } v && !v.Contains('~', StringComparison.Ordinal))
            {
                r.AddError(Operands.LooksLikeOption(v) ? $"unknown option '{v}'." : $"unexpected argument '{v}': lsq {command} reads one input file.");
            }
        });
        return a;
    }

    /// <summary>
    /// Whether a positional argument is the model as an R formula: it contains '~', unless it names
    /// an existing file and is no formula (an editor's backup data.csv~, a~1.csv, ./x~y.csv), which is
    /// then read as that file. A file whose name is also a formula (x~y) is read when written ./x~y.
    /// </summary>
    public static bool IsFormula(string argument)
    {
        if (!argument.Contains('~', StringComparison.Ordinal))
        {
            return false;
        }

        if (!System.IO.File.Exists(argument))
        {
            return true;
        }

        try
        {
            LeastSquares.Terms.Formulas.FormulaParser.ParseSyntax(argument);
            return true;
        }
        catch (LeastSquares.Terms.Formulas.FormulaException)
        {
            return false;
        }
    }

    /// <summary>Several inputs read as one (lsq fit): each may be compressed; none means standard input.</summary>
    public static Argument<string[]> Files()
    {
        var a = new Argument<string[]>("files")
        {
            Description = "CSV inputs, read as one (their headers must match; each may be .gz or .zst); '-' or none reads standard input; an argument containing '~' is the model as an R formula (the same as -F)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        RejectUnknownOptions(a);
        return a;
    }

    /// <summary>
    /// Makes the first value of <paramref name="inputs"/> that looks like an option an error (an
    /// unknown option would otherwise be taken for a file name); a value holding '~' is a formula.
    /// </summary>
    public static void RejectUnknownOptions(Argument<string[]> inputs) =>
        inputs.Validators.Add(r =>
        {
            foreach (var v in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (Operands.LooksLikeOption(v) && !v.Contains('~', StringComparison.Ordinal))
                {
                    r.AddError(CliMessages.UnknownOption(v));
                    return;
                }
            }
        });

    public static Option<string?> Formula() => new("--formula", "-F")
    {
        Description = "The model as an R formula: 'y ~ x1 + log(x2) + x1:x2', '.' for every other column (see docs/models.md)",
        HelpName = "F",
    };

    public static Option<string?> Target() => new("--target", "-y")
    {
        Description = "Response column, by header name or 1-based number [default: last column]",
        HelpName = "NAME",
    };

    public static Option<string?> Features() => new("--features", "-x")
    {
        Description = "Comma-separated predictor columns: names, numbers, globs ('x*'), name ranges (x1:x5), number ranges (2-5) [default: all other columns]",
        HelpName = "LIST",
    };

    public static Option<string?> Exclude() => new("--exclude")
    {
        Description = "Comma-separated columns to leave out of the predictors (every other column but the target is used); same forms as --features",
        HelpName = "LIST",
    };

    public static Option<int> Degree() =>
        Integer("--degree", "Polynomial terms x, x^2, ..., x^N of the single predictor", Defaults.Degree, 1, 30);

    /// <summary>
    /// A whole-number option parsed here rather than by System.CommandLine, so that text that is
    /// not a number, or is out of range, gives one plain usage error (never an exception).
    /// </summary>
    public static Option<int> Integer(string name, string description, int defaultValue, int min, int max, string helpName = "N")
    {
        var o = new Option<int>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            HelpName = helpName,
        };
        o.CustomParser = r =>
        {
            if (r.Tokens.Count == 0)
            {
                return defaultValue;
            }

            var text = r.Tokens[^1].Value;
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
            {
                r.AddError(CliMessages.BadWholeNumber(name, text, Show(min), Show(max)));
                return defaultValue;
            }

            return v;
        };
        return o;
    }

    /// <summary>A real-number option (invariant culture, finite, within [min, max] or above min when exclusive), or null when absent.</summary>
    public static Option<double?> Real(string name, string description, double min, bool minExclusive, string helpName, params string[] aliases)
    {
        var o = new Option<double?>(name, aliases)
        {
            Description = description,
            HelpName = helpName,
        };
        o.CustomParser = r => r.Tokens.Count == 0 ? null : ParseReal(r, name, min, minExclusive);
        return o;
    }

    /// <summary>Like <see cref="Real"/> with a default value.</summary>
    public static Option<double> Real(string name, string description, double defaultValue, double min, bool minExclusive, string helpName)
    {
        var o = new Option<double>(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => defaultValue,
        };
        o.CustomParser = r => r.Tokens.Count == 0 ? defaultValue : ParseReal(r, name, min, minExclusive) ?? defaultValue;
        return o;
    }

    private static double? ParseReal(System.CommandLine.Parsing.ArgumentResult r, string name, double min, bool minExclusive)
    {
        var text = r.Tokens[^1].Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            && (minExclusive ? v > min : v >= min))
        {
            return v;
        }

        r.AddError(CliMessages.BadReal(name, text, min == 0 ? null : Show(min), minExclusive));
        return null;
    }

    private static string Show(double v) => v.ToString(CultureInfo.InvariantCulture);

    public static Option<string?> By() => new("--by")
    {
        Description = "Fit one model per group of these columns (same forms as --features), in one pass; groups in order of first appearance (see docs/groups.md)",
        HelpName = "LIST",
    };

    /// <summary>lsq plot's --by: a panel per group in one picture.</summary>
    public static Option<string?> PlotBy() => new("--by")
    {
        Description = "Draw one panel per group of these columns (same forms as --features) in one picture, on shared axes, as ggplot's facet_wrap; at most 25 groups",
        HelpName = "LIST",
    };

    public static Option<int> MaxGroups() =>
        Integer("--max-groups", "--by: the most groups allowed (one model each in memory); more is an input error", Defaults.MaxGroups, 1, int.MaxValue);

    public static Option<bool> Wide() => new("--wide")
    {
        Description = "csv/tsv: one row per model (n, mse, rmse, r_squared, adj_r_squared, then one column per coefficient) instead of one row per term",
    };

    public static Option<bool> NoIntercept() => new("--no-intercept")
    {
        Description = "Fit through the origin (no intercept term)",
    };

    public static Option<bool> Partial() => new("--partial")
    {
        Description = "Write the mergeable state of the rows (one JSON line for 'lsq merge') instead of a fit",
    };

    public static Option<string?> Delimiter() => new("--delimiter")
    {
        Description = "Field separator: one character, or 'tab' [default: ',' or tab for .tsv files]",
        HelpName = "C",
    };

    public static Option<string?> Decimal() => new("--decimal")
    {
        Description = "Decimal mark of the numbers read: '.' or ',' (R's write.csv2; the delimiter then defaults to ';') [default: .]",
        HelpName = "C",
    };

    /// <summary>Validates --decimal against the delimiter: true for a decimal comma.</summary>
    public static bool ParseDecimal(string? text, char? delimiter) => text switch
    {
        null or "." => false,
        "," when delimiter == ',' => throw new UsageException(CliMessages.DecimalCommaWithComma),
        "," => true,
        _ => throw new UsageException(CliMessages.BadDecimal(text)),
    };

    public static Option<bool> NoHeader() => new("--no-header")
    {
        Description = "The first line is data; columns are named V1, V2, ...",
    };

    public static Option<string> Aliased() =>
        Words.Aliased.Option("--aliased", "A rank-deficient design: 'error' stops naming the collinear columns; 'na' fits without each column that is a combination of those before it and reports its coefficient as NA, as R's lm (normal, qr)", Defaults.Aliased);

    public static Option<string> Missing() =>
        Words.Missing.Option("--missing", "What an empty cell does: 'error' stops, 'skip' leaves the row out and reports the count", Defaults.Missing, [MissingPolicy.Error, MissingPolicy.Skip]);

    /// <summary>predict's --missing: a row is never left out (the output stays row for row), but its prediction may be NA.</summary>
    public static Option<string> PredictMissing() =>
        Words.Missing.Option("--missing", "What a missing predictor cell (empty or NA) does: 'error' stops at the row, 'na' writes NA as its prediction (R's predict) and reports the count", Defaults.Missing, [MissingPolicy.Error, MissingPolicy.Na]);

    public static Option<string?> NaValues()
    {
        var option = new Option<string?>("--na-values")
        {
            Description = "Comma-separated cell texts that mean a missing value, besides the empty cell [default: NA]",
            HelpName = "LIST",
        };
        option.Validators.Add(r =>
        {
            // A cell that reads as a number is that number wherever lsq reads numbers; a sentinel
            // such as -999 listed here would be fitted as data, so it is refused rather than ignored.
            var texts = (r.GetValueOrDefault<string?>() ?? "").Split(',').Select(v => v.Trim());
            if (texts.FirstOrDefault(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)) is { } number)
            {
                r.AddError(CliMessages.NumericNaValue(number));
            }
        });
        return option;
    }

    public static Option<string> Format() => Words.Format.Option("--format", "Output format on stdout", Defaults.Format, null, "-f");

    public static Option<string?> Output() => new("--output", "-o")
    {
        Description = "Write results to this file (atomically) instead of stdout",
        HelpName = "FILE",
    };

    /// <summary>--level: the level of intervals, strictly between 0 and 1 (fit's confidence intervals, predict's --interval).</summary>
    public static Option<double> Level(string description)
    {
        var level = new Option<double>("--level")
        {
            Description = description,
            HelpName = "L",
            DefaultValueFactory = _ => Defaults.Level,
        };
        level.CustomParser = ParseLevel;
        return level;
    }

    /// <summary>A confidence level: a number strictly between 0 and 1.</summary>
    private static double ParseLevel(System.CommandLine.Parsing.ArgumentResult r)
    {
        if (r.Tokens.Count == 0)
        {
            return Defaults.Level;
        }

        var text = r.Tokens[^1].Value;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) && v > 0 && v < 1)
        {
            return v;
        }

        r.AddError(CliMessages.BadLevel(text));
        return Defaults.Level;
    }

    public static Option<bool> Quiet() => new("--quiet", "-q")
    {
        Description = "Print no warnings on stderr (errors are still printed)",
    };

    /// <summary>Validates --delimiter text into a character.</summary>
    public static char? ParseDelimiter(string? text) => text switch
    {
        null => null,
        "tab" or "\\t" or "\t" => '\t',
        { Length: 1 } s when s[0] is not ('"' or '\r' or '\n') && s[0] < 128 => s[0],
        _ => throw new UsageException(CliMessages.BadDelimiter(text)),
    };

    /// <summary>The names of those of <paramref name="options"/> the user typed (not left to their defaults).</summary>
    public static string[] Given(ParseResult parse, IEnumerable<Option> options) =>
        options.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToArray();

    /// <summary>Splits --features into names, rejecting empty entries.</summary>
    public static IReadOnlyList<string>? ParseList(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        var parts = text.Split(',').Select(p => p.Trim()).ToArray();
        if (parts.Any(p => p.Length == 0))
        {
            throw new UsageException(CliMessages.EmptyListEntry(option, text));
        }

        return parts;
    }
}
