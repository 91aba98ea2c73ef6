using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// The map and reduce steps under a real engine: GNU parallel splits a CSV into blocks (each given
/// the header line), the built lsq writes a partial per block, and lsq merge reduces them.
/// </summary>
public sealed class ParallelTests(ITestOutputHelper output)
{
    private static bool OnPath(string program)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return false;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator).Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, program)));
    }

    [SkippableFact]
    public void Parallel_pipepart_blocks_fitted_as_partials_and_merged_match_one_fit()
    {
        Skip.IfNot(OnPath("bash") && OnPath("parallel"),
            "GNU parallel (or bash) is not on PATH; install it with 'apt-get install parallel' (.ci/run does).");
        var dll = Path.Combine(AppContext.BaseDirectory, "lsq.dll");
        Assert.True(File.Exists(dll), $"the built lsq is not at {dll}");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

        using var dir = new TempDir();
        var rng = new Random(50_000);
        var csv = new StringBuilder("t,u,y\n");
        const int Rows = 50_000;
        for (int i = 0; i < Rows; i++)
        {
            double t = 1.7e9 + rng.Next(0, 2_592_000);
            double u = Math.Round(rng.NextDouble() * 10 - 5, 4);
            double y = Math.Round(3 + 1e-6 * (t - 1.7e9) - 0.5 * u + rng.NextDouble() - 0.5, 6);
            csv.Append(CultureInfo.InvariantCulture, $"{t:R},{u:R},{y:R}\n");
        }

        var big = dir.File("big.csv", csv.ToString());
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList =
            {
                "-c",
                "set -o pipefail; parallel --pipepart --block 200k -a big.csv --header : $LSQ fit --partial | tee partials.jsonl | $LSQ merge -f json",
            },
            WorkingDirectory = dir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["LSQ"] = $"{dotnet} {dll}";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("parallel | lsq merge did not finish in 5 minutes");
        }

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {stderr.Result}");
        Assert.Equal("", stderr.Result);

        // Several blocks, each read with the header, covering every row exactly once.
        var partials = File.ReadAllLines(Path.Combine(dir.Path, "partials.jsonl"));
        var counts = partials.Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            Assert.Equal("t", doc.RootElement.GetProperty("predictors")[0].GetString());
            return doc.RootElement.GetProperty("n").GetInt64();
        }).ToArray();
        output.WriteLine($"{partials.Length} blocks of {string.Join(", ", counts)} rows");
        Assert.True(partials.Length >= 3, $"expected several blocks of 200k, got {partials.Length}");
        Assert.Equal(Rows, counts.Sum());

        using var merged = JsonDocument.Parse(stdout.Result);
        var single = SplitFit.Json(Lsq.Run("fit", big, "-f", "json"));
        Assert.Equal(Rows, merged.RootElement.GetProperty("n").GetInt64());
        var pairs = SplitFit.Numbers(merged.RootElement).Zip(SplitFit.Numbers(single), (a, r) => (a.What, Lre: SplitFit.Lre(a.Value, r.Value))).ToArray();
        Assert.Equal(SplitFit.Numbers(single).Count(), pairs.Length);
        var worst = pairs.MinBy(p => p.Lre);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"parallel + merge vs one fit: worst LRE {worst.Lre:F1} ({worst.What})"));
        Assert.True(worst.Lre >= 12, $"{worst.What}: LRE {worst.Lre:F2} < 12");
    }
}
