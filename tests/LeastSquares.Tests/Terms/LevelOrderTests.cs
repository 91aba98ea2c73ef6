using LeastSquares.Terms;

namespace LeastSquares.Tests.Terms;

/// <summary>
/// Text levels sort as R sorts them in a UTF-8 locale, so the reference level and the order of the
/// indicator columns are R's (tests/reference/r/collation.txt, from make-collation.R).
/// </summary>
public sealed class LevelOrderTests
{
    private static string[] ROrder() =>
        File.ReadAllLines(Path.Combine(TestData.RepoRoot(), "tests", "reference", "r", "collation.txt"));

    [Fact]
    public void Text_levels_sort_in_R_order_from_any_order()
    {
        var expected = ROrder();
        Assert.True(expected.Length > 40);
        var random = new Random(7);
        for (int trial = 0; trial < 20; trial++)
        {
            var shuffled = expected.OrderBy(_ => random.Next()).ToArray();
            Assert.Equal(expected, FactorColumn.SortedLevels(shuffled, numeric: false));
        }
    }

    [Fact]
    public void Case_breaks_ties_only_so_the_reference_is_the_alphabetically_first_level()
    {
        var sorted = new FactorColumn("fruit", false, ["cherry", "Date", "Banana", "apple"]).Sorted();
        Assert.Equal(["apple", "Banana", "cherry", "Date"], sorted.Levels);
    }

    [Fact]
    public void Numeric_levels_still_sort_by_value()
    {
        Assert.Equal(["0.5", "2", "10", "1e+05"], FactorColumn.SortedLevels(["10", "1e+05", "2", "0.5"], numeric: true));
    }
}
