namespace LeastSquares.Cli.Tests;

/// <summary>Keeps the README's session true: every "$ lsq …" line of a console block is run and its output compared.</summary>
public sealed class ReadmeTests
{
    public static TheoryData<string, string> Sessions()
    {
        var data = new TheoryData<string, string>();
        var lines = File.ReadAllLines(Path.Combine(Lsq.RepoRoot, "README.md"));
        bool inConsole = false;
        string? command = null;
        var expected = new List<string>();
        foreach (var line in lines)
        {
            if (!inConsole)
            {
                inConsole = line.Trim() == "```console";
                continue;
            }

            if (line.Trim() == "```" || line.StartsWith("$ ", StringComparison.Ordinal))
            {
                if (command is not null)
                {
                    data.Add(command, string.Join("\n", expected) + "\n");
                }

                command = line.StartsWith("$ ", StringComparison.Ordinal) ? line[2..] : null;
                expected.Clear();
                inConsole = line.Trim() != "```";
                continue;
            }

            expected.Add(line);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sessions))]
    public void Readme_session_output_is_real(string command, string expected)
    {
        Assert.StartsWith("lsq ", command, StringComparison.Ordinal);
        var args = command[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var previous = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = Lsq.RepoRoot;
            var r = Lsq.Run(args);
            // Errors are shown in the README as the session shows them: on stderr.
            Assert.Equal(expected, r.Code == 0 ? r.Out : r.Err);
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }
}
