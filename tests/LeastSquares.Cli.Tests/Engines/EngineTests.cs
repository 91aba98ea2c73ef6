using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace LeastSquares.Cli.Tests.Engines;

/// <summary>
/// The map and reduce steps on real multi-machine engines, run on this one machine over the
/// loopback address: a Dask cluster (one scheduler, two workers) driven by examples/dask/fit.py,
/// and GNU parallel sending blocks through a throwaway sshd. Each is skipped, with the reason,
/// when its engine is not installed (.ci/run installs both).
/// </summary>
public sealed class DaskClusterTests(DaskCluster cluster, ITestOutputHelper output) : IClassFixture<DaskCluster>
{
    [SkippableFact]
    public void Example_on_a_scheduler_and_two_workers_matches_one_fit()
    {
        var address = cluster.Start();
        using var dir = new TempDir();
        var file = dir.File("big.csv", EngineData.Csv(60_000, seed: 21, badLines: []));

        // 12 blocks merged 3 at a time: a tree of two levels on the workers (12 to 4 to 2), then the final merge.
        var run = cluster.RunExample(["--scheduler", address, "--blocks", "12", "--fan-in", "3", "--verbose", file, "-f", "json", "--summary"]);
        output.WriteLine(run.Err);
        Assert.True(run.Code == 0, $"exit {run.Code}: {run.Err}");

        // --verbose names the worker of each block: all 12 ran, on both workers of this cluster.
        var workers = Regex.Matches(run.Err, @"block \d+/12 bytes \d+-\d+ on (tcp://127\.0\.0\.1:\d+): ok").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(12, workers.Length);
        Assert.Equal(2, workers.Distinct().Count());
        Assert.Contains("merge level 2: 4 partials into 2 on the workers", run.Err, StringComparison.Ordinal);

        var single = SplitFit.Json(Lsq.Run("fit", file, "-f", "json", "--summary"));
        using var merged = JsonDocument.Parse(run.Out);
        Assert.Equal(60_000, merged.RootElement.GetProperty("n").GetInt64());
        var worst = EngineData.WorstLre(merged.RootElement, single, output);
        Assert.True(worst.Lre >= 14, $"{worst.What}: LRE {worst.Lre:F2} < 14");
    }

    [SkippableFact]
    public void A_bad_line_in_a_later_block_exits_2_with_lsqs_message_at_the_files_absolute_line()
    {
        var address = cluster.Start();
        using var dir = new TempDir();

        // Two bad lines, in the middle and near the end: the first one is reported, as lsq fit does.
        var file = dir.File("bad.csv", EngineData.Csv(40_000, seed: 22, badLines: [23_457, 37_001]));
        var expected = Lsq.Run("fit", file);
        Assert.Equal(2, expected.Code);
        Assert.StartsWith($"lsq: error: {file}:23457:2: column 'u' holds 'abc'", expected.Err, StringComparison.Ordinal);

        var run = cluster.RunExample(["--scheduler", address, "--blocks", "8", file]);
        output.WriteLine(run.Err);
        Assert.Equal(2, run.Code);
        Assert.Equal("", run.Out); // nothing merged, nothing printed
        var lines = run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected.Err.TrimEnd('\n'), lines[0]);
        var block = Regex.Match(lines[1], @"^fit\.py: block (\d+) of 8 \(bytes \d+-\d+ of .*\) failed on tcp://127\.0\.0\.1:\d+; nothing was merged\.$");
        Assert.True(block.Success, lines[1]);
        Assert.True(int.Parse(block.Groups[1].Value, CultureInfo.InvariantCulture) > 1, "the bad line should lie beyond the first block");
        Assert.Equal(2, lines.Length);
    }
}

/// <summary>
/// A Dask scheduler and two single-threaded workers on 127.0.0.1, started by the first test that
/// needs them, all killed (with their children) when the class is done, pass or fail.
/// </summary>
/// <remarks>
/// The programs are dask-scheduler and dask-worker, run as modules of the interpreter that has
/// Debian's python3-distributed: /usr/bin/python3 first, since the python3 first on the PATH may
/// be a pyenv or virtualenv one without it. Port 0 lets each server take a free port; the
/// scheduler writes its address to a file that the workers and the test read.
/// </remarks>
public sealed class DaskCluster : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(2);
    private readonly TempDir _dir = new();
    private readonly EngineProcesses _processes = new();
    private string? _address;
    private string? _python;

    /// <summary>The scheduler's address; skips the test when no interpreter has dask.distributed.</summary>
    public string Start()
    {
        _python ??= FindPython();
        Skip.If(_python is null,
            "python3-distributed is missing: neither /usr/bin/python3 nor a python3 on PATH imports 'distributed'; install it with 'apt-get install python3-distributed' (.ci/run does).");
        return _address ??= Launch(_python!);
    }

    public EngineRun RunExample(string[] args)
    {
        // --lsq takes a command with arguments, split like shell words.
        var lsq = $"{EngineData.ShellWord(EngineData.Dotnet())} {EngineData.ShellWord(EngineData.LsqDll())}";
        return EngineProcesses.Run(_python!, ["-u", Path.Combine(Lsq.RepoRoot, "examples", "dask", "fit.py"), "--lsq", lsq, .. args],
            _dir.Path, TimeSpan.FromMinutes(5));
    }

    private string Launch(string python)
    {
        var schedulerFile = Path.Combine(_dir.Path, "scheduler.json");
        var scheduler = _processes.Start(python, ["-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
            "--no-dashboard", "--scheduler-file", schedulerFile, "--idle-timeout", "900"], _dir.Path);

        // The file is written once the scheduler listens.
        string? address = null;
        var watch = Stopwatch.StartNew();
        while (address is null)
        {
            Assert.False(scheduler.HasExited, $"dask-scheduler exited with {scheduler.ExitCodeOrNull()}:\n{scheduler.Log}");
            Assert.True(watch.Elapsed < StartLimit, $"dask-scheduler wrote no {schedulerFile} within {StartLimit}:\n{scheduler.Log}");
            Thread.Sleep(200);
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(schedulerFile));
                address = doc.RootElement.GetProperty("address").GetString();
            }
            catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException)
            {
                // not there yet, or half written
            }
        }

        Assert.StartsWith("tcp://127.0.0.1:", address, StringComparison.Ordinal);
        var workers = Enumerable.Range(1, 2).Select(i => _processes.Start(python, ["-m", "distributed.cli.dask_worker", "--scheduler-file", schedulerFile,
            "--host", "127.0.0.1", "--nthreads", "1", "--no-nanny", "--no-dashboard", "--name", $"w{i}",
            "--local-directory", Path.Combine(_dir.Path, $"w{i}"), "--death-timeout", "120"], _dir.Path)).ToArray();

        // Wait until the scheduler knows both (a client asks it; bounded by its own timeouts).
        var ready = EngineProcesses.Run(python, ["-c",
            "import sys; from distributed import Client; c = Client(sys.argv[1], timeout='60s'); c.wait_for_workers(2, timeout=120); print(len(c.nthreads())); c.close()",
            address], _dir.Path, StartLimit + StartLimit);
        Assert.True(ready.Code == 0 && ready.Out.Trim() == "2",
            $"the two workers did not register (exit {ready.Code}): {ready.Err}\n{string.Join("\n", workers.Select(w => w.Log))}");
        return address;
    }

    private static string? FindPython()
    {
        var candidates = new List<string> { "/usr/bin/python3" };
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Where(d => d.Length > 0).Select(d => Path.Combine(d, "python3")));
        foreach (var python in candidates.Where(File.Exists).Distinct())
        {
            try
            {
                if (EngineProcesses.Run(python, ["-c", "import distributed"], Path.GetTempPath(), TimeSpan.FromMinutes(1)).Code == 0)
                {
                    return python;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not runnable
            }
        }

        return null;
    }

    public void Dispose()
    {
        _processes.Dispose();
        _dir.Dispose();
    }
}

/// <summary>
/// GNU parallel with --sshlogin, through an sshd of our own on 127.0.0.1: its own config, a free
/// non-default port, throwaway host and user keys in a temporary folder, all removed afterwards.
/// </summary>
public sealed class ParallelSshTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Parallel_sshlogin_blocks_through_ssh_merged_match_one_fit()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the sshd test runs on Linux only");
        foreach (var program in new[] { "bash", "parallel", "ssh", "ssh-keygen" })
        {
            Skip.If(EngineData.OnPath(program) is null, $"{program} is not on PATH; install openssh-client and parallel (.ci/run does).");
        }

        var sshd = new[] { "/usr/sbin/sshd", "/usr/bin/sshd" }.FirstOrDefault(File.Exists) ?? EngineData.OnPath("sshd");
        Skip.If(sshd is null, "sshd is not installed; install it with 'apt-get install openssh-server' (.ci/run does).");

        using var dir = new TempDir();
        using var processes = new EngineProcesses();
        var (port, log) = StartSshd(sshd!, dir, processes);

        const int Rows = 50_000;
        var big = dir.File("big.csv", EngineData.Csv(Rows, seed: 23, badLines: []));

        // The recipe of docs/engines.md, with the ssh settings in a config file named by --ssh.
        var recipe = "set -o pipefail; parallel --ssh \"ssh -F $SSH_CONFIG\" --sshlogin 2/lsq-loopback --pipepart --block 200k -a big.csv --header : "
            + "$LSQ fit --partial | tee partials.jsonl | $LSQ merge -f json --summary";
        var run = EngineProcesses.Run("bash", ["-c", recipe], dir.Path, TimeSpan.FromMinutes(5), new Dictionary<string, string>
        {
            ["SSH_CONFIG"] = Path.Combine(dir.Path, "ssh_config"),
            ["LSQ"] = $"{EngineData.ShellWord(EngineData.Dotnet())} {EngineData.ShellWord(EngineData.LsqDll())}",
        });
        Assert.True(run.Code == 0, $"exit {run.Code}: {run.Err}\nsshd:\n{log.Log}");
        Assert.Equal("", run.Err);

        var partials = File.ReadAllLines(Path.Combine(dir.Path, "partials.jsonl"));
        var counts = partials.Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.GetProperty("n").GetInt64();
        }).ToArray();
        output.WriteLine($"{partials.Length} blocks of {string.Join(", ", counts)} rows through ssh to 127.0.0.1:{port}");
        Assert.True(partials.Length >= 3, $"expected several blocks of 200k, got {partials.Length}");
        Assert.Equal(Rows, counts.Sum());

        // The blocks did go through this sshd.
        Assert.Contains("Accepted publickey for " + Environment.UserName, log.Log, StringComparison.Ordinal);

        var single = SplitFit.Json(Lsq.Run("fit", big, "-f", "json", "--summary"));
        using var merged = JsonDocument.Parse(run.Out);
        var worst = EngineData.WorstLre(merged.RootElement, single, output);
        Assert.True(worst.Lre >= 14, $"{worst.What}: LRE {worst.Lre:F2} < 14");
    }

    /// <summary>Keys, configs and a running sshd on 127.0.0.1; skips the test when sshd cannot start.</summary>
    private static (int Port, EngineProcess Log) StartSshd(string sshd, TempDir dir, EngineProcesses processes)
    {
        string Key(string name)
        {
            var path = Path.Combine(dir.Path, name);
            var r = EngineProcesses.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "lsq-test", "-f", path], dir.Path, TimeSpan.FromMinutes(1));
            Assert.True(r.Code == 0, $"ssh-keygen: {r.Err}");
            return path;
        }

        var hostKey = Key("host_key");
        var userKey = Key("user_key");
        File.Copy(userKey + ".pub", Path.Combine(dir.Path, "authorized_keys"));
        var user = Environment.UserName;

        // Run as root, sshd needs its privilege-separation folder (Debian's service makes it at boot).
        if (Environment.UserName == "root" && !Directory.Exists("/run/sshd"))
        {
            try
            {
                Directory.CreateDirectory("/run/sshd");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Skip.If(true, $"sshd cannot start: /run/sshd is missing and cannot be made ({e.Message})");
            }
        }

        string lastLog = "";
        for (int attempt = 0; attempt < 3; attempt++)
        {
            int port = EngineData.FreePort();
            var config = dir.File("sshd_config", $"""
                Port {port}
                ListenAddress 127.0.0.1
                HostKey {hostKey}
                AuthorizedKeysFile {Path.Combine(dir.Path, "authorized_keys")}
                PidFile {Path.Combine(dir.Path, "sshd.pid")}
                AllowUsers {user}
                PubkeyAuthentication yes
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                PermitRootLogin prohibit-password
                UsePAM no
                StrictModes no
                X11Forwarding no
                AllowTcpForwarding no
                MaxStartups 100
                MaxSessions 100

                """);
            var check = EngineProcesses.Run(sshd, ["-t", "-f", config], dir.Path, TimeSpan.FromMinutes(1));
            Skip.If(check.Code != 0, $"sshd cannot start: 'sshd -t' rejects the test's config: {check.Err.Trim()}");

            // Under timeout(1), so that a test host killed outright cannot leave sshd running for long.
            var timeout = EngineData.OnPath("timeout");
            var daemon = timeout is null
                ? processes.Start(sshd, ["-D", "-e", "-f", config], dir.Path)
                : processes.Start(timeout, ["--kill-after=10", "900", sshd, "-D", "-e", "-f", config], dir.Path);
            var watch = Stopwatch.StartNew();
            while (!daemon.HasExited && watch.Elapsed < TimeSpan.FromSeconds(60) && !daemon.Log.Contains($"port {port}", StringComparison.Ordinal))
            {
                Thread.Sleep(100);
            }

            if (daemon.Log.Contains($"Server listening on 127.0.0.1 port {port}", StringComparison.Ordinal))
            {
                File.WriteAllText(Path.Combine(dir.Path, "known_hosts"), $"[127.0.0.1]:{port} {File.ReadAllText(hostKey + ".pub").Trim()}\n");
                File.WriteAllText(Path.Combine(dir.Path, "ssh_config"), $"""
                    Host lsq-loopback
                      HostName 127.0.0.1
                      Port {port}
                      User {user}
                      IdentityFile {userKey}
                      IdentitiesOnly yes
                      UserKnownHostsFile {Path.Combine(dir.Path, "known_hosts")}
                      GlobalKnownHostsFile /dev/null
                      StrictHostKeyChecking yes
                      BatchMode yes
                      ConnectTimeout 20
                      LogLevel ERROR

                    """);
                return (port, daemon);
            }

            lastLog = daemon.Log;
            processes.Stop(daemon); // the port was taken in between, or sshd failed: try another port
        }

        Skip.If(true, $"sshd cannot start on 127.0.0.1 (three ports tried):\n{lastLog}");
        throw new InvalidOperationException("unreachable");
    }
}

public sealed record EngineRun(int Code, string Out, string Err);

/// <summary>A started background process whose output is collected as it comes.</summary>
internal sealed class EngineProcess(Process process)
{
    private readonly StringBuilder _log = new();

    public Process Process { get; } = process;

    public bool HasExited => Process.HasExited;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.Append(line).Append('\n');
            }
        }
    }

    public string ExitCodeOrNull() => Process.HasExited ? Process.ExitCode.ToString(CultureInfo.InvariantCulture) : "?";
}

/// <summary>Background processes of one test, each killed with its children on <see cref="Dispose"/>.</summary>
internal sealed class EngineProcesses : IDisposable
{
    private readonly List<EngineProcess> _started = [];

    public EngineProcess Start(string program, IEnumerable<string> args, string workingDirectory)
    {
        var start = new ProcessStartInfo(program, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        var process = new EngineProcess(Process.Start(start)!);
        process.Process.OutputDataReceived += (_, e) => process.Append(e.Data);
        process.Process.ErrorDataReceived += (_, e) => process.Append(e.Data);
        process.Process.BeginOutputReadLine();
        process.Process.BeginErrorReadLine();
        _started.Add(process);
        return process;
    }

    public void Stop(EngineProcess process)
    {
        try
        {
            if (!process.Process.HasExited)
            {
                process.Process.Kill(entireProcessTree: true);
            }

            process.Process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        process.Process.Dispose();
        _started.Remove(process);
    }

    public void Dispose()
    {
        foreach (var process in _started.ToArray())
        {
            Stop(process);
        }
    }

    /// <summary>Runs a program to its end (killed with its children after <paramref name="limit"/>).</summary>
    public static EngineRun Run(string program, IEnumerable<string> args, string workingDirectory, TimeSpan limit,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
            Assert.Fail($"{program} {string.Join(' ', args)} did not finish within {limit}; killed. stderr so far:\n{(stderr.IsCompleted ? stderr.Result : "")}");
        }

        process.WaitForExit();
        return new EngineRun(process.ExitCode, stdout.Result, stderr.Result);
    }
}

internal static class EngineData
{
    /// <summary>
    /// A CSV of t (timestamps near 1.7e9), u and y = 3 + 1e-6·(t − 1.7e9) − 0.5·u + noise, seeded;
    /// the 1-based file lines in <paramref name="badLines"/> get 'abc' for u.
    /// </summary>
    public static string Csv(int rows, int seed, int[] badLines)
    {
        var rng = new Random(seed);
        var csv = new StringBuilder("t,u,y\n");
        for (int i = 0; i < rows; i++)
        {
            double t = 1.7e9 + rng.Next(0, 2_592_000);
            double u = Math.Round(rng.NextDouble() * 10 - 5, 4);
            double y = Math.Round(3 + 1e-6 * (t - 1.7e9) - 0.5 * u + rng.NextDouble() - 0.5, 6);
            bool bad = badLines.Contains(i + 2); // line 1 is the header
            csv.Append(CultureInfo.InvariantCulture, $"{t:R},{(bad ? "abc" : u.ToString("R", CultureInfo.InvariantCulture))},{y:R}\n");
        }

        return csv.ToString();
    }

    /// <summary>The worst LRE of the engine's fit against one lsq fit, over every number SplitFit compares.</summary>
    public static (string What, double Lre) WorstLre(JsonElement engine, JsonElement single, ITestOutputHelper output)
    {
        var reference = SplitFit.Numbers(single).ToArray();
        var pairs = SplitFit.Numbers(engine).Zip(reference, (a, r) => (a.What, Lre: SplitFit.Lre(a.Value, r.Value))).ToArray();
        Assert.Equal(reference.Length, pairs.Length);
        var worst = pairs.MinBy(p => p.Lre);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine vs one fit: worst LRE {worst.Lre:F1} ({worst.What}) over {pairs.Length} numbers"));
        return worst;
    }

    /// <summary>A path as one word for a shell (or Python's shlex.split).</summary>
    public static string ShellWord(string path) =>
        path.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+:=,@".Contains(c, StringComparison.Ordinal)) ? path : "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public static string LsqDll()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "lsq.dll");
        Assert.True(File.Exists(dll), $"the built lsq is not at {dll}");
        return dll;
    }

    /// <summary>The dotnet host running these tests (so the workers run the same runtime).</summary>
    public static string Dotnet() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : OnPath("dotnet") ?? "dotnet";

    public static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Where(d => d.Length > 0).Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    /// <summary>A port free on 127.0.0.1 a moment ago (the caller retries if it is taken in between).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
