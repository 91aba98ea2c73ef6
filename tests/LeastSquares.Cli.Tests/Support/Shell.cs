using System.Diagnostics;

namespace LeastSquares.Cli.Tests;

/// <summary>Runs a bash script with the built lsq as $LSQ, for the tests of real pipes, files and signals.</summary>
internal static class Shell
{
    /// <summary>The lsq apphost beside the tests (built with the CLI project).</summary>
    public static readonly string Exe = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "lsq.exe" : "lsq");

    /// <summary>Runs <paramref name="script"/> under <c>bash -c</c> with pipefail, in the checkout's root.</summary>
    public static (int Code, string Out, string Err) Bash(string script)
    {
        var start = new ProcessStartInfo("bash", ["-c", "set -o pipefail; " + script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Lsq.RepoRoot,
        };
        start.Environment["LSQ"] = Exe;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "bash did not finish in 2 minutes");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Skips unless bash and the lsq apphost are here (and, when asked, /dev/full).</summary>
    public static void SkipUnlessUnixWithBinary(bool devFull = false)
    {
        Skip.If(OperatingSystem.IsWindows(), "needs bash");
        Skip.If(devFull && !File.Exists("/dev/full"), "/dev/full is missing");
        Skip.IfNot(File.Exists(Exe), "the lsq apphost is not in the test folder");
    }
}
