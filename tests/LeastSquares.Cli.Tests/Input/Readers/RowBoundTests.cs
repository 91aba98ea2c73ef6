using System.Text;
using LeastSquares.Cli.Input;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// The line count that bounds a file's rows before a wide fit makes its state: every line end
/// counts once ("\r\n" included), a last line without its end counts, and the count stops at
/// its limit.
/// </summary>
public sealed class RowBoundTests
{
    private static long Count(string text, long limit = long.MaxValue) =>
        RowBound.CountLines(new MemoryStream(Encoding.UTF8.GetBytes(text)), limit);

    [Theory]
    [InlineData("", 0)]
    [InlineData("\n", 1)]
    [InlineData("x,y", 1)]
    [InlineData("x,y\n1,2\n", 2)]
    [InlineData("x,y\r\n1,2\r\n3,4", 3)]
    [InlineData("x,y\r1,2\r3,4\r", 3)]
    [InlineData("x,y\n\n1,2\r\n\r\n", 4)]
    public void Every_line_end_counts_once(string text, long lines) => Assert.Equal(lines, Count(text));

    [Fact]
    public void Lines_longer_than_a_buffer_count_once_and_the_count_stops_at_its_limit()
    {
        var line = new string('7', 200_000) + "\r\n";
        Assert.Equal(5, Count(string.Concat(Enumerable.Repeat(line, 5))));
        Assert.InRange(Count(string.Concat(Enumerable.Repeat("1,2\n", 1_000_000)), limit: 10), 10, 1 << 16);
    }
}
