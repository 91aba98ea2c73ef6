namespace LeastSquares.Cli.Tests;

/// <summary>
/// lsq on a terminal leaves it as it found it: no keypad-mode escape (ESC[?1h ESC=), which
/// System.Console's streams send when they set a terminal up and nothing undoes; and the standard
/// streams share their descriptors' offsets as the shell's redirections mean.
/// </summary>
public sealed class TerminalTests
{
    private static readonly Dictionary<string, string> Xterm = new() { ["TERM"] = "xterm" };

    [SkippableTheory]
    [InlineData("lsq --version")]
    [InlineData("lsq fit data.csv")]
    [InlineData("lsq fit data.csv > /dev/null")]
    [InlineData("lsq fit data.csv > out.txt")]
    [InlineData("lsq fit data.csv -m gd -a 0.01 --max-iter 3 --scale none 2> err.txt")]
    [InlineData("lsq fit data.csv -m gd -a 0.01 --max-iter 3 --scale none")]
    [InlineData("lsq fit no-such-file.csv")]
    public void A_terminal_gets_no_keypad_escape(string command)
    {
        // Before: every command began with ESC[?1h ESC= and never sent ESC[?1l ESC>.
        Skip.IfNot(BuiltLsq.OnPath("script") && BuiltLsq.OnPath("sh"), "script(1) (util-linux) is not on PATH");
        using var dir = new TempDir();
        File.Copy(Lsq.Sample("linear.csv"), Path.Combine(dir.Path, "data.csv"));
        // script(1) runs the command on a pseudo-terminal and copies everything the terminal receives.
        var seen = BuiltLsq.Shell("sh", $"script -qec '{command}' /dev/null; true", dir, Xterm);
        Assert.DoesNotContain('\u001b', seen);
        Assert.True(seen.Length > 0 || command.Contains('>', StringComparison.Ordinal), "the command printed nothing on the terminal");
    }

    [SkippableFact]
    public void Stdout_and_stderr_redirected_to_one_file_keep_their_order()
    {
        Skip.IfNot(BuiltLsq.OnPath("sh"), "sh is not on PATH");
        using var dir = new TempDir();
        File.Copy(Lsq.Sample("linear.csv"), Path.Combine(dir.Path, "data.csv"));
        BuiltLsq.Shell("sh", "echo first > both.txt; lsq fit data.csv -m gd -a 0.01 --max-iter 3 --scale none -f csv >> both.txt 2>&1; lsq fit data.csv -f csv >> both.txt", dir);
        var lines = File.ReadAllLines(Path.Combine(dir.Path, "both.txt"));
        Assert.Equal("first", lines[0]);
        Assert.StartsWith("lsq: warning: gradient descent did not converge in 3 iterations", lines[1], StringComparison.Ordinal);
        Assert.Equal("term,estimate", lines[2]);
        Assert.Equal(["term,estimate", "(intercept),3.7985866134973625", "x,3.159811265328241"], lines[5..]);
    }

    [SkippableFact]
    public void Standard_input_redirected_from_a_file_is_read_from_where_the_shell_left_it()
    {
        Skip.IfNot(BuiltLsq.OnPath("sh"), "sh is not on PATH");
        using var dir = new TempDir();
        File.Copy(Lsq.Sample("linear.csv"), Path.Combine(dir.Path, "data.csv"));
        var output = BuiltLsq.Shell("sh", "lsq fit - -f csv < data.csv", dir);
        Assert.Equal("term,estimate\n(intercept),3.7985866134973625\nx,3.159811265328241\n", output);
    }
}
