using System.Text.RegularExpressions;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// The man page (docs/lsq.1) and the completion scripts (completions/) against the program: every
/// option of every command's --help must be in the man page's section for that command, the man
/// page may name no option the command lacks, the completion scripts ask lsq itself (the [suggest]
/// directive, which must offer every option), and where a file is expected they offer files first.
/// </summary>
public sealed partial class ManPageAndCompletionTests
{
    public static TheoryData<string> Commands() => new() { "fit", "predict", "merge", "plot", "anova" };

    /// <summary>The long and short option names of a command, read from its --help.</summary>
    internal static List<string> OptionsFromHelp(string command)
    {
        var r = Lsq.Run(command, "--help");
        Assert.Equal(0, r.Code);
        var options = new List<string>();
        bool inOptions = false;
        foreach (var line in r.Out.Split('\n'))
        {
            if (line.StartsWith("Options:", StringComparison.Ordinal))
            {
                inOptions = true;
                continue;
            }

            if (!inOptions)
            {
                continue;
            }

            if (line.Trim().Length == 0 || !line.StartsWith("  -", StringComparison.Ordinal))
            {
                if (line.Trim().Length == 0 || !char.IsWhiteSpace(line[0]))
                {
                    break;
                }

                continue; // a wrapped description
            }

            // "  -y, --target <NAME>   Response column…": the names come before the first '<' or double space.
            var head = line.Trim();
            int end = head.IndexOf("  ", StringComparison.Ordinal);
            head = end < 0 ? head : head[..end];
            int angle = head.IndexOf('<', StringComparison.Ordinal);
            head = angle < 0 ? head : head[..angle];
            foreach (var name in head.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var word = name.Split(' ')[0];
                if (word is not ("-?" or "-h" or "--help"))
                {
                    options.Add(word);
                }
            }
        }

        Assert.NotEmpty(options);
        return options;
    }

    private static string ManPage() =>
        File.ReadAllText(Path.Combine(Lsq.RepoRoot, "docs", "lsq.1")).Replace("\\-", "-", StringComparison.Ordinal);

    /// <summary>The man page's subsection for a command: from '.SS "lsq CMD' to the next .SS or .SH.</summary>
    private static string ManSection(string command)
    {
        var page = ManPage();
        int start = page.IndexOf($".SS \"lsq {command}", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/lsq.1 has no section '.SS \"lsq {command} …\"'");
        var next = NextSection().Match(page, start + 4);
        return next.Success ? page[start..next.Index] : page[start..];
    }

    private static bool Mentions(string text, string option) =>
        Regex.IsMatch(text, $@"(?<![\w-]){Regex.Escape(option)}(?![\w-])");

    [Theory]
    [MemberData(nameof(Commands))]
    public void Man_page_section_names_every_option_of_the_command(string command)
    {
        var section = ManSection(command);
        var missing = OptionsFromHelp(command).Where(o => !Mentions(section, o)).ToList();
        Assert.True(missing.Count == 0, $"docs/lsq.1, section 'lsq {command}', lacks {string.Join(", ", missing)} (from lsq {command} --help)");
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Man_page_section_names_no_option_the_command_lacks(string command)
    {
        // Options of another command quoted as such ("lsq fit --save") are not claims about this one.
        var section = QuotedCommand().Replace(ManSection(command), "");
        var known = OptionsFromHelp(command).ToHashSet(StringComparer.Ordinal);
        var stale = LongOption().Matches(section).Select(m => m.Value).Where(o => !known.Contains(o) && o != "--help").Distinct().ToList();
        Assert.True(stale.Count == 0, $"docs/lsq.1, section 'lsq {command}', names {string.Join(", ", stale)}, which lsq {command} --help does not list");
    }

    [Fact]
    public void Man_page_has_the_usual_sections_and_every_exit_code()
    {
        var page = ManPage();
        foreach (var heading in new[] { ".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH ENVIRONMENT", ".SH EXIT STATUS", ".SH EXAMPLES", ".SH SEE ALSO" })
        {
            Assert.Contains(heading, page, StringComparison.Ordinal);
        }

        var exit = page[page.IndexOf(".SH EXIT STATUS", StringComparison.Ordinal)..];
        foreach (var code in new[] { "0", "1", "2", "3", "130" })
        {
            Assert.Contains($".TP\n.B {code}\n", exit, StringComparison.Ordinal);
        }

        Assert.Contains("LSQ_THREADS", page, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Suggest_directive_offers_every_option_of_the_command(string command)
    {
        // The three completion scripts take their candidates from this directive.
        var line = $"{command} -";
        var r = Lsq.Run($"[suggest:{line.Length}]", line);
        Assert.Equal(0, r.Code);
        var offered = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var missing = OptionsFromHelp(command).Where(o => !offered.Contains(o)).ToList();
        Assert.True(missing.Count == 0, $"[suggest] for 'lsq {command} -' lacks {string.Join(", ", missing)}");
    }

    [Theory]
    [InlineData("lsq.bash")]
    [InlineData("_lsq")]
    [InlineData("lsq.fish")]
    public void Completion_scripts_ask_lsq_itself(string script)
    {
        var text = File.ReadAllText(Path.Combine(Lsq.RepoRoot, "completions", script));
        Assert.Contains("[suggest:", text, StringComparison.Ordinal);
    }

    private static string RunShell(string shell, string script, TempDir dir) => BuiltLsq.Shell(shell, script, dir);

    private static bool OnPath(string program) => BuiltLsq.OnPath(program);

    [SkippableFact]
    public void Bash_offers_files_first_and_options_after_a_dash()
    {
        Skip.IfNot(OnPath("bash"), "bash is not on PATH");
        using var dir = new TempDir();
        dir.File("data.csv", "x,y\n1,2\n");
        var script = $$"""
            source '{{Path.Combine(Lsq.RepoRoot, "completions", "lsq.bash")}}'
            t() { COMP_LINE="$1"; COMP_POINT=${#1}; read -ra COMP_WORDS <<< "$1"; [[ "$1" == *" " ]] && COMP_WORDS+=(""); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=(); _lsq_complete 2>/dev/null; echo "$1|${COMPREPLY[*]}"; }
            t "lsq fit "; t "lsq fit x.csv --init "; t "lsq fit --forma"; t "lsq fit -m "
            """;
        var lines = RunShell("bash", script, dir).Split('\n');
        Assert.Equal("lsq fit |", lines[0]); // nothing from lsq: bash completes file names (compopt -o default)
        Assert.Equal("lsq fit x.csv --init |", lines[1]);
        Assert.Equal("lsq fit --forma|--format", lines[2]);
        Assert.Equal("lsq fit -m |gd normal qr sgd", lines[3]);
    }

    [SkippableFact]
    public void Fish_offers_files_first_and_options_after_a_dash()
    {
        Skip.IfNot(OnPath("fish"), "fish is not on PATH (apt-get install fish)");
        using var dir = new TempDir();
        dir.File("data.csv", "x,y\n1,2\n");
        var script = $"source '{Path.Combine(Lsq.RepoRoot, "completions", "lsq.fish")}'; "
            + "complete -C'lsq fit '; echo ---; complete -C'lsq fit --forma'; echo ---; complete -C'lsq fit -m '";
        var parts = RunShell("fish", script, dir).Split("---\n");
        Assert.Contains("data.csv", parts[0], StringComparison.Ordinal);
        Assert.DoesNotContain("--", parts[0], StringComparison.Ordinal);
        Assert.StartsWith("--format", parts[1], StringComparison.Ordinal);
        Assert.Equal(["gd", "normal", "qr", "sgd"], parts[2].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]));
    }

    [SkippableFact]
    public void Zsh_offers_files_first_and_options_after_a_dash()
    {
        Skip.IfNot(OnPath("zsh"), "zsh is not on PATH (apt-get install zsh)");
        using var dir = new TempDir();
        // The completion function with zsh's _files and compadd replaced by probes.
        var script = $$"""
            _files() { echo FILES }
            compadd() { print -r -- "${(P)2}" }
            source <(sed '$d' '{{Path.Combine(Lsq.RepoRoot, "completions", "_lsq")}}')
            t() { words=("${(@s: :)1}"); [[ $1 == *" " ]] && words+=(""); CURRENT=${#words}; print -rn -- "$1|"; _lsq }
            t "lsq fit "; t "lsq fit x.csv --init "; t "lsq fit --forma"; t "lsq fit -m "
            """;
        var lines = RunShell("zsh", script, dir).Split('\n');
        Assert.Equal("lsq fit |FILES", lines[0]);
        Assert.Equal("lsq fit x.csv --init |FILES", lines[1]);
        Assert.Equal("lsq fit --forma|--format", lines[2]);
        Assert.Equal("lsq fit -m |gd normal qr sgd", lines[3]);
    }

    [GeneratedRegex(@"\n\.S[SH] ")]
    private static partial Regex NextSection();

    [GeneratedRegex(@"lsq \w+ --[\w-]+")]
    private static partial Regex QuotedCommand();

    [GeneratedRegex(@"(?<![\w-])--[a-z][\w-]*")]
    private static partial Regex LongOption();
}
