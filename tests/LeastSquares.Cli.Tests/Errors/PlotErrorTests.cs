using System.Diagnostics;
using LeastSquares.Cli.Commands;

namespace LeastSquares.Cli.Tests;

/// <summary>lsq plot: usage errors (exit 1) checked before anything is read, input errors (exit 2), and no image left behind.</summary>
public sealed class PlotErrorTests
{
    [Fact]
    public void Missing_file() =>
        Expect.Error(Lsq.Run("plot", "no/such/file.csv", "-o", "x.png"), 2, "plot/missing-file", "no/such/file.csv: no such file");

    [Fact]
    public void Missing_output() =>
        Expect.Error(Lsq.Run("plot", Lsq.Sample("linear.csv")), 1, "plot/missing-output", "lsq plot needs the image file to write: add -o FILE.png or -o FILE.svg.");

    [Theory]
    [InlineData("fit.jpg")]
    [InlineData("fit")]
    [InlineData("fit.png.txt")]
    public void Bad_extension(string name) =>
        Expect.Error(Lsq.Run("plot", Lsq.Sample("linear.csv"), "-o", name), 1, "plot/bad-extension-" + Expect.Slug(name),
            $"-o {name}: the image format comes from the extension, which must be .png or .svg.");

    [Fact]
    public void Bad_extension_is_reported_before_the_file_is_read() =>
        Expect.Error(Lsq.Run("plot", "no/such/file.csv", "-o", "x.gif"), 1, "plot/bad-extension-before-reading", "-o x.gif: the image format");

    [Fact]
    public void File_and_trace_together() =>
        Expect.Error(Lsq.Run("plot", Lsq.Sample("linear.csv"), "--trace", Lsq.Sample("linear.csv"), "-o", "x.png"), 1, "plot/file-and-trace", "lsq plot draws either a data file");

    [Fact]
    public void Data_options_with_trace_are_refused_not_ignored() =>
        Expect.Error(Lsq.Run("plot", "--trace", "t.csv", "--degree", "2", "--kind", "residuals", "-o", "x.png"), 1, "plot/data-options-with-trace",
            "--degree, --kind apply to pictures of data, not to --trace loss curves; leave them out.");

    [Theory]
    [InlineData("--width", "50")]
    [InlineData("--height", "20000")]
    [InlineData("--max-points", "1")]
    [InlineData("--kind", "histogram")]
    public void Bad_values_are_usage_errors(string option, string value) =>
        Expect.Error(Lsq.Run("plot", Lsq.Sample("linear.csv"), "-o", "x.png", option, value), 1, "plot/bad-value-" + Expect.Slug(option + " " + value),
            option == "--kind" ? "histogram" : option);

    [Fact]
    public void Non_numeric_cell_in_the_data() =>
        Expect.Error(Lsq.Run("plot", Lsq.Sample("bad.csv"), "-o", "x.png"), 2, "plot/non-numeric-cell", "bad.csv:4:2: column 'y' holds 'abc'");

    [Fact]
    public void Unwritable_output_folder() =>
        Expect.Error(Lsq.Run("plot", Lsq.Sample("linear.csv"), "-o", "no/such/folder/x.png"), 1, "plot/missing-output-folder",
            "cannot write no/such/folder/x.png: the folder ", " does not exist");

    // Loss curves (--trace).

    [Fact]
    public void Missing_trace_file() =>
        Expect.Error(Lsq.Run("plot", "--trace", "no/such/trace.csv", "-o", "x.png"), 2, "plot/missing-trace", "no/such/trace.csv: no such file");

    /// <summary>Files given to --trace that are not a usable trace: the file's name and text, the golden case, what the message must say.</summary>
    public static TheoryData<string, string, string, string> BadTraces => new()
    {
        {
            "data.csv", "x,y\n1,2\n", "plot/trace-wrong-header",
            "data.csv:1: not a trace written by 'lsq fit --trace': its header is 'x,y', but a trace starts with 'iteration,loss,gradient_norm,step'."
        },
        {
            "trace.csv", "iteration,loss,gradient_norm,step\n0,5,1,0.1\n1,oops,1,0.1\n", "plot/trace-non-numeric-loss",
            "trace.csv:3:2: column 'loss' holds 'oops', which is not a number"
        },
        {
            "trace.csv", "iteration,loss,gradient_norm,step\n0,5,1,0.1\n1,-2,1,0.1\n", "plot/trace-negative-loss",
            "trace.csv:3:2: the loss is -2, but a mean squared error is never negative"
        },
        { "trace.csv", "iteration,loss,gradient_norm,step\n", "plot/trace-header-only", "trace.csv: the input has a header but no data rows" },
    };

    [Theory]
    [MemberData(nameof(BadTraces))]
    public void Bad_trace_file_is_an_input_error_that_says_where(string name, string text, string golden, string fact)
    {
        using var dir = new TempDir();
        var file = dir.File(name, text);
        Expect.Error(Lsq.Run("plot", "--trace", file, "-o", Path.Combine(dir.Path, "x.png")), 2, golden, fact);
    }

    // A saved model (--model).

    [Theory]
    [InlineData("--degree 2", "--degree (a fit option) would be ignored. Drop it")]
    [InlineData("-y y -x x", "--target, --features (fit options) would be ignored. Drop them")]
    [InlineData("--no-intercept", "--no-intercept (a fit option) would be ignored. Drop it")]
    [InlineData("-m qr", "--method (a fit option) would be ignored. Drop it")]
    [InlineData("-m normal", "--method (a fit option) would be ignored. Drop it")]
    public void Fit_options_with_a_saved_model_are_refused_not_ignored(string options, string message)
    {
        var r = Lsq.Run(["plot", Lsq.Sample("linear.csv"), "--model", Lsq.Sample("linear-model.json"), "-o", "x.png", .. options.Split(' ')]);
        Expect.Error(r, 1, "plot/model-with-" + Expect.Slug(options),
            "lsq: error: --model draws a saved model instead of fitting one, so " + message + " to draw the saved model, or drop --model to fit the data.\n");
        Assert.False(File.Exists("x.png"));
    }

    [Fact]
    public void Saved_model_with_trace_is_refused() =>
        Expect.Error(Lsq.Run("plot", "--trace", "t.csv", "--model", Lsq.Sample("linear-model.json"), "-o", "x.png"), 1, "plot/model-with-trace",
            "--model applies to pictures of data, not to --trace loss curves; leave it out.");

    [Fact]
    public void Saved_model_with_trace_is_refused_without_the_parser()
    {
        var stderr = new StringWriter();
        int code = PlotCommand.Run(new PlotSettings { Traces = ["t.csv"], ModelPath = "m.json", OutputPath = "x.png" },
            new CliContext(TextWriter.Null, stderr, () => new MemoryStream()));
        Expect.Error(code, null, stderr.ToString(), 1, "plot/model-with-trace-without-parser", "lsq: error: --model applies to pictures of data");
    }

    [Fact]
    public void Missing_target_column_is_named()
    {
        using var dir = new TempDir();
        var data = dir.File("data.csv", "x,z\n1,2\n2,3\n");
        Expect.Error(Lsq.Run("plot", data, "--model", Lsq.Sample("linear-model.json"), "-o", Path.Combine(dir.Path, "x.png")), 2, "plot/model-target-missing",
            "data.csv has no column 'y', which the model ", "linear-model.json uses as its target. Its columns are: 'x', 'z'. Give the file a column of that name");
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Missing_predictor_column_is_named() =>
        Expect.Error(Lsq.Run("plot", Lsq.Sample("multi.csv"), "--model", Lsq.Sample("linear-model.json"), "-o", "x.png"), 2, "plot/model-predictor-missing",
            "multi.csv has no column 'x', which the model ", "linear-model.json uses as a predictor. Its columns are: 'x1', 'x2', 'x3', 'y'.");

    /// <summary>Data that linear-model.json cannot be drawn over: the file's text, the golden case, what the message must say.</summary>
    [Theory]
    [InlineData("x,y,y\n1,2,3\n", "plot/model-column-twice", "data.csv: the header names column 'y' more than once, and the model needs it as its target. Rename one of them.")]
    [InlineData("x,y\n", "plot/model-data-header-only", "data.csv: the input has a header but no data rows.")]
    public void Data_a_saved_model_cannot_be_drawn_over_is_an_input_error(string text, string golden, string fact)
    {
        using var dir = new TempDir();
        var data = dir.File("data.csv", text);
        Expect.Error(Lsq.Run("plot", data, "--model", Lsq.Sample("linear-model.json"), "-o", Path.Combine(dir.Path, "x.png")), 2, golden, fact);
    }

    [Fact]
    public void Missing_model_file() =>
        Expect.Error(Lsq.Run("plot", Lsq.Sample("linear.csv"), "--model", "no/such/model.json", "-o", "x.png"), 2, "plot/model-missing",
            "no/such/model.json: no such model file. Save one with 'lsq fit DATA --save no/such/model.json'.");

    [Fact]
    public void Invalid_model_file()
    {
        using var dir = new TempDir();
        var model = dir.File("m.json", "{\"format\": \"something else\"}");
        Expect.Error(Lsq.Run("plot", Lsq.Sample("linear.csv"), "--model", model, "-o", Path.Combine(dir.Path, "x.png")), 2, "plot/model-invalid",
            "m.json: is not an lsq model: \"format\" must be \"lsq-model\"");
    }

    /// <summary>
    /// The built lsq with no fonts: /usr/share/fonts is hidden behind an empty folder in a private
    /// mount namespace (needs root and unshare, as on CI), so SkiaSharp finds no font at all.
    /// </summary>
    [SkippableFact]
    public void Plot_without_any_font_stops_with_exit_2_and_writes_no_image()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && File.Exists("/usr/bin/unshare") && Environment.UserName == "root",
            "needs Linux, unshare and root to hide /usr/share/fonts");
        using var dir = new TempDir();
        var empty = Directory.CreateDirectory(Path.Combine(dir.Path, "empty")).FullName;
        var image = Path.Combine(dir.Path, "fit.png");
        var script = $"mount --bind '{empty}' /usr/share/fonts || exit 99; echo mounted; exec '{Shell.Exe}' plot '{Lsq.Sample("linear.csv")}' -o '{image}'";
        var start = new ProcessStartInfo("/usr/bin/unshare", ["-m", "sh", "-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Skip.IfNot(stdout.StartsWith("mounted", StringComparison.Ordinal), $"cannot hide the fonts here: {stderr.Trim()}");

        Assert.Equal("mounted\n", stdout); // and nothing from lsq
        Expect.Error(process.ExitCode, null, stderr, 2, "plot/no-font", "lsq: error: no font found to draw the picture's text with", "apt-get install fonts-dejavu-core");
        Assert.False(File.Exists(image));
    }

    [Theory]
    [InlineData("path", "", "path-without-penalty", "--kind path draws the λ path of a penalized fit")]
    [InlineData("cv", "--penalty lasso --lambda 0.5", "cv-fixed-lambda", "a fixed --lambda has no path")]
    [InlineData("path", "--penalty lasso --lambda auto -m qr", "path-with-method", "--method does not apply")]
    [InlineData("diagnostics", "--penalty ridge --lambda auto", "diagnostics-penalized", "a penalized fit has no such measures")]
    [InlineData("leverage", "--penalty lasso --lambda 1", "leverage-penalized", "a penalized fit has no such measures")]
    [InlineData("fit", "--penalty lasso --lambda 1", "fit-penalized", "--penalty draws the λ path")]
    [InlineData("qq", "--folds 5", "qq-folds-without-penalty", "--folds sets up a penalized fit")]
    public void Kinds_that_need_or_refuse_a_penalty_say_so_before_reading(string kind, string options, string golden, string fact)
    {
        // The file does not exist: the usage error comes first.
        string[] extra = options.Length == 0 ? [] : options.Split(' ');
        Expect.Error(Lsq.Run(["plot", "no/such/file.csv", "--kind", kind, "-o", "x.png", .. extra]), 1, "plot/" + golden, fact);
    }

    [Fact]
    public void Excess_loss_needs_a_trace() =>
        Expect.Error(Lsq.Run("plot", Lsq.Sample("linear.csv"), "--excess-loss", "-o", "x.png"), 1, "plot/excess-loss-without-trace", "--excess-loss", "--trace FILE");

    [Fact]
    public void Diagnostics_need_the_fit_of_the_data_not_a_saved_model() =>
        Expect.Error(Lsq.Run("plot", Lsq.Sample("linear.csv"), "--model", Lsq.Sample("linear-model.json"), "--kind", "qq", "-o", "x.png"), 1, "plot/qq-with-model",
            "--kind qq needs the fit of the data itself");

    [Fact]
    public void Diagnostics_need_residual_degrees_of_freedom()
    {
        using var dir = new TempDir();
        var data = Path.Combine(dir.Path, "two.csv");
        File.WriteAllText(data, "x,y\n1,2\n2,5\n");
        Expect.Error(Lsq.Run("plot", data, "--kind", "diagnostics", "-o", Path.Combine(dir.Path, "x.png")), 2, "plot/diagnostics-no-residual-df",
            "two.csv: the fit of 2 rows with 2 coefficients has no residual degrees of freedom");
        Assert.False(File.Exists(Path.Combine(dir.Path, "x.png")));
    }
}
