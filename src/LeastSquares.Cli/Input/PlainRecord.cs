using System.Buffers;
using System.Globalization;

namespace LeastSquares.Cli.Input;

/// <summary>
/// The one splitter of plain records, used by the fast reader of big files and by the CSV reader's
/// fast path alike: a record of fields, none quoted but whole fields closed on the same line, with
/// the model's cells read as numbers where they stand and the other fields skipped.
/// </summary>
/// <remarks>
/// It takes a record only when it is certain to read it exactly as the CSV reader would: the right
/// number of fields, every model cell a finite number (read by <see cref="Utf8Double"/>, or by
/// double.TryParse as the CSV reader would when that declines; a quoted number from between its
/// quotes), and "\n" or "\r\n" at the end. Anything else is left, undecided, to the CSV reader.
/// </remarks>
internal static class PlainRecord
{
    /// <summary>
    /// Whether records split by <paramref name="separator"/> can be read here: not a separator of
    /// more than one byte in UTF-8, one that is part of the line syntax, or one that can be part of
    /// a number (digits, signs, point, exponent: the number reader would run through it).
    /// </summary>
    public static bool CanSplit(char separator) => Utf8Double.CanSeparate(separator) && separator is not ('"' or '\n' or '\r');

    /// <summary>
    /// The one detection of a plain header: the length, with its '\n', of the first line of
    /// <paramref name="start"/> when it can be skipped for certain by counting bytes (no quote, no
    /// carriage return but the one before its '\n', no UTF-16 byte order mark); -1 when it cannot;
    /// 0 when <paramref name="start"/> holds no line break yet. Given the <paramref name="separator"/>,
    /// names in quotes closed on the line (R's write.csv quotes every one) are taken too: each field
    /// is then either plain or one whole quoted field.
    /// </summary>
    public static int HeaderLength(ReadOnlySpan<byte> start, char? separator = null)
    {
        if (start.Length >= 2 && ((start[0] == 0xFF && start[1] == 0xFE) || (start[0] == 0xFE && start[1] == 0xFF)))
        {
            return -1;
        }

        int end = start.IndexOf((byte)'\n');
        if (end == 0 || (end == 1 && start[0] == (byte)'\r'))
        {
            return -1; // a blank line before the header: the CSV reader skips it
        }

        var line = end < 0 ? start : start[..end];
        int odd = line.IndexOfAny((byte)'"', (byte)'\r');
        if (odd >= 0 && line[odd] == (byte)'"' && end >= 0 && separator is { } s && CanSplit(s) && FieldsClosed(line, (byte)s))
        {
            odd = line.IndexOf((byte)'\r'); // every quote pairs up within its field; a line break after them ends the header
        }

        if (odd >= 0 && !(end >= 0 && odd == end - 1 && line[odd] == (byte)'\r'))
        {
            return -1;
        }

        return end + 1;
    }

    /// <summary>
    /// True when every field of <paramref name="line"/> (without its '\n') is either free of quotes or
    /// one quoted field closed before the separator that follows it (or before the line's end, or its '\r').
    /// </summary>
    private static bool FieldsClosed(ReadOnlySpan<byte> line, byte separator)
    {
        int at = 0;
        while (true)
        {
            var rest = line[at..];
            int length;
            if (rest.Length > 0 && rest[0] == (byte)'"')
            {
                length = 1;
                while (true)
                {
                    int found = rest[length..].IndexOf((byte)'"');
                    if (found < 0)
                    {
                        return false;
                    }

                    length += found + 1;
                    if (length < rest.Length && rest[length] == (byte)'"')
                    {
                        length++; // an escaped quote
                        continue;
                    }

                    break;
                }
            }
            else
            {
                length = rest.IndexOfAny(separator, (byte)'"');
                if (length < 0)
                {
                    return true;
                }

                if (rest[length] == (byte)'"')
                {
                    return false;
                }
            }

            if (length == rest.Length || (length == rest.Length - 1 && rest[length] == (byte)'\r'))
            {
                return true;
            }

            if (rest[length] != separator)
            {
                return false;
            }

            at += length + 1;
        }
    }

    /// <summary>The bytes that can end a field that is not quoted, for <see cref="TryParse"/>.</summary>
    public static SearchValues<byte> FieldEnds(byte separator) => SearchValues.Create(separator, (byte)'"', (byte)'\n', (byte)'\r');

    /// <summary>
    /// For each of the <paramref name="fieldCount"/> fields of a record, where its value goes among
    /// the model <paramref name="columns"/>, or -1; null when a column is used twice.
    /// </summary>
    public static int[]? SlotsOf(int fieldCount, ReadOnlySpan<int> columns)
    {
        var slots = new int[fieldCount];
        Array.Fill(slots, -1);
        for (int k = 0; k < columns.Length; k++)
        {
            if (slots[columns[k]] >= 0)
            {
                return null;
            }

            slots[columns[k]] = k;
        }

        return slots;
    }

    /// <summary>
    /// The length of the quoted field at the start of <paramref name="field"/> ("" inside stands
    /// for one quote), or -1 when it does not close before a line break, which the CSV reader
    /// would read as part of the field and the line-by-line fast reader cannot.
    /// </summary>
    public static int QuotedLength(ReadOnlySpan<byte> field)
    {
        int at = 1;
        while (true)
        {
            int found = field[at..].IndexOfAny((byte)'"', (byte)'\n', (byte)'\r');
            if (found < 0 || field[at + found] != (byte)'"')
            {
                return -1;
            }

            at += found + 1;
            if (at < field.Length && field[at] == (byte)'"')
            {
                at++; // an escaped quote
                continue;
            }

            return at;
        }
    }

    /// <summary>The finite number between the quotes of <paramref name="quoted"/>; false when there is none, or an escaped quote.</summary>
    private static bool TryParseQuoted(ReadOnlySpan<byte> quoted, out double value)
    {
        var inner = quoted[1..^1];
        value = 0;
        return !inner.Contains((byte)'"') &&
               (Utf8Double.TryParse(inner, out value) ||
                (double.TryParse(inner, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value)));
    }

    private static bool IsFieldEnd(byte b, byte separator) => b == separator || b == (byte)'\n' || b == (byte)'\r';

    /// <summary>
    /// Splits the record at <paramref name="position"/> of <paramref name="buffer"/> (padded after
    /// its end, see <see cref="Utf8Double.Padding"/>) and reads the model fields into
    /// <paramref name="row"/> (<see cref="SlotsOf"/> maps fields to places); on success moves past
    /// its line break. False, with nothing decided, for any record that is not plain.
    /// </summary>
    public static bool TryParse(byte[] buffer, ref int position, byte separator, int[] slots, SearchValues<byte> fieldEnds, Span<double> row) =>
        Read(buffer, ref position, separator, slots, fieldEnds, row, cells: null) == PlainRow.Row;

    /// <summary>
    /// As <see cref="TryParse"/>, with <paramref name="cells"/> (when given) for the cells that are
    /// not numbers: categorical values are read as level codes (levels first met on the row wait
    /// for <see cref="PlainCells.Commit"/>), and under <see cref="PlainCells.SkipMissing"/> a row whose
    /// first cell that is not a number or a level, in the order of the line, is a missing one is
    /// <see cref="PlainRow.Skipped"/> (the rest of its fields only split, as the CSV reader stops at
    /// that cell). <see cref="PlainRow.Declined"/> leaves the record, undecided, to the CSV reader.
    /// </summary>
    public static PlainRow Read(byte[] buffer, ref int position, byte separator, int[] slots, SearchValues<byte> fieldEnds, Span<double> row,
        PlainCells? cells)
    {
        int at = position;
        int last = slots.Length - 1;
        bool skipped = false;
        for (int field = 0; field <= last; field++)
        {
            int slot = skipped ? -1 : slots[field];
            if (slot >= 0 && cells is not null && cells.IsLevel(slot))
            {
                // A categorical cell: its bytes, between quotes or as they stand, name the level.
                int length;
                ReadOnlySpan<byte> cell;
                if (buffer[at] == (byte)'"')
                {
                    length = QuotedLength(buffer.AsSpan(at));
                    if (length < 0)
                    {
                        return Decline(cells);
                    }

                    cell = buffer.AsSpan(at + 1, length - 2);
                    if (cell.Contains((byte)'"'))
                    {
                        return Decline(cells); // an escaped quote: the CSV reader unescapes it
                    }
                }
                else
                {
                    length = buffer.AsSpan(at).IndexOfAny(fieldEnds);
                    if (length < 0 || buffer[at + length] == (byte)'"')
                    {
                        return Decline(cells);
                    }

                    cell = buffer.AsSpan(at, length);
                }

                switch (cells.ReadLevel(slot, cell, out row[slot]))
                {
                    case LevelCell.Missing when cells.SkipMissing:
                        skipped = true;
                        break;
                    case LevelCell.Missing or LevelCell.Declined:
                        return Decline(cells);
                }

                at += length;
            }
            else if (slot >= 0 && Utf8Double.TryParsePadded(buffer.AsSpan(at), out row[slot], out int used) && IsFieldEnd(buffer[at + used], separator))
            {
                at += used;
            }
            else if (buffer[at] == (byte)'"')
            {
                // A quoted field, closed on this line: text the model does not use (as R and
                // spreadsheets write it) is skipped; a quoted number ("1.5", as tools that quote
                // every field write it) is read from between its quotes, as the CSV reader would.
                int length = QuotedLength(buffer.AsSpan(at));
                if (length < 0)
                {
                    return Decline(cells);
                }

                if (slot >= 0 && !TryParseQuoted(buffer.AsSpan(at, length), out row[slot]))
                {
                    var inner = buffer.AsSpan(at + 1, length - 2);
                    if (cells is not { SkipMissing: true } || inner.Contains((byte)'"') || !cells.IsMissingNumber(inner))
                    {
                        return Decline(cells);
                    }

                    skipped = true;
                }

                at += length;
            }
            else
            {
                // A field the model does not use, or a number in another form (more digits,
                // spaces around it): the whole field, which the CSV reader would give as it is.
                int length = buffer.AsSpan(at).IndexOfAny(fieldEnds);
                if (length < 0 || buffer[at + length] == (byte)'"')
                {
                    return Decline(cells);
                }

                if (slot >= 0)
                {
                    if (!double.TryParse(buffer.AsSpan(at, length), NumberStyles.Float, CultureInfo.InvariantCulture, out row[slot]) ||
                        !double.IsFinite(row[slot]))
                    {
                        if (cells is not { SkipMissing: true } || !cells.IsMissingNumber(buffer.AsSpan(at, length)))
                        {
                            return Decline(cells);
                        }

                        skipped = true;
                    }
                }

                at += length;
            }

            byte next = buffer[at];
            if (field < last)
            {
                if (next != separator)
                {
                    return Decline(cells);
                }

                at++;
            }
            else if (next == (byte)'\n')
            {
                at++;
            }
            else if (next == (byte)'\r' && buffer[at + 1] == (byte)'\n')
            {
                at += 2;
            }
            else
            {
                return Decline(cells);
            }
        }

        position = at;
        if (skipped)
        {
            cells!.Forget();
            return PlainRow.Skipped;
        }

        return PlainRow.Row;
    }

    private static PlainRow Decline(PlainCells? cells)
    {
        cells?.Forget();
        return PlainRow.Declined;
    }
}

/// <summary>What <see cref="PlainRecord.Read"/> made of a record.</summary>
internal enum PlainRow
{
    /// <summary>Not a plain record, or one the CSV reader must report on: nothing decided.</summary>
    Declined,

    /// <summary>A row, read (with levels first met on it waiting for their codes).</summary>
    Row,

    /// <summary>A row left out for a missing cell (--missing skip); its line was read.</summary>
    Skipped,
}
