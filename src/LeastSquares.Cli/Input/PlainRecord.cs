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
    /// 0 when <paramref name="start"/> holds no line break yet.
    /// </summary>
    public static int HeaderLength(ReadOnlySpan<byte> start)
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
        if (odd >= 0 && !(end >= 0 && odd == end - 1 && line[odd] == (byte)'\r'))
        {
            return -1;
        }

        return end + 1;
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
    public static bool TryParse(byte[] buffer, ref int position, byte separator, int[] slots, SearchValues<byte> fieldEnds, Span<double> row)
    {
        int at = position;
        int last = slots.Length - 1;
        for (int field = 0; field <= last; field++)
        {
            int slot = slots[field];
            if (slot >= 0 && Utf8Double.TryParsePadded(buffer.AsSpan(at), out row[slot], out int used) && IsFieldEnd(buffer[at + used], separator))
            {
                at += used;
            }
            else if (buffer[at] == (byte)'"')
            {
                // A quoted field, closed on this line: text the model does not use (as R and
                // spreadsheets write it) is skipped; a quoted number ("1.5", as tools that quote
                // every field write it) is read from between its quotes, as the CSV reader would.
                int length = QuotedLength(buffer.AsSpan(at));
                if (length < 0 || (slot >= 0 && !TryParseQuoted(buffer.AsSpan(at, length), out row[slot])))
                {
                    return false;
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
                    return false;
                }

                if (slot >= 0)
                {
                    if (!double.TryParse(buffer.AsSpan(at, length), NumberStyles.Float, CultureInfo.InvariantCulture, out row[slot]) ||
                        !double.IsFinite(row[slot]))
                    {
                        return false;
                    }
                }

                at += length;
            }

            byte next = buffer[at];
            if (field < last)
            {
                if (next != separator)
                {
                    return false;
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
                return false;
            }
        }

        position = at;
        return true;
    }
}
