namespace LeastSquares.Cli.Tests;

/// <summary>Keeps the README's session true: every "$ lsq …" line of a console block is run and its output compared.</summary>
/// <remarks>
/// The README's commands name files relative to the checkout (samples/linear.csv). They are run
/// in-process without changing the process's current directory, which other test classes running
/// in parallel rely on: an argument naming a file of the checkout is given as its full path, and
/// the checkout's path is taken out of what lsq prints, so the output is what the user sees from
/// the checkout's root.
/// </remarks>
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

    /// <summary>An argument that names a file or folder of the checkout, as its full path; any other argument unchanged.</summary>
    private static string FromRoot(string arg) =>
        !arg.StartsWith('-') && !Path.IsPathRooted(arg) && Path.Exists(Path.Combine(Lsq.RepoRoot, arg)) ? Path.Combine(Lsq.RepoRoot, arg) : arg;

    [Theory]
    [MemberData(nameof(Sessions))]
    public void Readme_session_output_is_real(string command, string expected)
    {
        Assert.StartsWith("lsq ", command, StringComparison.Ordinal);
        var args = command[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(FromRoot).ToArray();
        var r = Lsq.Run(args);
        // Errors are shown in the README as the session shows them: on stderr.
        var shown = (r.Code == 0 ? r.Out : r.Err).Replace(Lsq.RepoRoot + Path.DirectorySeparatorChar, "", StringComparison.Ordinal);
        Assert.Equal(expected, shown);
    }
}
