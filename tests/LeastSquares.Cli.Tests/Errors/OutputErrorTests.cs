using System.Text;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// An output that cannot be written (a full disk, a closed standard output, a file that cannot be
/// created) is an error with exit 2 naming the output and the reason, and leaves no partial file;
/// a missing folder is found before any reading (exit 1). Only a pipe whose reader has gone (EPIPE)
/// ends a run quietly (see OutputFileTests).
/// </summary>
public sealed class OutputErrorTests
{
    private const int Enospc = 28;

    [SkippableTheory]
    [InlineData("fit-json", "fit samples/linear.csv -f json")]
    [InlineData("fit-summary", "fit samples/multi.csv --summary")]
    [InlineData("predict", "predict --model {model} {big}")]
    public void A_full_disk_on_standard_output_is_exit_2_with_one_line(string golden, string command)
    {
        Shell.SkipUnlessUnixWithBinary(devFull: true);
        using var dir = new TempDir();
        var model = dir.File("m.json", Models.BOnA);
        var big = dir.File("big.csv", "a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", 100_000)));
        var args = command.Replace("{model}", model, StringComparison.Ordinal).Replace("{big}", big, StringComparison.Ordinal);

        // /dev/full fails every write with ENOSPC, as a full file system does.
        var r = Shell.Sh($"\"$LSQ\" {args} > /dev/full");

        Expect.Error(r.Code, r.Out, r.Err, 2, "output/full-disk-" + golden,
            "lsq: error: cannot write the output to standard output: No space left on device. The output is incomplete; free some space or redirect it elsewhere, then run again.\n");
    }

    [SkippableFact]
    public void A_closed_standard_output_is_exit_2_not_an_internal_error()
    {
        Shell.SkipUnlessUnixWithBinary();
        var r = Shell.Sh("\"$LSQ\" fit samples/linear.csv >&-");
        Expect.Error(r.Code, r.Out, r.Err, 2, "output/closed-stdout", "lsq: error: cannot write the output to standard output: it is closed or not open for writing.");
        Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Write_errors_other_than_a_broken_pipe_are_reported_in_process()
    {
        using var dir = new TempDir();
        var model = dir.File("m.json", Models.BOnA);
        var input = dir.File("d.csv", "a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", 100_000)));
        var sink = new FailingStream(allow: 100, Enospc);
        var stdout = new StreamWriter(new StdoutStream(sink), new UTF8Encoding(false), 1 << 12);
        var stderr = new StringWriter();
        int code = LsqApp.Run(["predict", "--model", model, input], new CliContext(stdout, stderr, () => Stream.Null));
        Expect.Error(code, null, stderr.ToString(), 2, "output/full-disk-in-process", "lsq: error: cannot write the output to standard output: No space left on device.");
        Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(sink.Attempts < 5, $"{sink.Attempts} writes after the first failure: lsq went on producing output");
    }

    [Theory]
    [InlineData(100, 1_000_000)] // fails while streaming (predict -o)
    [InlineData(30, 10)] // fails when the last buffer is written, on Commit (--save, -o of fit)
    public void A_file_that_cannot_be_written_names_the_file_and_leaves_nothing_behind(int allow, int lines)
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "pred.csv");
        var content = string.Concat(Enumerable.Repeat("1,2,3\n", lines));
        var e = Assert.Throws<OutputException>(() =>
        {
            using var pending = AtomicFile.Create(path, s => new FailingStream(allow, Enospc, s));
            pending.Writer.Write(content);
            pending.Commit();
        });
        Assert.Equal($"cannot write {path}: No space left on device. Nothing was written to it; free some space or choose another folder, then run again.", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void A_file_that_cannot_be_written_keeps_its_old_content()
    {
        using var dir = new TempDir();
        var path = dir.File("m.json", "old");
        Assert.Throws<OutputException>(() =>
        {
            using var pending = AtomicFile.Create(path, s => new FailingStream(0, Enospc, s));
            pending.Writer.Write(Models.BOnA);
            pending.Commit();
        });
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [SkippableFact]
    public void A_file_that_cannot_be_created_is_exit_2_naming_it()
    {
        // /proc does not take new files (even for root): an environment error, not a usage error or a bug.
        Skip.IfNot(Directory.Exists("/proc"), "needs /proc");
        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "--save", "/proc/lsq-model.json");
        Expect.Error(r, 2, "output/cannot-create", "lsq: error: cannot write /proc/lsq-model.json: ");
        Assert.DoesNotContain(".tmp", r.Err, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void An_existing_file_that_refuses_writes_is_exit_2_not_taken_for_a_closed_pipe()
    {
        Skip.IfNot(File.Exists("/proc/version"), "needs /proc");
        Expect.Error(Lsq.Run("fit", Lsq.Sample("linear.csv"), "-o", "/proc/version"), 2, "output/cannot-write-existing", "lsq: error: cannot write /proc/version");
    }

    [Fact]
    public void Save_into_a_missing_folder_fails_before_reading() =>
        Expect.Error(Lsq.Run("fit", "no/such/data.csv", "--save", "/no/such/folder/m.json"), 1, "output/save-missing-folder",
            "lsq: error: cannot write /no/such/folder/m.json: the folder /no/such/folder does not exist.");

    // Two outputs on one file: one would silently replace the other. Refused before the input is read (it does not exist here).
    [Theory]
    [InlineData("same-o-save", "-o", "same.json", "--save", "same.json", "-o and --save")]
    [InlineData("same-o-trace", "-o", "same.csv", "--trace", "./same.csv", "-o and --trace")]
    [InlineData("same-save-path", "--save", "m.json", "--path", "m.json", "--save and --path")]
    public void Two_outputs_naming_one_file_are_refused_before_reading(string golden, string first, string firstPath, string second, string secondPath,
        string options)
    {
        using var dir = new TempDir();
        string[] method = second == "--trace" ? ["-m", "gd"] : second == "--path" ? ["--penalty", "lasso", "--lambda", "auto"] : [];
        var r = Lsq.Run(["fit", "no/such/data.csv", first, Path.Combine(dir.Path, firstPath), second, Path.Combine(dir.Path, secondPath), .. method]);
        Expect.Error(r, 1, "output/" + golden, options + " both name the file", "one output would replace the other");
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void A_link_to_the_other_output_is_the_same_file()
    {
        using var dir = new TempDir();
        var target = dir.File("m.json", "{}");
        var link = Path.Combine(dir.Path, "link.json");
        File.CreateSymbolicLink(link, target);
        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-o", link, "--save", target);
        Assert.Equal(1, r.Code);
        Assert.Equal("{}", File.ReadAllText(target));
    }

    [Theory]
    [InlineData("-o")]
    [InlineData("--save")]
    public void Writing_over_the_input_is_refused_and_the_input_kept(string option)
    {
        using var dir = new TempDir();
        const string Csv = "x,y\n1,2.1\n2,3.9\n3,6.2\n4,7.8\n";
        var file = dir.File("data.csv", Csv);
        Expect.Error(Lsq.Run("fit", file, option, file), 1, "output/output-is-input-" + option.TrimStart('-'), file, "which the results would replace");
        Assert.Equal(Csv, File.ReadAllText(file));
    }

    [Fact]
    public void Predict_over_its_input_is_refused()
    {
        using var dir = new TempDir();
        var file = dir.File("data.csv", "x,y\n1,2.1\n2,3.9\n3,6.2\n4,7.8\n");
        var model = dir.Path + "/m.json";
        Assert.Equal(0, Lsq.Run("fit", file, "--save", model).Code);
        Expect.Error(Lsq.Run("predict", "--model", model, file, "-o", file), 1, "output/predict-output-is-input", "which the results would replace");
    }
}
