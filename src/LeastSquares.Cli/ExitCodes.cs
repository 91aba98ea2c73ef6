namespace LeastSquares.Cli;

/// <summary>The process exit codes; documented in the README and in <c>lsq --help</c>.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Usage = 1;
    public const int Input = 2;
    public const int Numerical = 3;
    public const int Internal = 70;
    public const int Interrupted = 130;

    /// <summary>The codes a command can end with and what they mean, for its --help.</summary>
    public static IReadOnlyList<(int Code, string Meaning)> For(string command)
    {
        const string Output = "; or an output that cannot be written (disk full, I/O error, standard output closed)";
        bool solves = command is not ("predict" or "plot" or "anova");
        var codes = new List<(int, string)>
        {
            (Success, "success; also when the reader of the output stops early (lsq ... | head)"
                + (solves ? "; a gd run that stops at --max-iter warns and still exits 0" : "")),
            (Usage, "usage error: unknown option, bad value" + (command is "predict" or "merge" ? "" : ", unknown column")),
            (Input, command switch
            {
                "predict" => "input error: missing or invalid model file, missing predictor column, malformed CSV, non-numeric or empty value" + Output,
                "merge" => "input error: missing or unreadable file, a corrupt partial, partials of different models" + Output,
                "anova" => "input error: missing or unreadable file, malformed CSV, non-numeric, non-finite or missing value, a negative or missing weight" + Output,
                "plot" => "input error: missing or unreadable file, malformed CSV, non-numeric, non-finite or missing value, a file that is not a trace, "
                    + "an invalid model file, no font or drawing library installed" + Output,
                _ => "input error: missing or unreadable file, malformed CSV, non-numeric, non-finite or missing value, a negative or missing weight" + Output,
            }),
        };
        if (command != "predict")
        {
            codes.Add((Numerical, command == "anova" ? "numerical failure: constant or collinear columns, too few rows"
                : "numerical failure: constant or collinear columns, too few rows, gd diverged"
                + (command == "plot" ? "" : "; with --strict, gd did not converge")));
        }

        codes.Add((Interrupted, "interrupted"));
        return codes;
    }

    /// <summary>A few commands to copy, shown at the end of each command's --help.</summary>
    public static IReadOnlyList<string> Examples(string command) => command switch
    {
        "fit" =>
        [
            "lsq fit data.csv                                   # y (the last column) on all the others",
            "lsq fit data.csv -y price -x area,rooms --summary  # chosen columns, with standard errors and R^2",
            "lsq fit data.csv --method gd --alpha 0.01 --trace loss.csv",
            "lsq fit data.csv --save model.json -f json | jq .mse",
        ],
        "anova" =>
        [
            "lsq anova data.csv 'y ~ a + b + a:b'               # sequential (type I) table, one row per term",
            "lsq anova data.csv 'y ~ a' 'y ~ a + b + c'         # F test of the smaller model against the larger",
            "lsq anova data.csv 'y ~ a + b' --weights w -f csv",
        ],
        "predict" =>
        [
            "lsq predict --model model.json new.csv             # new.csv with a prediction column",
            "lsq predict --model model.json new.csv --only -o predictions.csv",
            "cat new.csv | lsq predict --model model.json | head",
        ],
        "merge" =>
        [
            "lsq merge part-1.partial part-2.partial --summary",
            "cat *.partial | lsq merge -f json",
            "lsq merge --partial a.partial b.partial > ab.partial  # merged again, for a further merge",
        ],
        "plot" =>
        [
            "lsq plot data.csv -o fit.png                       # the rows and the fitted line",
            "lsq plot data.csv --kind diagnostics -o diag.png   # R's plot.lm: residuals, Q-Q, leverage",
            "lsq plot new.csv --model model.json -o check.png   # a saved model on other rows",
            "lsq plot --trace a.csv b.csv -o loss.png           # loss curves of lsq fit --trace",
        ],
        _ =>
        [
            "lsq fit data.csv",
            "lsq fit --help                                     # every option of a command",
        ],
    };
}

/// <summary>A mistake in how lsq was called (exit 1).</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Input that cannot be read as the data lsq needs (exit 2; an output that cannot be written is <see cref="Output.OutputException"/>, also exit 2).</summary>
internal sealed class InputException(string message) : Exception(message);

/// <summary>A numerical outcome the user asked to treat as failure, such as --strict without convergence (exit 3).</summary>
internal sealed class StrictFailureException(string message) : Exception(message);

/// <summary>A numerical failure the CLI can tell before fitting, such as inputs with fewer lines than the model has coefficients (exit 3).</summary>
internal sealed class NumericalInputException(string message) : Exception(message);
