using System.Globalization;
using System.Text.Json;

namespace LeastSquares.Tests;

/// <summary>Finds the shared reference data and reads the NIST StRD sets.</summary>
internal static class TestData
{
    /// <summary>The checkout's root: the folder above the test assembly that holds LeastSquares.sln.</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LeastSquares.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("LeastSquares.sln not found above the test folder.");
    }

    /// <summary>The folder ../shared/reference/nist-strd beside the checkout, or null when absent.</summary>
    public static string? NistFolder()
    {
        var parent = Directory.GetParent(RepoRoot());
        if (parent is null)
        {
            return null;
        }

        var nist = Path.Combine(parent.FullName, "shared", "reference", "nist-strd");
        return Directory.Exists(nist) ? nist : null;
    }

    public static string RequireNist()
    {
        var folder = NistFolder();
        Skip.If(folder is null, "../shared/reference/nist-strd is not beside this checkout; the NIST tests need it.");
        return folder!;
    }

    public sealed record NistSet(string Name, string[] Header, double[][] Rows, int Degree, bool Intercept,
        string[] Estimates, string[] StdDevs, string ResidualSd, string RSquared);

    public static NistSet LoadNist(string name)
    {
        var folder = RequireNist();
        var lines = File.ReadAllLines(Path.Combine(folder, name + ".csv"));
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, name + ".json")));
        var root = json.RootElement;
        var parameters = root.GetProperty("parameters").EnumerateArray().ToArray();
        int degree = root.GetProperty("degree").ValueKind == JsonValueKind.Null ? 1 : root.GetProperty("degree").GetInt32();
        return new NistSet(name, header, rows, degree, root.GetProperty("intercept").GetBoolean(),
            parameters.Select(p => p.GetProperty("estimate").GetString()!).ToArray(),
            parameters.Select(p => p.GetProperty("std_dev").GetString()!).ToArray(),
            root.GetProperty("residual_sd").GetString()!, root.GetProperty("r_squared").GetString()!);
    }

    /// <summary>Log relative error, −log10(|est − cert|/|cert|), absolute where cert is 0, capped at 15.</summary>
    public static double Lre(double estimate, string certified)
    {
        double cert = double.Parse(certified, NumberStyles.Float, CultureInfo.InvariantCulture);
        double err = cert == 0 ? Math.Abs(estimate) : Math.Abs(estimate - cert) / Math.Abs(cert);
        return err == 0 ? 15 : Math.Min(15, -Math.Log10(err));
    }

    public static readonly string[] NistNames =
        ["Norris", "Pontius", "NoInt1", "NoInt2", "Filip", "Longley", "Wampler1", "Wampler2", "Wampler3", "Wampler4", "Wampler5"];
}
