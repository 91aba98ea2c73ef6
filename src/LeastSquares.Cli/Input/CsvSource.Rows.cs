using System.Globalization;
using System.Text;
using CsvHelper;

namespace LeastSquares.Cli.Input;

// Reading the data rows: numbers, categorical cells, missing values, the fast plain path and --decimal ,.
internal sealed partial class CsvSource
{
    /// <summary>
    /// Reads the next data row's <paramref name="columns"/> into <paramref name="values"/>. A value
    /// with levels in <paramref name="levels"/> is a categorical cell: it is written as its level's
    /// code (a new level is added unless the levels are fixed; then it is an input error). A
    /// non-number in one of the first <paramref name="predictors"/> values
    /// suggests <c>factor()</c>.
    /// </summary>
    public RowStatus ReadRow(ReadOnlySpan<int> columns, Span<double> values, IReadOnlyList<FactorLevels?>? levels = null, int predictors = 0)
    {
        if (_deferred is { } deferred)
        {
            throw deferred;
        }

        try
        {
            if (_pending)
            {
                _pending = false;
            }
            else if (!_reader.Read())
            {
                return RowStatus.End;
            }

            if (_reader.FieldCount == 1 && _reader.GetSpan(0).IsEmpty)
            {
                BlankLines++;
                return RowStatus.Blank;
            }

            if (_reader.FieldCount != Header.Count)
            {
                throw new InputException(CliMessages.RaggedRow(DisplayName, Line, Header.Count, _reader.FieldCount));
            }

            DataRows++;

            if (!_decimalComma && TryReadPlainRow(columns, values, levels))
            {
                return RowStatus.Row;
            }

            // Cells in the order they stand on the line, so that the first missing or bad cell of
            // the line is the one reported.
            if (_byPosition.Length != columns.Length || !IsOrderOf(columns))
            {
                var order = Enumerable.Range(0, columns.Length).ToArray();
                var keys = columns.ToArray();
                Array.Sort(keys, order);
                _byPosition = order;
            }

            _newLevels.Clear(); // a skipped row's new levels are forgotten
            foreach (int k in _byPosition)
            {
                int c = columns[k];
                var span = _reader.GetSpan(c);
                if (levels is not null && levels[k] is { } factor)
                {
                    if (!ReadLevel(span, factor, c, k, out values[k]))
                    {
                        return RowStatus.Skipped;
                    }

                    continue;
                }

                // With a decimal comma, a point in a cell is a thousands mark or a mistake: not a number.
                bool number = !_decimalComma || span.IndexOf((byte)'.') < 0;
                if (_decimalComma && number)
                {
                    span = WithDecimalPoint(span);
                }

                // Utf8Double reads plain decimals several times faster than double.TryParse and
                // rounds just as correctly; what it does not take goes to double.TryParse, which
                // has the last word.
                if (number && Utf8Double.TryParse(span, out double v))
                {
                    values[k] = v;
                    continue;
                }

                if (number && double.TryParse(span, Styles, CultureInfo.InvariantCulture, out v) && double.IsFinite(v))
                {
                    values[k] = v;
                    continue;
                }

                TextCheck.RequireText(_reader.GetSpan(c), DisplayName, Line, c + 1, Header[c]);
                var text = Encoding.UTF8.GetString(_reader.GetSpan(c));
                bool empty = text.Trim().Length == 0;
                if (empty || _naValues.Contains(text.Trim()))
                {
                    if (_missing == MissingPolicy.Skip)
                    {
                        SkippedRows++;
                        return RowStatus.Skipped;
                    }

                    if (_missing == MissingPolicy.Na)
                    {
                        values[k] = double.NaN; // predict writes NA for the row
                        continue;
                    }

                    throw new InputException(empty
                        ? CliMessages.EmptyCell(DisplayName, Line, c + 1, Header[c], _offersSkip, _offersNa)
                        : CliMessages.MissingCell(DisplayName, Line, c + 1, Header[c], text, _offersSkip, _offersNa));
                }

                throw new InputException((number && double.TryParse(span, Styles, CultureInfo.InvariantCulture, out _)) || NamesNonFinite(text)
                    ? CliMessages.NotFinite(DisplayName, Line, c + 1, Header[c], text)
                    : CliMessages.NotANumber(DisplayName, Line, c + 1, Header[c], text, _decimalComma, factorHint: k < predictors));
            }

            // Levels first met on this row are added only now that the row is taken, so that a level
            // of a skipped row alone gets no column.
            foreach (var (k, factor, level) in _newLevels)
            {
                values[k] = factor.CodeOf(level);
            }

            _newLevels.Clear();
            return RowStatus.Row;
        }
        catch (CsvFormatException e)
        {
            throw new InputException(CliMessages.Malformed(DisplayName, e.LineNumber > 0 ? LinesBefore + e.LineNumber : Line, e.Message));
        }
        catch (Exception e) when (e is IOException or DecoderFallbackException)
        {
            throw new InputException(CliMessages.Unreadable(DisplayName, e.Message));
        }
    }

    /// <summary>
    /// Reads a categorical cell as its level's code; false when it is missing and the row is to be
    /// skipped (counted). Text levels are the cell as written; numeric levels (<c>factor(cyl)</c>) the
    /// number as R writes it, so that 6 and 6.0 are one level.
    /// </summary>
    private bool ReadLevel(ReadOnlySpan<byte> span, FactorLevels factor, int c, int k, out double code)
    {
        code = 0;
        TextCheck.RequireText(span, DisplayName, Line, c + 1, Header[c]);
        var text = Encoding.UTF8.GetString(span);
        bool empty = text.Trim().Length == 0;
        if (empty || _naValues.Contains(text.Trim()))
        {
            if (_missing == MissingPolicy.Skip)
            {
                SkippedRows++;
                return false;
            }

            if (_missing == MissingPolicy.Na)
            {
                code = double.NaN; // predict writes NA for the row
                return true;
            }

            throw new InputException(empty
                ? CliMessages.EmptyCell(DisplayName, Line, c + 1, Header[c], _offersSkip, _offersNa)
                : CliMessages.MissingCell(DisplayName, Line, c + 1, Header[c], text, _offersSkip, _offersNa));
        }

        string level = text;
        if (factor.Numeric)
        {
            if (Utf8Double.TryParse(span, out double v) || (double.TryParse(span, Styles, CultureInfo.InvariantCulture, out v) && double.IsFinite(v)))
            {
                level = FactorColumn.LevelOf(v);
            }
            else if (factor.IsFixed)
            {
                throw new InputException(CliMessages.NotANumber(DisplayName, Line, c + 1, Header[c], text, factorHint: false));
            }
            else
            {
                factor.AsText(); // R's read.csv reads a column with a cell that is not a number as text
            }
        }

        int found = factor.Levels.Count > 0 || factor.IsFixed ? factor.Find(level) : -1;
        if (found < 0 && factor.IsFixed)
        {
            throw new InputException(CliMessages.UnseenLevel(DisplayName, Line, c + 1, Header[c], level, factor.Levels));
        }

        if (found < 0)
        {
            _newLevels.Add((k, factor, level)); // coded once the whole row is read
        }

        code = found;
        return true;
    }

    /// <summary>
    /// The fast path of <see cref="ReadRow"/>: the record's raw bytes through the one plain splitter
    /// (<see cref="PlainRecord"/>), which reads each model column's number where it stands and skips
    /// the other fields. On false nothing is decided, and the field-by-field path reads the row, with
    /// its fallbacks and its error messages. Categorical cells are read as their levels' codes
    /// (<see cref="PlainCells"/>: a level first met is added once the row is taken); a row with a
    /// missing cell is left to the field-by-field path.
    /// </summary>
    private bool TryReadPlainRow(ReadOnlySpan<int> columns, Span<double> values, IReadOnlyList<FactorLevels?>? levels)
    {
        PlainCells? cells = null;
        if (levels is not null)
        {
            if (_cells?.Levels != levels)
            {
                _cells = PlainCells.For(levels, columns.Length, Dialect, skipMissing: false);
            }

            cells = _cells;
        }

        if (_slotsFor is null || !columns.SequenceEqual(_slotsFor))
        {
            _slotsFor = columns.ToArray();
            _slots = PlainRecord.CanSplit(Separator) ? PlainRecord.SlotsOf(Header.Count, columns) : null; // null for a column used twice
            _fieldEnds ??= PlainRecord.FieldEnds((byte)Separator);
        }

        if (_slots is not { } slots)
        {
            return false;
        }

        // The record, without its line break, is copied into a buffer with room after it, which
        // the number reader needs, and given the '\n' the splitter expects at its end.
        var record = _reader.RawRecord;
        if (_padded.Length < record.Length + 1 + Utf8Double.Padding)
        {
            _padded = new byte[Math.Max(2 * _padded.Length, record.Length + 1 + Utf8Double.Padding)];
        }

        record.CopyTo(_padded);
        _padded[record.Length] = (byte)'\n';
        _padded.AsSpan(record.Length + 1, Utf8Double.Padding).Clear();
        int position = 0;
        if (PlainRecord.Read(_padded, ref position, (byte)Separator, slots, _fieldEnds!, values, cells) != PlainRow.Row || position != record.Length + 1)
        {
            cells?.Forget();
            return false;
        }

        cells?.Commit(values);
        return true;
    }

    /// <summary>
    /// The text of field <paramref name="index"/> of the row last read by <see cref="ReadRow"/>, as
    /// UTF-8 without its quotes; valid until the next read.
    /// </summary>
    public ReadOnlySpan<byte> Field(int index) => _reader.GetSpan(index);

    /// <summary>True when <see cref="_byPosition"/> puts <paramref name="columns"/> in ascending order.</summary>
    private bool IsOrderOf(ReadOnlySpan<int> columns)
    {
        for (int i = 1; i < _byPosition.Length; i++)
        {
            if (columns[_byPosition[i - 1]] > columns[_byPosition[i]])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A cell written with a decimal comma, as the same text with a point (in a buffer kept for the
    /// purpose), for the number readers.
    /// </summary>
    private ReadOnlySpan<byte> WithDecimalPoint(ReadOnlySpan<byte> span)
    {
        if (span.IndexOf((byte)',') < 0)
        {
            return span;
        }

        if (_decimalBuffer.Length < span.Length)
        {
            _decimalBuffer = new byte[Math.Max(span.Length, 2 * _decimalBuffer.Length)];
        }

        var copy = _decimalBuffer.AsSpan(0, span.Length);
        span.CopyTo(copy);
        copy.Replace((byte)',', (byte)'.');
        return copy;
    }

    // Spellings of infinity and NaN that other tools write (R, numpy) and .NET does not parse.
    private static bool NamesNonFinite(string text) =>
        text.Trim().TrimStart('+', '-').ToUpperInvariant() is "INF" or "INFINITY" or "NAN" or "1.#INF" or "1.#QNAN";
}
