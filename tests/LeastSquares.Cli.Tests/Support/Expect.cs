namespace LeastSquares.Cli.Tests;

/// <summary>The one assertion of a failed run, shared by every error-path test.</summary>
internal static class Expect
{
    /// <summary>
    /// The run failed as it should: exit <paramref name="code"/>, nothing on standard output, and
    /// standard error starting <c>lsq: error: </c>, naming each of <paramref name="names"/> (plain
    /// text: the facts the message must give, so that regenerating the golden file cannot silently
    /// lose them), holding no stack trace, and equal as a whole to golden/errors/<paramref name="golden"/>.txt
    /// (temporary folders, the checkout and the version normalised; see <see cref="Golden.Normalize"/>).
    /// </summary>
    public static void Error(Lsq.Result r, int code, string golden, params string[] names) =>
        Error(r.Code, r.Out, r.Err, code, golden, names);

    /// <summary>
    /// As <see cref="Error(Lsq.Result, int, string, string[])"/> for a run outside <see cref="Lsq"/>
    /// (a process, or a command called directly); <paramref name="stdout"/> null when it was not captured.
    /// </summary>
    public static void Error(int actualCode, string? stdout, string stderr, int code, string golden, params string[] names) =>
        Check(actualCode, stdout, "", stderr, code, golden, names);

    /// <summary>
    /// As <see cref="Error(Lsq.Result, int, string, string[])"/> for a command that streams its
    /// output (predict): standard output holds exactly <paramref name="streamed"/>, what was written
    /// before the row at fault.
    /// </summary>
    public static void ErrorAfter(string streamed, Lsq.Result r, int code, string golden, params string[] names) =>
        Check(r.Code, r.Out, streamed, r.Err, code, golden, names);

    private static void Check(int actualCode, string? stdout, string expectedStdout, string stderr, int code, string golden, string[] names)
    {
        Assert.True(code == actualCode, $"exit {actualCode}, expected {code}; stderr: {stderr}");
        if (stdout is not null)
        {
            Assert.Equal(expectedStdout, stdout);
        }

        stderr = stderr.ReplaceLineEndings("\n");
        Assert.StartsWith("lsq: error: ", stderr, StringComparison.Ordinal);
        foreach (var name in names)
        {
            Assert.Contains(name, stderr, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal); // no stack trace
        Golden.Match($"errors/{golden}.txt", Golden.Normalize(stderr));
    }

    /// <summary>A file name from a test case's text: lower case, runs of other characters as one '-'.</summary>
    public static string Slug(string text)
    {
        var chars = text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        return string.Join("-", new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
    }
}
