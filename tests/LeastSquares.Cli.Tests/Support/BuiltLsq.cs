using System.Diagnostics;

namespace LeastSquares.Cli.Tests;

/// <summary>Runs shell snippets against the built lsq: a stub 'lsq' on PATH runs lsq.dll out of process.</summary>
internal static class BuiltLsq
{
    public static bool OnPath(string program) =>
        (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        && (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => d.Length > 0 && File.Exists(Path.Combine(d, program)));

    /// <summary>Runs <paramref name="script"/> with <paramref name="shell"/> -c in <paramref name="dir"/>; returns stdout (the shell must exit 0).</summary>
    public static string Shell(string shell, string script, TempDir dir, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "lsq.dll");
        Assert.True(File.Exists(dll), $"the built lsq is not at {dll}");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var bin = Path.Combine(dir.Path, "bin");
        Directory.CreateDirectory(bin);
        var stub = Path.Combine(bin, "lsq");
        File.WriteAllText(stub, $"#!/bin/sh\nexec '{dotnet}' '{dll}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(stub, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo(shell) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = dir.Path };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var p = Process.Start(start)!;
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(120_000), $"{shell} did not finish");
        Assert.True(p.ExitCode == 0, $"{shell} exit {p.ExitCode}: {error.Result}");
        return output.Result;
    }
}
