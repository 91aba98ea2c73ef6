using System.Text;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// Keeps the sessions of the README and of every page under docs/ true: each ```console block
/// that starts with "$ lsq " is run, command by command, and its output compared with the text
/// below each "$ lsq …" line; every command of such a block must be lsq.
/// </summary>
/// <remarks>
/// The commands run in-process without changing the process's current directory, which other
/// test classes running in parallel rely on. A block has a scratch folder of its own: a file a
/// command writes (the argument of -o, --output, --save, --trace) goes there, and a later command
/// of the same block reads it back from there; any other argument naming a file of the checkout
/// (samples/linear.csv) is given as its full path. Both folders' paths are taken out of what lsq
/// prints, so the output is what the user sees from the checkout's root. The output compared is stdout when the
/// command exits 0 and stderr otherwise, as a reader of the session sees it; a command ending in
/// "2&gt;&amp;1" is compared with stderr followed by stdout (lsq writes its warnings before the
/// results, so that is the order a terminal shows). After an intended change of the output,
/// LSQ_UPDATE_GOLDEN=1 rewrites the blocks from the real output, as it does the golden files;
/// review the diff.
/// </remarks>
public sealed class ReadmeTests
{
    /// <summary>The pages whose console blocks are run: README.md and every docs/**/*.md.</summary>
    public static IEnumerable<string> Pages()
    {
        yield return "README.md";
        var docs = Path.Combine(Lsq.RepoRoot, "docs");
        foreach (var file in Directory.EnumerateFiles(docs, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            yield return Path.GetRelativePath(Lsq.RepoRoot, file).Replace('\\', '/');
        }
    }

    /// <summary>One case per console block: the page and the block's number on it (from 1).</summary>
    public static TheoryData<string, int> Blocks()
    {
        var data = new TheoryData<string, int>();
        foreach (var page in Pages())
        {
            int count = ConsoleBlocks(page).Count;
            for (int i = 1; i <= count; i++)
            {
                data.Add(page, i);
            }
        }

        return data;
    }

    private static List<(int Line, List<string> Lines)> ConsoleBlocks(string page)
    {
        var blocks = new List<(int, List<string>)>();
        var lines = File.ReadAllLines(Path.Combine(Lsq.RepoRoot, page));
        List<string>? current = null;
        for (int i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].Trim();
            if (current is null)
            {
                // A session of lsq: a console block whose first line is "$ lsq …" (a block that
                // starts with another program, such as the Dask driver of docs/engines.md, is not
                // one, since only lsq runs in-process here).
                if (trimmed == "```console" && i + 1 < lines.Length && lines[i + 1].StartsWith("$ lsq ", StringComparison.Ordinal))
                {
                    current = [];
                    blocks.Add((i + 1, current));
                }
            }
            else if (trimmed == "```")
            {
                current = null;
            }
            else
            {
                current.Add(lines[i]);
            }
        }

        return blocks;
    }

    [Fact]
    public void Every_page_with_sessions_is_found()
    {
        var pages = Pages().ToList();
        Assert.Contains("README.md", pages);
        Assert.True(Blocks().Count >= 10, "expected the README's and the docs' console blocks");
    }

    [Fact]
    public void The_readme_states_the_test_command_that_ci_runs()
    {
        var ci = File.ReadAllText(Path.Combine(Lsq.RepoRoot, ".ci", "run"));
        Assert.Contains("\ndotnet test ", ci, StringComparison.Ordinal);
        var firstLines = File.ReadLines(Path.Combine(Lsq.RepoRoot, "README.md")).Take(30);
        Assert.Contains(firstLines, l => l.StartsWith("dotnet test", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Session_output_is_real(string page, int number)
    {
        var (line, block) = ConsoleBlocks(page)[number - 1];
        Assert.True(block.Count > 0 && block[0].StartsWith("$ lsq ", StringComparison.Ordinal), $"{page}:{line}: a console block starts with '$ lsq '");

        var expected = new StringBuilder();
        var actual = new StringBuilder();
        using var scratch = new TempDir();
        int i = 0;
        while (i < block.Count)
        {
            var command = block[i++];
            Assert.StartsWith("$ lsq ", command, StringComparison.Ordinal);
            expected.Append(command).Append('\n');
            actual.Append(command).Append('\n');
            while (i < block.Count && !block[i].StartsWith("$ ", StringComparison.Ordinal))
            {
                expected.Append(block[i++]).Append('\n');
            }

            var words = SplitWords(command[6..]);
            bool both = words.Count > 0 && words[^1] == "2>&1";
            if (both)
            {
                words.RemoveAt(words.Count - 1);
            }

            var args = words.Select((w, k) => Resolve(w, k > 0 ? words[k - 1] : null, scratch.Path)).ToArray();
            var r = Lsq.Run(args);
            var shown = both ? r.Err + r.Out : r.Code == 0 ? r.Out : r.Err;
            actual.Append(shown
                .Replace(scratch.Path + Path.DirectorySeparatorChar, "", StringComparison.Ordinal)
                .Replace(Lsq.RepoRoot + Path.DirectorySeparatorChar, "", StringComparison.Ordinal));
        }

        if (Environment.GetEnvironmentVariable("LSQ_UPDATE_GOLDEN") == "1")
        {
            var path = Path.Combine(Lsq.RepoRoot, page);
            var lines = File.ReadAllLines(path).ToList();
            lines.RemoveRange(line, block.Count);
            lines.InsertRange(line, actual.ToString().TrimEnd('\n').Split('\n'));
            File.WriteAllText(path, string.Join("\n", lines) + "\n");
            return;
        }

        Assert.True(expected.ToString() == actual.ToString(), $"{page}:{line}: the session's output has changed.\n--- on the page:\n{expected}--- real:\n{actual}");
    }

    /// <summary>
    /// An argument as the in-process run needs it: a file the block wrote before, or one an option
    /// writes, in the block's scratch folder; a file of the checkout as its full path; anything
    /// else unchanged.
    /// </summary>
    private static string Resolve(string word, string? before, string scratch)
    {
        if (word.StartsWith('-') || Path.IsPathRooted(word))
        {
            return word;
        }

        var written = Path.Combine(scratch, word);
        if (Path.Exists(written) || before is "-o" or "--output" or "--save" or "--trace")
        {
            return written;
        }

        var checkout = Path.Combine(Lsq.RepoRoot, word);
        return Path.Exists(checkout) ? checkout : word;
    }

    /// <summary>Splits a command line into words as a shell does for these sessions: spaces, '…' and "…".</summary>
    private static List<string> SplitWords(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        foreach (char c in line)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (c == ' ')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
