using System.Text;
using LeastSquares.Cli.Output;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// Where results go: -o and --save write a file whole or not at all (a failed run keeps the old
/// one), through links, pipes and /dev/stdout as the user meant; a closed pipe ends a run quietly.
/// </summary>
public sealed class OutputFileTests
{
    [Fact]
    public void Output_file_receives_the_results()
    {
        using var dir = new TempDir();
        var target = Path.Combine(dir.Path, "fit.json");
        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-f", "json", "-o", target);
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Out);
        Assert.Equal(Lsq.Run("fit", Lsq.Sample("linear.csv"), "-f", "json").Out, File.ReadAllText(target));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Predict_output_file_is_written_atomically_and_not_at_all_on_error()
    {
        using var dir = new TempDir();
        var model = dir.File("m.json", Models.YOnAB);
        var target = Path.Combine(dir.Path, "out.csv");
        var r = Lsq.Run("predict", "--model", model, "-o", target, dir.File("good.csv", "a,b\n3,4\n"));
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Out);
        Assert.Equal("a,b,prediction\n3,4,5\n", File.ReadAllText(target));

        var failed = Lsq.Run("predict", "--model", model, "-o", target, dir.File("bad.csv", "a,b\n3,4\n5,oops\n"));
        Expect.Error(failed, 2, "output/predict-o-bad-cell", "bad.csv:3:2: column 'b' holds 'oops'");
        Assert.Equal("a,b,prediction\n3,4,5\n", File.ReadAllText(target)); // the old file, not a part of the new one
        Assert.Equal(["bad.csv", "good.csv", "m.json", "out.csv"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_failed_fit_writes_nothing_and_keeps_the_old_model()
    {
        using var dir = new TempDir();
        var path = dir.File("model.json", "old content");
        var bad = dir.File("bad.csv", "x,y\n1,2\n2,abc\n");
        var r = Lsq.Run("fit", bad, "--save", path);
        Assert.Equal(2, r.Code);
        Assert.Equal("old content", File.ReadAllText(path));
        var singular = dir.File("s.csv", "x,y\n1,2\n1,3\n1,4\n");
        Assert.Equal(3, Lsq.Run("fit", singular, "--save", path).Code);
        Assert.Equal("old content", File.ReadAllText(path));
        Assert.Equal(3, Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", "gd", "-a", "0.01", "--max-iter", "3", "--scale", "none", "--strict", "--save", path).Code);
        Assert.Equal("old content", File.ReadAllText(path));
        Assert.Equal(3, Directory.GetFiles(dir.Path).Length); // model.json, bad.csv, s.csv: no temporary files
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
    public void Output_to_a_symbolic_link_writes_its_target_and_keeps_the_link()
    {
        Shell.SkipUnlessUnixWithBinary();
        using var dir = new TempDir();
        var target = dir.File("real.csv", "old\n");
        var link = Path.Combine(dir.Path, "link.csv");
        File.CreateSymbolicLink(link, target);

        var r = Shell.Bash($"\"$LSQ\" fit samples/linear.csv -f csv -o '{link}'");

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
        Shell.SkipUnlessUnixWithBinary();
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "out.csv");
        var link = Path.Combine(dir.Path, "so");
        File.CreateSymbolicLink(link, "/proc/self/fd/1");

        var r = Shell.Bash($"{{ echo header; \"$LSQ\" fit samples/linear.csv -f csv -o /proc/self/fd/1; }} > '{file}' && cat '{file}' && \"$LSQ\" fit samples/linear.csv -f csv -o '{link}' | cat");

        Assert.Equal((0, ""), (r.Code, r.Err));
        var fit = "term,estimate\n(intercept),3.7985866134973625\nx,3.159811265328241\n";
        Assert.Equal("header\n" + fit + fit, r.Out);
        Assert.Equal("/proc/self/fd/1", new FileInfo(link).LinkTarget);
    }

    [SkippableFact]
    public void Output_to_a_named_pipe_goes_through_the_pipe_which_stays_a_pipe()
    {
        // A rename over the FIFO would leave its reader waiting for ever and an ordinary file in its place.
        Shell.SkipUnlessUnixWithBinary();
        using var dir = new TempDir();
        var fifo = Path.Combine(dir.Path, "fifo");
        var received = Path.Combine(dir.Path, "received.csv");

        var r = Shell.Bash($"mkfifo '{fifo}' && (cat '{fifo}' > '{received}' &) && \"$LSQ\" fit samples/linear.csv -f csv -o '{fifo}' && sleep 0.2 && test -p '{fifo}' && cat '{received}'");

        Assert.Equal((0, ""), (r.Code, r.Err));
        Assert.StartsWith("term,estimate\n(intercept),3.79858661349736", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_closed_output_pipe_ends_the_run_quietly_with_exit_0()
    {
        using var dir = new TempDir();
        var model = dir.File("m.json", Models.YOnAB);
        var data = new StringBuilder("a,b\n");
        for (int i = 0; i < 100_000; i++)
        {
            data.Append("1,2\n");
        }

        var input = dir.File("d.csv", data.ToString());
        var sink = new FailingStream(allow: 100, errno: 32);
        var stdout = new StreamWriter(new StdoutStream(sink), new UTF8Encoding(false), 1 << 12);
        var stderr = new StringWriter();
        var context = new CliContext(stdout, stderr, () => Stream.Null);
        int code = LsqApp.Run(["predict", "--model", model, input], context);
        Assert.Equal(0, code);
        Assert.Equal("", stderr.ToString());
        Assert.True(sink.Attempts < 5, $"{sink.Attempts} writes after the pipe closed: lsq went on producing output");
    }
}
