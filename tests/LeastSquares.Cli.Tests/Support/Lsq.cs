using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LeastSquares.Cli.Tests;

/// <summary>Runs lsq in-process, with captured streams.</summary>
internal static class Lsq
{
    public sealed record Result(int Code, string Out, string Err);

    public static Result Run(params string[] args) => RunWithInput("", args);

    public static Result RunWithInput(string stdin, params string[] args) => RunWith(stdin, c => c, args);

    /// <summary>Runs with a context changed by <paramref name="configure"/> (threads, terminal, …).</summary>
    public static Result RunWith(string stdin, Func<CliContext, CliContext> configure, params string[] args)
    {
        var stdout = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var stderr = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var context = configure(new CliContext(stdout, stderr, () => new MemoryStream(Encoding.UTF8.GetBytes(stdin))));
        int code = LsqApp.Run(args, context);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The checkout's root (the folder holding LeastSquares.sln).</summary>
    public static string RepoRoot { get; } = FindRoot();

    public static string Sample(string name) => Path.Combine(RepoRoot, "samples", name);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LeastSquares.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("LeastSquares.sln not found above the test folder.");
    }
}

/// <summary>
/// Golden files under tests/LeastSquares.Cli.Tests/golden (names may have folders, as in
/// errors/input/empty-file.txt). Set LSQ_UPDATE_GOLDEN=1 to rewrite them from the current output
/// (then review the diff): the one switch for every golden file.
/// </summary>
internal static class Golden
{
    private static readonly Regex TempDirs =
        new(Regex.Escape(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lsq-test-")) + "[0-9a-f]{32}", RegexOptions.CultureInvariant);

    public static bool Updating => Environment.GetEnvironmentVariable("LSQ_UPDATE_GOLDEN") == "1";

    public static void Match(string name, string actual)
    {
        var path = System.IO.Path.Combine(Lsq.RepoRoot, "tests", "LeastSquares.Cli.Tests", "golden", name);
        if (Updating)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"golden file {name} is missing; run the tests with LSQ_UPDATE_GOLDEN=1 to create it.");
        Assert.Equal(File.ReadAllText(path), actual);
    }

    /// <summary>
    /// The text with what changes from run to run or machine to machine put in words: a test's
    /// temporary folder as &lt;tmp&gt;, the current directory (where a relative path leads; the test
    /// folder under bin/) as &lt;cwd&gt;, the checkout as &lt;repo&gt;, lsq's version as &lt;version&gt;.
    /// </summary>
    public static string Normalize(string text)
    {
        text = TempDirs.Replace(text, "<tmp>");
        var cwd = Environment.CurrentDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar);
        if (cwd.Length > 1)
        {
            text = text.Replace(cwd + System.IO.Path.DirectorySeparatorChar, "<cwd>" + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal);
        }

        text = text.Replace(Lsq.RepoRoot, "<repo>", StringComparison.Ordinal);
        return text.Replace(LsqApp.Version, "<version>", StringComparison.Ordinal);
    }
}

/// <summary>A temporary folder for one test, removed afterwards.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lsq-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name, string content)
    {
        var p = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(p, content);
        return p;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
