using System.Text;
using System.Text.Unicode;

namespace LeastSquares.Cli.Input;

/// <summary>
/// Cells and header names must be UTF-8 text without NUL bytes (R's read.csv stops at an "embedded
/// nul"). Bytes that are not would otherwise be read as U+FFFD, silently: two different Latin-1
/// names or levels would become one, and a message would show '��' instead of the bytes. This
/// finds them and shows them escaped (\0 for NUL, \xNN for a byte that is not UTF-8).
/// </summary>
internal static class TextCheck
{
    /// <summary>True for UTF-8 text without a NUL byte.</summary>
    public static bool IsText(ReadOnlySpan<byte> bytes) => bytes.IndexOf((byte)0) < 0 && Utf8.IsValid(bytes);

    /// <summary>
    /// <paramref name="bytes"/> as a message shows them: UTF-8 characters as they are, a NUL as
    /// <c>\0</c>, any other control character or byte that is not UTF-8 as <c>\xNN</c>; cut
    /// after 40 bytes with '…' (binary data makes long names).
    /// </summary>
    public static string Render(ReadOnlySpan<byte> bytes)
    {
        const int Max = 40;
        bool cut = bytes.Length > Max;
        var text = new StringBuilder(bytes.Length);
        if (cut)
        {
            bytes = bytes[..Max];
        }

        while (!bytes.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(bytes, out var rune, out int used);
            if (status != System.Buffers.OperationStatus.Done)
            {
                for (int i = 0; i < Math.Max(1, used); i++)
                {
                    text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{bytes[i]:x2}");
                }

                bytes = bytes[Math.Max(1, used)..];
                continue;
            }

            if (rune.Value == 0)
            {
                text.Append("\\0");
            }
            else if (rune.Value < 0x20 && rune.Value != '\t')
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}");
            }
            else
            {
                text.Append(rune.ToString());
            }

            bytes = bytes[used..];
        }

        return cut ? text.Append('…').ToString() : text.ToString();
    }

    /// <summary>Throws the input error for a cell at <paramref name="line"/> and <paramref name="column"/> (1-based) that is not UTF-8 text, or holds a NUL.</summary>
    public static void RequireText(ReadOnlySpan<byte> cell, string file, long line, int column, string name)
    {
        if (!IsText(cell))
        {
            throw new InputException(CliMessages.NotText(file, line, column, $"column '{name}' holds '{Render(cell)}'", cell.IndexOf((byte)0) >= 0));
        }
    }

    /// <summary>
    /// Throws the input error for a header name with a NUL or bytes that are not UTF-8, shown from
    /// <paramref name="head"/> (the first bytes of the input, decompressed) where the header line is
    /// found there; a header of clean names passes.
    /// </summary>
    public static void RequireTextHeader(IReadOnlyList<string> header, ReadOnlySpan<byte> head, char separator, string file)
    {
        int bad = -1;
        for (int i = 0; i < header.Count && bad < 0; i++)
        {
            if (header[i].Contains('\0', StringComparison.Ordinal) || header[i].Contains('\uFFFD', StringComparison.Ordinal))
            {
                bad = i;
            }
        }

        if (bad < 0)
        {
            return;
        }

        // The header line: the first line that is not blank, after a byte-order mark.
        if (head.StartsWith("\uFEFF"u8))
        {
            head = head[3..];
        }

        long line = 1;
        while (!head.IsEmpty && (head[0] == (byte)'\n' || head[0] == (byte)'\r'))
        {
            line += head[0] == (byte)'\r' && head.Length > 1 && head[1] == (byte)'\n' ? 0 : 1;
            head = head[1..];
        }

        int end = head.IndexOfAny((byte)'\n', (byte)'\r');
        var fields = (end < 0 ? head : head[..end]).ToArray().AsSpan();
        string shown = Render(Encoding.UTF8.GetBytes(header[bad]));
        int field = 0;
        int start = 0;
        for (int i = 0; i <= fields.Length; i++)
        {
            if (i == fields.Length || fields[i] == (byte)separator)
            {
                if (field == bad && Encoding.UTF8.GetString(fields[start..i]) == header[bad])
                {
                    shown = Render(fields[start..i]); // the bytes as they are in the file
                }

                field++;
                start = i + 1;
            }
        }

        bool nul = header[bad].Contains('\0', StringComparison.Ordinal);
        throw new InputException(CliMessages.NotText(file, line, bad + 1, $"the header name is '{shown}'", nul));
    }
}
