using System.Diagnostics;
using System.Text;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// An output that cannot be written (a full disk, a closed standard output) is an error with exit 2
/// naming the output and the reason; only a pipe whose reader has gone (EPIPE) ends a run quietly.
/// </summary>
public sealed class OutputErrorTests
{
    private const int Enospc = 28;
    private const string Model = """{"format":"lsq-model","version":1,"target":"b","predictors":["a"],"degree":1,"intercept":true,"terms":["(intercept)","a"],"coefficients":[1,2]}""";

    private static (int Code, string Out, string Err) Sh(string script)
    {
        var start = new ProcessStartInfo("/bin/sh", ["-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Lsq.RepoRoot,
        };
        start.Environment["LSQ"] = Path.Combine(AppContext.BaseDirectory, "lsq");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "the shell did not finish in 2 minutes");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static void SkipUnlessUnixWithBinary()
    {
        Skip.If(OperatingSystem.IsWindows(), "needs /bin/sh and /dev/full");
        Skip.IfNot(File.Exists("/dev/full"), "/dev/full is missing");
        Skip.IfNot(File.Exists(Path.Combine(AppContext.BaseDirectory, "lsq")), "the lsq apphost is not in the test folder");
    }

    [SkippableFact]
    public void Output_to_a_symbolic_link_writes_its_target_and_keeps_the_link()
    {
        SkipUnlessUnixWithBinary();
        using var dir = new TempDir();
        var target = dir.File("real.csv", "old\n");
        var link = Path.Combine(dir.Path, "link.csv");
        File.CreateSymbolicLink(link, target);

        var r = Sh($"\"$LSQ\" fit samples/linear.csv -f csv -o '{link}'");

        Assert.Equal((0, ""), (r.Code, r.Err));
        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.StartsWith("term,estimate\n(intercept),3.79858661349736", File.ReadAllText(target), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Output_to_the_standard_output_descriptor_follows_what_the_shell_already_wrote()
    {
        // -o /dev/stdout as scripts write it, here through /proc/self/fd/1 (where /dev/stdout
        // leads), which a regression could not replace: after a header the shell wrote to the
        // same file, and through a link of the user's to the descriptor, into a pipe.
        SkipUnlessUnixWithBinary();
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "out.csv");
        var link = Path.Combine(dir.Path, "so");
        File.CreateSymbolicLink(link, "/proc/self/fd/1");

        var r = Sh($"{{ echo header; \"$LSQ\" fit samples/linear.csv -f csv -o /proc/self/fd/1; }} > '{file}' && cat '{file}' && \"$LSQ\" fit samples/linear.csv -f csv -o '{link}' | cat");

        Assert.Equal((0, ""), (r.Code, r.Err));
        var fit = "term,estimate\n(intercept),3.7985866134973625\nx,3.159811265328241\n";
        Assert.Equal("header\n" + fit + fit, r.Out);
        Assert.Equal("/proc/self/fd/1", new FileInfo(link).LinkTarget);
    }

    [SkippableFact]
    public void Replacing_an_output_file_keeps_its_permissions()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix permissions");
        if (OperatingSystem.IsWindows())
        {
            return; // (for the platform analyzer, which does not read Skip)
        }

        using var dir = new TempDir();
        var file = dir.File("private.csv", "old\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-f", "csv", "-o", file);

        Assert.Equal(0, r.Code);
        Assert.StartsWith("term,estimate", File.ReadAllText(file), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [SkippableFact]
    public void Sigterm_stops_a_run_like_ctrl_c_leaving_no_partial_output()
    {
        // timeout(1) and CI runners stop a job with SIGTERM; its -o file must not be left half
        // written, nor its temporary file behind. The input never ends (yes), so the run is
        // still going when the signal comes.
        SkipUnlessUnixWithBinary();
        using var dir = new TempDir();
        var model = dir.File("m.json", Model);
        var output = Path.Combine(dir.Path, "pred.csv");

        var r = Sh($"(echo a; yes 1 2>/dev/null) | \"$LSQ\" predict --model '{model}' - -o '{output}' & sleep 1; kill -TERM $!; wait $!; echo \"exit $?\"; ls -A '{dir.Path}'");

        Assert.Equal("exit 130\nm.json\n", r.Out);
        Assert.Equal("lsq: error: interrupted.\n", r.Err);
    }

    [SkippableFact]
    public void Output_to_a_named_pipe_goes_through_the_pipe_which_stays_a_pipe()
    {
        // A rename over the FIFO would leave its reader waiting for ever and an ordinary file in its place.
        SkipUnlessUnixWithBinary();
        using var dir = new TempDir();
        var fifo = Path.Combine(dir.Path, "fifo");
        var received = Path.Combine(dir.Path, "received.csv");

        var r = Sh($"mkfifo '{fifo}' && (cat '{fifo}' > '{received}' &) && \"$LSQ\" fit samples/linear.csv -f csv -o '{fifo}' && sleep 0.2 && test -p '{fifo}' && cat '{received}'");

        Assert.Equal((0, ""), (r.Code, r.Err));
        Assert.StartsWith("term,estimate\n(intercept),3.79858661349736", r.Out, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("fit samples/linear.csv -f json")]
    [InlineData("fit samples/multi.csv --summary")]
    [InlineData("predict --model {model} {big}")]
    public void A_full_disk_on_standard_output_is_exit_2_with_one_line(string command)
    {
        SkipUnlessUnixWithBinary();
        using var dir = new TempDir();
        var model = dir.File("m.json", Model);
        var big = dir.File("big.csv", "a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", 100_000)));
        var args = command.Replace("{model}", model, StringComparison.Ordinal).Replace("{big}", big, StringComparison.Ordinal);

        // /dev/full fails every write with ENOSPC, as a full file system does.
        var r = Sh($"\"$LSQ\" {args} > /dev/full");

        Assert.Equal(2, r.Code);
        Assert.Equal(
            "lsq: error: cannot write the output to standard output: No space left on device. The output is incomplete; free some space or redirect it elsewhere, then run again.\n",
            r.Err);
    }

    [SkippableFact]
    public void A_closed_standard_output_is_exit_2_not_an_internal_error()
    {
        SkipUnlessUnixWithBinary();
        var r = Sh("\"$LSQ\" fit samples/linear.csv >&-");
        Assert.Equal(2, r.Code);
        Assert.StartsWith("lsq: error: cannot write the output to standard output: it is closed or not open for writing.", r.Err, StringComparison.Ordinal);
        Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Write_errors_other_than_a_broken_pipe_are_reported_in_process()
    {
        using var dir = new TempDir();
        var model = dir.File("m.json", Model);
        var input = dir.File("d.csv", "a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", 100_000)));
        var sink = new FailingStream(allow: 100, Enospc);
        var stdout = new StreamWriter(new StdoutStream(sink), new UTF8Encoding(false), 1 << 12);
        var stderr = new StringWriter();
        int code = LsqApp.Run(["predict", "--model", model, input], new CliContext(stdout, stderr, () => Stream.Null));
        Assert.Equal(2, code);
        Assert.StartsWith("lsq: error: cannot write the output to standard output: No space left on device.", stderr.ToString(), StringComparison.Ordinal);
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
            pending.Writer.Write(Model);
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
        Assert.Equal(2, r.Code);
        Assert.StartsWith("lsq: error: cannot write /proc/lsq-model.json: ", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", r.Err, StringComparison.Ordinal);
    }
}
