using System.Diagnostics;
using LeastSquares.Cli.Input;

namespace LeastSquares.Cli.Tests;

/// <summary>sgd's second pass: the binary row cache, its removal, and the fit it gives.</summary>
public sealed class SgdStreamingTests
{
    private static readonly string Exe = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "lsq.exe" : "lsq");

    [Fact]
    public void The_cache_gives_back_the_rows_in_blocks_and_leaves_no_file()
    {
        using var dir = new TempDir();
        using (var cache = RowCache.Create(3, dir.Path, blockRows: 4))
        {
            for (int r = 0; r < 10; r++)
            {
                cache.Add([r, r * 10, -r]);
            }

            Assert.Equal(10, cache.Count);
            Assert.Equal(3, ((IRowBlocks)cache).BlockCount);
            var block = new double[12];
            Assert.Equal(2, cache.Read(2, block));
            Assert.Equal([8, 80, -8, 9, 90, -9], block[..6]);
            Assert.Equal(4, cache.Read(0, block));
            Assert.Equal([0, 0, 0, 1, 10, -1], block[..6]);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Empty(Directory.GetFileSystemEntries(dir.Path)); // unlinked as soon as it was created
            }
        }

        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Sgd_from_standard_input_is_the_sgd_of_the_file()
    {
        var file = Lsq.Sample("linear.csv");
        var fromFile = Lsq.Run("fit", file, "-m", "sgd", "--seed", "3", "-f", "csv", "-q");
        var fromStdin = Lsq.RunWithInput(File.ReadAllText(file), "fit", "-", "-m", "sgd", "--seed", "3", "-f", "csv", "-q");
        Assert.Equal(0, fromFile.Code);
        Assert.Equal(fromFile.Out, fromStdin.Out);
    }

    private static (int Code, string Err) Run(string tmp, string script)
    {
        var start = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["LSQ"] = Exe;
        start.Environment["TMPDIR"] = tmp;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "bash did not finish in 2 minutes");
        _ = stdout.Result;
        return (process.ExitCode, stderr.Result);
    }

    [SkippableTheory]
    [InlineData("success", "\"$LSQ\" fit data.csv -m sgd --max-iter 3 -q > /dev/null")]
    [InlineData("stdin", "cat data.csv | \"$LSQ\" fit - -m sgd --max-iter 3 -q > /dev/null")]
    [InlineData("failure", "printf 'x,y\\n1,2\\n2,oops\\n' | \"$LSQ\" fit - -m sgd -q; test $? = 2")]
    [InlineData("sigterm", "timeout -k 20 --preserve-status -s TERM 2 \"$LSQ\" fit data.csv -m sgd --max-iter 100000 -q; rc=$?; test $rc -ne 0 -a $rc -ne 137")]
    [InlineData("ctrl-c", "timeout -k 20 --preserve-status -s INT 2 \"$LSQ\" fit data.csv -m sgd --max-iter 100000 -q; rc=$?; test $rc -ne 0 -a $rc -ne 137")]
    public void The_cache_is_gone_after_the_run_however_it_ends(string how, string command)
    {
        Skip.If(OperatingSystem.IsWindows(), "needs bash and signals");
        using var dir = new TempDir();
        var tmp = Directory.CreateDirectory(Path.Combine(dir.Path, "tmp")).FullName;
        var data = Path.Combine(dir.Path, "data.csv");
        File.WriteAllLines(data, ["x,y", .. Enumerable.Range(0, 20_000).Select(i => $"{i % 97},{(3 * (i % 97)) + 1 + (i % 7)}")]);

        // While sgd runs, the cache has no name in the folder either: watch it during the run. The
        // name exists for the instant between creating the file and unlinking it, which a loaded
        // machine can stretch over one look; a name seen on three looks in a row (over 0.1 s) is a
        // cache left named.
        var (code, err) = Run(tmp, $"""
            cd {dir.Path}
            ( n=0; while sleep 0.05; do if ls -A "$TMPDIR" | grep -q lsq-rows; then n=$((n+1)); [ $n -ge 3 ] && echo seen >> watch.log; else n=0; fi; done ) & watcher=$!
            {command}; rc=$?
            kill $watcher; exit $rc
            """);
        Assert.True(code == 0, $"{how}: exit {code}: {err}");
        Assert.Empty(Directory.GetFileSystemEntries(tmp));
        Assert.False(File.Exists(Path.Combine(dir.Path, "watch.log")), $"{how}: the cache was seen in the temporary folder");
    }
}
