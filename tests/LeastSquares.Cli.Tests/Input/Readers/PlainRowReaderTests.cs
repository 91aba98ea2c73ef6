using System.Globalization;
using System.Text;
using LeastSquares.Cli.Input;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// The fast reader of plain rows must read exactly what the CSV reader reads, and hand over at
/// the start of the first line it does not take, with every row before that line taken.
/// </summary>
public sealed class PlainRowReaderTests
{
    private static readonly ModelTerms Terms = new(["a", "b"], "y");
    private static readonly string[] Header = ["a", "note", "b", "y"];
    private static readonly int[] Columns = [0, 2, 3]; // "note" is not in the model

    private static PlainReadResult ReadFast(string body, MomentAccumulator accumulator) =>
        PlainRowReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(body)), ',', Header.Length, Columns, accumulator, stop: null,
            CancellationToken.None);

    private static Moments ReadWithCsvReader(string body)
    {
        var stream = new CountingStream(new MemoryStream(Encoding.UTF8.GetBytes(body)), limit: null, countQuotes: false);
        using var source = CsvSource.ForPart(stream, "t.csv", new CsvDialect(), ',', Header, () => 0);
        var values = new double[Columns.Length];
        var accumulator = MomentAccumulator.Create(Terms);
        RowStatus status;
        while ((status = source.ReadRow(Columns, values)) != RowStatus.End)
        {
            if (status == RowStatus.Row)
            {
                accumulator.Add(values);
            }
        }

        return accumulator.ToMoments();
    }

    private static void AssertSame(Moments expected, Moments actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(expected.GetMean(i), actual.GetMean(i));
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(expected.GetComoment(i, j), actual.GetComoment(i, j));
            }
        }
    }

    /// <summary>Rows in every plain shape numbers come in, with free text in the column the model does not use.</summary>
    private static string PlainRows(int rows, int seed, string lineEnd)
    {
        var rng = new Random(seed);
        string[] shapes = ["R", "F0", "F3", "E5", "G17", "e2", "F25"]; // F3 and F25 of large numbers have more than 19 digits
        var sb = new StringBuilder();
        for (int i = 0; i < rows; i++)
        {
            string Number()
            {
                double v = (rng.NextDouble() - 0.4) * Math.Pow(10, rng.Next(-20, 20));
                string text = v.ToString(shapes[rng.Next(shapes.Length)], CultureInfo.InvariantCulture);
                return rng.Next(10) == 0 && !text.StartsWith('-') ? "+" + text : text;
            }

            string spaced = rng.Next(50) == 0 ? " " : ""; // double.TryParse takes spaces around a number, as the CSV reader does
            string note = rng.Next(6) switch
            {
                0 => "",
                1 => "label " + i.ToString(CultureInfo.InvariantCulture),
                2 => "é ü 1.5e3",
                3 => "\"Smith, J.\"", // quoted text, as R and spreadsheets write it: a comma inside
                4 => "\"say \"\"hi\"\", twice\"", // escaped quotes
                _ => "\"\"",
            };
            // Some numbers quoted, as tools that quote every field write them (spaces inside the quotes).
            string Quoted(string field) => rng.Next(20) == 0 ? "\"" + field + "\"" : field;
            sb.Append(Quoted(Number() + spaced)).Append(',').Append(note).Append(',').Append(Quoted(spaced + Number())).Append(',')
                .Append(Quoted(Number())).Append(lineEnd);
        }

        return sb.ToString();
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Plain_rows_give_the_same_sums_as_the_CSV_reader_to_the_last_bit(string lineEnd)
    {
        // More than one buffer of rows, so that lines are cut across buffer refills.
        string body = PlainRows(60_000, seed: 1, lineEnd);
        Assert.True(body.Length > 2 << 20);
        var fast = MomentAccumulator.Create(Terms);
        var result = ReadFast(body, fast);
        Assert.Equal(PlainReadEnd.End, result.End);
        Assert.Equal(60_000, result.Rows);
        Assert.Equal(Encoding.UTF8.GetByteCount(body), result.Offset);
        AssertSame(ReadWithCsvReader(body), fast.ToMoments());
    }

    [Theory]
    [InlineData("\"\",x,2,3\n", "an empty quoted model cell")]
    [InlineData("\"1\"\"\",x,2,3\n", "an escaped quote in a model cell")]
    [InlineData("\"1 2\",x,2,3\n", "text between the quotes of a model cell")]
    [InlineData("1,\"a\nb\",2,3\n", "a quoted field with a line break")]
    [InlineData("1,\"a\rb\",2,3\n", "a quoted field with a carriage return")]
    [InlineData("1,\"ab\"c,2,3\n", "text after a closing quote")]
    [InlineData("1,\"ab,2,3\n", "a quote never closed on its line")]
    [InlineData("1,a\"b,2,3\n", "a quote inside an unquoted field")]
    [InlineData("\n", "a blank line")]
    [InlineData("1,x,,3\n", "an empty model cell")]
    [InlineData("1,x,2\n", "too few fields")]
    [InlineData("1,x,2,3,4\n", "too many fields")]
    [InlineData("1,x,2,abc\n", "text in a model column")]
    [InlineData("1,x,2,NaN\n", "NaN")]
    [InlineData("1,x,2,1e999\n", "a number too large")]
    [InlineData("1,x,2,3\r4,x,5,6\n", "a carriage return alone")]
    [InlineData("1,x,2,3", "a last line without a line break")]
    [InlineData("1,x,2,1.5.3\n", "a number followed by more")]
    [InlineData("1,x,2,\t\n", "a cell of white space")]
    public void The_first_line_not_taken_is_handed_over_at_its_start(string odd, string what)
    {
        string before = PlainRows(5_000, seed: 2, "\n");
        string after = PlainRows(10, seed: 3, "\n");
        var fast = MomentAccumulator.Create(Terms);
        var result = ReadFast(before + odd + after, fast);
        Assert.True(result.End == PlainReadEnd.Handover, what);
        Assert.Equal(Encoding.UTF8.GetByteCount(before), result.Offset);
        Assert.Equal(5_000, result.Rows);
        AssertSame(ReadWithCsvReader(before), fast.ToMoments());
    }

    [Theory]
    [InlineData('-')]
    [InlineData('+')]
    [InlineData('.')]
    [InlineData('e')]
    [InlineData('E')]
    [InlineData('7')]
    public void A_separator_that_can_be_part_of_a_number_is_left_to_the_CSV_reader(char separator)
    {
        var accumulator = MomentAccumulator.Create(new ModelTerms(["a"], "y"));
        var body = Encoding.ASCII.GetBytes($"5{separator}{separator}7\n");
        var result = PlainRowReader.Read(new MemoryStream(body), separator, 2, [0, 1], accumulator, null, CancellationToken.None);
        Assert.Equal(new PlainReadResult(PlainReadEnd.Handover, 0, 0), result);
        Assert.False(Utf8Double.CanSeparate(separator));
    }

    [Fact]
    public void A_column_used_twice_is_left_to_the_CSV_reader()
    {
        var accumulator = MomentAccumulator.Create(new ModelTerms(["a", "b"], "y"));
        var result = PlainRowReader.Read(new MemoryStream("1,x,2,3\n"u8.ToArray()), ',', 4, [0, 0, 3], accumulator, null, CancellationToken.None);
        Assert.Equal(new PlainReadResult(PlainReadEnd.Handover, 0, 0), result);
    }

    [Fact]
    public void A_stop_ends_the_read_between_buffers_with_the_rows_so_far()
    {
        string body = PlainRows(60_000, seed: 4, "\n");
        var fast = MomentAccumulator.Create(Terms);
        var result = PlainRowReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(body)), ',', 4, Columns, fast, stop: () => true,
            CancellationToken.None);
        Assert.Equal(PlainReadEnd.Stopped, result.End);
        Assert.True(result.Rows > 0 && result.Rows < 60_000);
        Assert.Equal(result.Rows, fast.Count);
    }

    private static readonly string[] LevelHeader = ["x", "g", "y"];

    private static ModelTerms LevelTerms() => ModelSpec.FormulaTerms("y ~ x + g", LevelHeader, null, name => name == "g");

    private static PlainReadResult ReadLevels(string body, MomentAccumulator accumulator, CsvDialect dialect) =>
        PlainRowReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(body)), ',', 3, [0, 1, 2], accumulator, stop: null, CancellationToken.None,
            dialect: dialect);

    [Fact]
    public void Text_levels_are_coded_from_their_bytes_in_the_order_first_met()
    {
        var body = "1,b,2\n2,\"a\",3\n3,b,5\n4,a,4.5\n5,c,7\n";
        var accumulator = MomentAccumulator.Create(LevelTerms(), FitMethod.Normal);
        var result = ReadLevels(body, accumulator, new CsvDialect());
        Assert.Equal(new PlainReadResult(PlainReadEnd.End, body.Length, 5), result);
        Assert.Equal(["b", "a", "c"], accumulator.RowLevels![1]!.Levels);
        Assert.Equal(5, accumulator.Count);
    }

    [Fact]
    public void Without_the_dialect_a_categorical_column_is_left_to_the_CSV_reader()
    {
        var accumulator = MomentAccumulator.Create(LevelTerms(), FitMethod.Normal);
        var result = PlainRowReader.Read(new MemoryStream("1,b,2\n"u8.ToArray()), ',', 3, [0, 1, 2], accumulator, null, CancellationToken.None);
        Assert.Equal(new PlainReadResult(PlainReadEnd.Handover, 0, 0), result);
    }

    [Theory]
    [InlineData("NA")]
    [InlineData("")]
    [InlineData(" ")]
    public void A_missing_cell_is_skipped_under_missing_skip_and_handed_over_otherwise(string cell)
    {
        // The level of a skipped row alone gets no code: 'z' is never met on a row taken.
        var body = $"1,b,2\n2,z,{cell}\n3,{cell},5\n4,a,4.5\n";
        var skip = MomentAccumulator.Create(LevelTerms(), FitMethod.Normal);
        var skipped = ReadLevels(body, skip, new CsvDialect { Missing = MissingPolicy.Skip });
        Assert.Equal(new PlainReadResult(PlainReadEnd.End, body.Length, 2) { Skipped = 2 }, skipped);
        Assert.Equal(["b", "a"], skip.RowLevels![1]!.Levels);

        var error = MomentAccumulator.Create(LevelTerms(), FitMethod.Normal);
        var handover = ReadLevels(body, error, new CsvDialect());
        Assert.Equal(new PlainReadResult(PlainReadEnd.Handover, "1,b,2\n".Length, 1), handover);
        Assert.Equal(["b"], error.RowLevels![1]!.Levels);
    }

    [Fact]
    public void A_level_with_an_escaped_quote_or_a_decimal_comma_dialect_goes_to_the_CSV_reader()
    {
        var accumulator = MomentAccumulator.Create(LevelTerms(), FitMethod.Normal);
        var quoted = ReadLevels("1,b,2\n2,\"a\"\"b\",3\n", accumulator, new CsvDialect());
        Assert.Equal(new PlainReadResult(PlainReadEnd.Handover, 6, 1), quoted);

        var comma = MomentAccumulator.Create(LevelTerms(), FitMethod.Normal);
        Assert.Equal(PlainReadEnd.Handover, ReadLevels("1,b,2\n", comma, new CsvDialect { DecimalComma = true }).End);
    }
}
