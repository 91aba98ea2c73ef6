using System.Buffers;
using System.Globalization;
using System.Text;

namespace LeastSquares.Cli.Output;

/// <summary>
/// CSV records built as UTF-8 bytes (separated as the input is, RFC 4180 quoting, '\n' line ends), one
/// record at a time, without allocating per field: <c>lsq predict</c>'s output. Fields are written
/// as the bytes they were read as; numbers in shortest round-trip form.
/// </summary>
internal sealed class CsvBytes
{
    private byte[] _buffer;
    private int _length;
    private bool _first = true;
    private readonly byte _separator;
    private readonly SearchValues<byte> _needsQuotes;

    public CsvBytes(int capacity = 1 << 16, char separator = ',')
    {
        _buffer = new byte[Math.Max(capacity, 256)];
        _separator = (byte)separator;
        _needsQuotes = SearchValues.Create([_separator, (byte)'"', (byte)'\r', (byte)'\n']);
    }

    /// <summary>The bytes written since the last <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>Number of bytes written since the last <see cref="Clear"/>.</summary>
    public int Length => _length;

    public void Clear()
    {
        _length = 0;
        _first = true;
    }

    /// <summary>A text field (a header name), quoted when it needs it.</summary>
    public void Text(string text) => Field(Encoding.UTF8.GetBytes(text));

    /// <summary>A field's text as it was read (without its quotes), quoted when it holds the separator, a quote or a line break.</summary>
    public void Field(ReadOnlySpan<byte> field)
    {
        Separator();
        if (field.IndexOfAny(_needsQuotes) < 0)
        {
            Append(field);
            return;
        }

        Reserve((2 * field.Length) + 2);
        _buffer[_length++] = (byte)'"';
        foreach (byte b in field)
        {
            if (b == (byte)'"')
            {
                _buffer[_length++] = (byte)'"';
            }

            _buffer[_length++] = b;
        }

        _buffer[_length++] = (byte)'"';
    }

    /// <summary>
    /// Several fields at once: <paramref name="fields"/> is a run of fields, split by this separator, none of
    /// which needs quotes (the caller has checked), written as it is.
    /// </summary>
    public void Fields(ReadOnlySpan<byte> fields)
    {
        Separator();
        Append(fields);
    }

    /// <summary>
    /// A number in shortest round-trip form (the fewest digits that read back to the same double),
    /// with a lower-case exponent: the text of .NET's default format, written by
    /// <see cref="ShortestDouble"/> in a fraction of its time; NaN and the infinities as .NET
    /// writes them.
    /// </summary>
    public void Number(double value)
    {
        Separator();
        Reserve(ShortestDouble.MaxBytes);
        if (ShortestDouble.TryWrite(value, _buffer.AsSpan(_length), out int n))
        {
            _length += n;
            return;
        }

        var into = _buffer.AsSpan(_length);
        if (!value.TryFormat(into, out n, default, CultureInfo.InvariantCulture))
        {
            Append(Encoding.UTF8.GetBytes(Numbers.RoundTrip(value)));
            return;
        }

        _length += n;
    }

    /// <summary>Ends the record.</summary>
    public void End()
    {
        Reserve(1);
        _buffer[_length++] = (byte)'\n';
        _first = true;
    }

    private void Separator()
    {
        if (!_first)
        {
            Reserve(1);
            _buffer[_length++] = _separator;
        }

        _first = false;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Reserve(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
        }
    }

}

/// <summary>Where <c>lsq predict</c>'s bytes go: the stream under a writer, or, for a writer without one (tests), the writer as text.</summary>
internal sealed class ByteSink(TextWriter writer)
{
    private readonly Stream? _stream = writer is StreamWriter s ? s.BaseStream : null;
    private bool _flushed;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        if (_stream is null)
        {
            writer.Write(Encoding.UTF8.GetString(bytes)); // whole records, so whole characters
            return;
        }

        if (!_flushed)
        {
            writer.Flush(); // anything written as text before goes first
            _flushed = true;
        }

        _stream.Write(bytes);
    }

    public void Flush()
    {
        if (_stream is null)
        {
            writer.Flush();
        }
        else
        {
            _stream.Flush();
        }
    }
}
