using System.Text;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// Model files are input: thousands of seeded mutations of a valid model (field values swapped for
/// huge, negative, fractional, text and null ones, fields dropped, bytes damaged) go through lsq
/// predict. Each must end in exit 0 or 2 with an lsq: message, never exit 70, never a long
/// allocation (issue 20 item 15: "degree": 1000000000 ran out of memory; a text "version" was exit 70).
/// </summary>
public sealed class ModelFuzzTests
{
    private const string Valid = """
        {"format":"lsq-model","version":1,"lsq_version":"0.1.0","target":"y","predictors":["x"],"degree":2,"intercept":true,
         "terms":["(intercept)","x","x^2"],"coefficients":[1,2,0.5],"method":"normal","scaling":null,"n":10,"mse":0.5,
         "r_squared":0.9,"condition_number":3,"iterations":null,"converged":null}
        """;

    private static readonly string[] Values =
        ["1000000000", "2147483648", "-1", "0", "1.5", "1e308", "-1e308", "\"1\"", "\"\"", "null", "true", "[]", "{}", "[1,2]", "[\"x\",\"x\"]",
         "[\"(intercept)\"]", "\"lsq-model\"", "99999999999999999999", "NaN", "[null]"];

    private static readonly string[] Fields =
        ["format", "version", "target", "predictors", "degree", "intercept", "terms", "coefficients", "n", "iterations", "converged", "mse"];

    private static string Mutate(Random rng)
    {
        var text = new StringBuilder(Valid);
        int edits = 1 + rng.Next(3);
        for (int e = 0; e < edits; e++)
        {
            var s = text.ToString();
            var field = Fields[rng.Next(Fields.Length)];
            int at = s.IndexOf($"\"{field}\":", StringComparison.Ordinal);
            if (at < 0 || rng.Next(5) == 0)
            {
                // Damaged bytes: a cut, a deletion or an inserted character.
                int p = rng.Next(s.Length);
                text = new StringBuilder(rng.Next(3) switch
                {
                    0 => s[..p],
                    1 => s.Remove(p, Math.Min(1 + rng.Next(4), s.Length - p)),
                    _ => s.Insert(p, "{}[],:\"0-e"[rng.Next(10)].ToString()),
                });
                continue;
            }

            int start = at + field.Length + 3;
            int depth = 0, end = start;
            for (; end < s.Length; end++)
            {
                char c = s[end];
                if (c is '[' or '{')
                {
                    depth++;
                }
                else if (c is ']' or '}')
                {
                    if (depth == 0)
                    {
                        break;
                    }

                    depth--;
                }
                else if (c == ',' && depth == 0)
                {
                    break;
                }
            }

            text = new StringBuilder(rng.Next(6) == 0
                ? s.Remove(at, end - at + (end < s.Length && s[end] == ',' ? 1 : 0)) // the field left out
                : s[..start] + Values[rng.Next(Values.Length)] + s[end..]);
        }

        return text.ToString();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Mutated_model_files_end_in_exit_0_or_2_with_a_message(int seed)
    {
        var rng = new Random(seed);
        using var dir = new TempDir();
        var data = dir.File("new.csv", "x\n1\n2.5\n");
        var path = Path.Combine(dir.Path, "model.json");
        for (int i = 0; i < 400; i++)
        {
            var model = Mutate(rng);
            File.WriteAllText(path, model);
            var started = DateTime.UtcNow;
            var r = Lsq.Run("predict", "--model", path, data, "-q");
            Assert.True(r.Code is 0 or 2, $"exit {r.Code} for model {model}: {r.Err}");
            Assert.True(r.Code == 0 || r.Err.StartsWith("lsq: error: ", StringComparison.Ordinal), $"no lsq: message for {model}: {r.Err}");
            Assert.True(r.Code != 2 || r.Err.Contains("model.json", StringComparison.Ordinal), $"the message does not name the file: {r.Err}");
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), $"{model} took {DateTime.UtcNow - started}");
        }
    }

    [Theory]
    [InlineData("\"degree\":2", "\"degree\":1000000000", "its \"degree\" is '1000000000', but lsq fits degrees from 1 to 30")]
    [InlineData("\"version\":1", "\"version\":\"1\"", "its \"version\" is not a whole number (it is '\"1\"')")]
    public void The_two_reported_models_are_exit_2_naming_the_file_and_field(string from, string to, string message)
    {
        // Before: 24 GB and signal 9 for the degree; exit 70 "internal error (InvalidOperationException …)" for the version.
        using var dir = new TempDir();
        var model = dir.File("model.json", Valid.Replace(from, to, StringComparison.Ordinal));
        var r = Lsq.Run("predict", "--model", model, dir.File("new.csv", "x\n1\n"));
        Assert.Equal(2, r.Code);
        Assert.Contains($"model.json: {message}", r.Err, StringComparison.Ordinal);
    }
}
