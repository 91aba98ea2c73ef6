using System.Diagnostics;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// The built lsq with no fonts: /usr/share/fonts is hidden behind an empty folder in a private
/// mount namespace (needs root and unshare, as on CI), so SkiaSharp finds no font at all.
/// </summary>
public sealed class NoFontTests
{
    [SkippableFact]
    public void Plot_without_any_font_stops_with_exit_2_and_writes_no_image()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && File.Exists("/usr/bin/unshare") && Environment.UserName == "root",
            "needs Linux, unshare and root to hide /usr/share/fonts");
        using var dir = new TempDir();
        var empty = Directory.CreateDirectory(Path.Combine(dir.Path, "empty")).FullName;
        var image = Path.Combine(dir.Path, "fit.png");
        var lsq = Path.Combine(AppContext.BaseDirectory, "lsq");
        var script = $"mount --bind '{empty}' /usr/share/fonts || exit 99; echo mounted; exec '{lsq}' plot '{Lsq.Sample("linear.csv")}' -o '{image}'";
        var start = new ProcessStartInfo("/usr/bin/unshare", ["-m", "sh", "-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Skip.IfNot(stdout.StartsWith("mounted", StringComparison.Ordinal), $"cannot hide the fonts here: {stderr.Trim()}");

        Assert.Equal(2, process.ExitCode);
        Assert.StartsWith("lsq: error: no font found to draw the picture's text with", stderr, StringComparison.Ordinal);
        Assert.Contains("apt-get install fonts-dejavu-core", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(image));
    }
}
