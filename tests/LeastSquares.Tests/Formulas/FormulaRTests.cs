using System.Globalization;
using LeastSquares.Terms.Formulas;

namespace LeastSquares.Tests.Formulas;

/// <summary>
/// Expansion, labels and coefficient names against R itself. Every expected value comes from
/// r-terms.txt, written by r-terms.R (R 4.2.2: terms(), model.frame(), model.matrix() on R's own data sets).
/// </summary>
public sealed class FormulaRTests
{
    public sealed record RCase(string Data, string Text, string[] Columns, string[] Labels, string[] Factors, bool Intercept, string Response,
        Dictionary<string, string[]> Levels, string[] Coefficients, Dictionary<string, double>? Row, double[]? ModelRow)
    {
        public override string ToString() => $"{Data}: {Text}";
    }

    private static readonly Lazy<List<RCase>> Cases = new(Load);

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases.Value)
        {
            data.Add(c.ToString());
        }

        return data;
    }

    private static RCase Find(string name) => Cases.Value.Single(c => c.ToString() == name);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Term_labels_and_intercept_match_R(string name)
    {
        var r = Find(name);
        var formula = FormulaParser.Parse(r.Text, r.Columns);

        // R's terms() keeps a term that contains the response; model.matrix then drops it, and so does lsq.
        var expected = r.Labels.Where(label => !label.Split(':').Contains(formula.Response.Label)).ToArray();
        Assert.Equal(expected, formula.TermLabels);
        Assert.Equal(r.Intercept, formula.HasIntercept);
        Assert.Equal(r.Response, formula.Response.Label);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Term_margins_match_R_factors_attribute(string name)
    {
        var r = Find(name);
        var formula = FormulaParser.Parse(r.Text, r.Columns);
        var expected = r.Labels.Zip(r.Factors)
            .Where(p => !p.First.Split(':').Contains(formula.Response.Label))
            .Select(p => p.Second);
        var actual = formula.Terms.Select(t => string.Join(",", t.Margins.Select(m => m == FactorCoding.Contrasts ? "1" : "2")));
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Coefficient_names_match_R_model_matrix(string name)
    {
        var r = Find(name);
        var formula = FormulaParser.Parse(r.Text, r.Columns);
        var names = formula.CoefficientNames(v => r.Levels.TryGetValue(v.Label, out var levels) ? levels : null);
        Assert.Equal(r.Coefficients, names);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Evaluated_columns_match_R_model_matrix_row(string name)
    {
        var r = Find(name);
        if (r.Row is null)
        {
            return; // factors or orthogonal polynomials: their columns depend on the whole data
        }

        var formula = FormulaParser.Parse(r.Text, r.Columns);
        var row = r.Columns.Select(c => r.Row[c]).ToArray();
        var values = new List<double>();
        if (formula.HasIntercept)
        {
            values.Add(1);
        }

        foreach (var term in formula.Terms)
        {
            var perVariable = term.Variables.Select(v =>
            {
                double x = v.Compile(c => Array.IndexOf(r.Columns, c)).Evaluate(row);
                return Enumerable.Range(1, v.Degree).Select(k => CompiledExpression.Pow(x, k)).ToArray();
            }).ToList();
            IEnumerable<double> products = [1.0];
            foreach (var columns in perVariable)
            {
                products = columns.SelectMany(c => products.Select(p => p * c)).ToList();
            }

            values.AddRange(products);
        }

        Assert.Equal(r.ModelRow!.Length, values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            double expected = r.ModelRow[i];
            Assert.True(Math.Abs(values[i] - expected) <= 4e-16 * Math.Abs(expected),
                $"{r.Coefficients[i]}: lsq {values[i]:R}, R {expected:R}");
        }
    }

    private static List<RCase> Load()
    {
        var path = Path.Combine(TestData.RepoRoot(), "tests", "LeastSquares.Tests", "Formulas", "r-terms.txt");
        var cases = new List<RCase>();
        Dictionary<string, string[]> fields = [];
        var levels = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split('\t');
            switch (parts[0])
            {
                case "#":
                    break;
                case "levels":
                    levels[parts[1]] = parts[2..];
                    break;
                case "end":
                    Dictionary<string, double>? row = null;
                    if (fields.TryGetValue("row", out var cells))
                    {
                        row = [];
                        for (int i = 0; i + 1 < cells.Length; i += 2)
                        {
                            row[cells[i]] = double.Parse(cells[i + 1], CultureInfo.InvariantCulture);
                        }
                    }

                    cases.Add(new RCase(fields["case"][0], fields["case"][1], fields["columns"],
                        fields.GetValueOrDefault("labels") ?? [], fields.GetValueOrDefault("factors") ?? [], fields["intercept"][0] == "1", fields["response"][0], levels,
                        fields.GetValueOrDefault("coef") ?? [], row,
                        fields.TryGetValue("mm", out var mm) ? [.. mm.Select(v => double.Parse(v, CultureInfo.InvariantCulture))] : null));
                    fields = [];
                    levels = new Dictionary<string, string[]>(StringComparer.Ordinal);
                    break;
                default:
                    fields[parts[0]] = parts.Length > 1 && !(parts.Length == 2 && parts[1].Length == 0) ? parts[1..] : [];
                    break;
            }
        }

        return cases;
    }
}
