using System.Text;
using System.Text.Json;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// A seeded CSV mutator: thousands of damaged variants of a valid file go through loading and
/// fitting. Whatever the damage, lsq must end in a documented exit code with an lsq: message,
/// and a run that succeeds must print JSON whose numbers are all finite.
/// </summary>
public sealed class FuzzTests
{
    private static readonly string[] Fragments =
        [",", "\"", "\n", "\r\n", "-", ".", "e", "E", "1e308", "1e-320", "NaN", "Inf", "abc", " ", "\t", "0", "9", "\u00e9", "\0", ",,", "\"\""];

    private static readonly string[][] Options =
        [[], ["-m", "gd"], ["-m", "sgd", "--max-iter", "20"], ["--degree", "3", "-x", "x1"], ["--no-intercept"], ["--summary"], ["--missing", "skip"], ["-y", "x2"]];

    private static string Mutate(string text, Random rng)
    {
        var sb = new StringBuilder(text);
        int edits = 1 + rng.Next(4);
        for (int e = 0; e < edits && sb.Length > 0; e++)
        {
            int at = rng.Next(sb.Length);
            switch (rng.Next(6))
            {
                case 0:
                    sb.Remove(at, 1 + rng.Next(Math.Min(5, sb.Length - at)));
                    break;
                case 1:
                    sb.Insert(at, Fragments[rng.Next(Fragments.Length)]);
                    break;
                case 2:
                    sb[at] = "0123456789.,-e\"\n"[rng.Next(16)];
                    break;
                case 3:
                    sb.Length = at; // truncated file
                    break;
                case 4:
                    var lines = sb.ToString().Split('\n');
                    int l = rng.Next(lines.Length);
                    sb.Append(lines[l]).Append('\n'); // a repeated line
                    break;
                default:
                    sb.Insert(at, new string((char)('0' + rng.Next(10)), rng.Next(400))); // a huge number
                    break;
            }
        }

        return sb.ToString();
    }

    private static void AssertFinite(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    AssertFinite(p.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var v in e.EnumerateArray())
                {
                    AssertFinite(v);
                }

                break;
            case JsonValueKind.Number:
                Assert.True(double.IsFinite(e.GetDouble()), $"non-finite number {e.GetRawText()}");
                break;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Mutated_inputs_never_crash_or_lie(int seed)
    {
        var lines = File.ReadAllLines(Lsq.Sample("multi.csv")).Take(25);
        var valid = string.Join("\n", lines) + "\n";
        var rng = new Random(seed);
        var seen = new Dictionary<int, int>();
        for (int i = 0; i < 600; i++)
        {
            var input = Mutate(valid, rng);
            var options = Options[rng.Next(Options.Length)];
            var r = Lsq.RunWithInput(input, ["fit", "-", "-f", "json", .. options]);
            seen[r.Code] = seen.GetValueOrDefault(r.Code) + 1;
            Assert.True(r.Code is 0 or 1 or 2 or 3, $"exit {r.Code} for input #{i}: {r.Err}");
            Assert.DoesNotContain("internal error", r.Err, StringComparison.Ordinal);
            if (r.Code == 0)
            {
                using var doc = JsonDocument.Parse(r.Out);
                AssertFinite(doc.RootElement);
            }
            else
            {
                Assert.Equal("", r.Out);
                Assert.StartsWith("lsq: error: ", r.Err, StringComparison.Ordinal);
            }
        }

        // The mutator must exercise both outcomes, or the test proves nothing.
        Assert.True(seen.GetValueOrDefault(0) > 20, "too few successful runs");
        Assert.True(seen.GetValueOrDefault(2) > 20, "too few input errors");
    }
}
