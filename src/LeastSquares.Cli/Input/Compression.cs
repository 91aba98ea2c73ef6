using System.IO.Compression;

namespace LeastSquares.Cli.Input;

/// <summary>
/// Compressed input, recognised by its first bytes (never by its name), for files and standard
/// input alike: gzip (System.IO.Compression) and zstd (ZstdSharp) are read through a decompressing
/// stream; bzip2, xz and zip are refused with the command that decompresses them. A compressed
/// input is read in one sequential pass (never in parts on several cores).
/// </summary>
internal static class Compression
{
    private const int MagicBytes = 6;

    /// <summary>The format of an input that starts with <paramref name="head"/>: null for plain text.</summary>
    public static string? FormatOf(ReadOnlySpan<byte> head) => head switch
    {
        [0x1F, 0x8B, ..] => "gzip",
        [0x28, 0xB5, 0x2F, 0xFD, ..] => "zstd",
        [(byte)'B', (byte)'Z', (byte)'h', >= (byte)'1' and <= (byte)'9', ..] => "bzip2",
        [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00, ..] => "xz",
        [(byte)'P', (byte)'K', 0x03, 0x04, ..] or [(byte)'P', (byte)'K', 0x05, 0x06, ..] => "zip",
        _ => null,
    };

    /// <summary>
    /// <paramref name="raw"/> as text: itself when it is not compressed, a decompressing stream over
    /// it when it is gzip or zstd; <paramref name="format"/> says which (null for plain).
    /// </summary>
    /// <exception cref="InputException">The input is bzip2, xz or zip.</exception>
    public static Stream Open(Stream raw, string displayName, out string? format)
    {
        var head = new byte[MagicBytes];
        int n = 0;
        int got;
        while (n < head.Length && (got = raw.Read(head, n, head.Length - n)) > 0)
        {
            n += got;
        }

        format = FormatOf(head.AsSpan(0, n));
        Stream input;
        if (raw.CanSeek)
        {
            raw.Seek(-n, SeekOrigin.Current);
            input = raw;
        }
        else
        {
            input = new PrefixedStream(head[..n], raw);
        }

        switch (format)
        {
            case null:
                return input;
            case "gzip":
                var tail = new TailStream(input);
                return new Decoder(new ReadAhead(new GZipStream(tail, CompressionMode.Decompress)), tail, displayName, format);
            case "zstd":
                return new Decoder(new ReadAhead(new ZstdSharp.DecompressionStream(input)), null, displayName, format);
            default:
                input.Dispose();
                throw new InputException(CliMessages.UnsupportedCompression(displayName, format, Decompressor(format)));
        }
    }

    /// <summary>A path without its .gz or .zst ending, so that data.tsv.gz is read as a .tsv file.</summary>
    public static string WithoutSuffix(string path) =>
        path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3]
        : path.EndsWith(".zst", StringComparison.OrdinalIgnoreCase) ? path[..^4]
        : path;

    /// <summary>The command that writes a <paramref name="format"/> input as text on standard output.</summary>
    private static string Decompressor(string format) => format switch
    {
        "bzip2" => "bzip2 -dc",
        "xz" => "xz -dc",
        _ => "unzip -p",
    };

    /// <summary>
    /// A decompressing stream whose corrupt or truncated data is an input error naming the input.
    /// gzip's own decoder returns the end of the data at a cut, so the length in the gzip trailer
    /// (the last 4 bytes, the size mod 2³²) is checked against the bytes decompressed.
    /// </summary>
    internal sealed class Decoder(Stream inner, TailStream? gzipTail, string displayName, string format) : ReadOnlyStream(inner)
    {
        private long _total;
        private bool _ended;

        public override int Read(Span<byte> buffer)
        {
            int n;
            try
            {
                n = Inner.Read(buffer);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or ZstdSharp.ZstdException)
            {
                throw new InputException(CliMessages.CorruptCompressed(displayName, format, e.Message));
            }

            _total += n;
            if (n == 0 && buffer.Length > 0 && !_ended)
            {
                _ended = true;
                if (gzipTail is not null && gzipTail.Size != (uint)_total)
                {
                    throw new InputException(CliMessages.TruncatedGzip(displayName, _total));
                }
            }

            return n;
        }

        /// <summary>
        /// Reads the rest of the data, so that a CSV error met in decompressed garbage is reported
        /// as the corruption it comes from: throws that input error, or returns when the data is whole.
        /// </summary>
        public void Verify()
        {
            var buffer = new byte[1 << 16];
            while (Read(buffer) > 0)
            {
            }
        }
    }

    /// <summary>
    /// Decompresses on a thread of its own, a few blocks ahead of the reader, so that a fit of a
    /// compressed file costs about what <c>gzip -dc f.gz | lsq fit</c> does (two cores) rather
    /// than decompression plus parsing one after the other. A decoding error reaches the reader
    /// as it was thrown, at the point of the data where it happened.
    /// </summary>
    internal sealed class ReadAhead : ReadOnlyStream
    {
        private const int BlockBytes = 1 << 20;
        private const int Blocks = 4;
        private readonly System.Collections.Concurrent.BlockingCollection<(byte[] Block, int Length)> _blocks = new(boundedCapacity: Blocks);
        private readonly System.Collections.Concurrent.BlockingCollection<byte[]> _free = new(boundedCapacity: Blocks + 2);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _producer;
        private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _failure;
        private byte[] _current = [];
        private int _length;
        private int _position;
        private bool _done;
        private bool _disposed;

        public ReadAhead(Stream inner)
            : base(inner)
        {
            for (int i = 0; i < Blocks + 2; i++)
            {
                _free.Add(new byte[BlockBytes]);
            }

            _producer = Task.Factory.StartNew(Produce, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        private void Produce()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var block = _free.Take(_stop.Token); // the reader gives each block back when it is done with it
                    int n = 0;
                    int got;
                    while (n < block.Length && (got = Inner.Read(block, n, block.Length - n)) > 0)
                    {
                        n += got;
                    }

                    if (n == 0)
                    {
                        break;
                    }

                    _blocks.Add((block, n), _stop.Token);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                _failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                _blocks.CompleteAdding();
            }
        }

        public override int Read(Span<byte> buffer)
        {
            if (buffer.Length == 0)
            {
                return 0;
            }

            while (_position == _length)
            {
                if (_done || !_blocks.TryTake(out var next, Timeout.Infinite))
                {
                    _done = true;
                    _failure?.Throw();
                    return 0;
                }

                if (_current.Length > 0)
                {
                    _free.Add(_current);
                }

                (_current, _length, _position) = (next.Block, next.Length, 0);
            }

            int count = Math.Min(buffer.Length, _length - _position);
            _current.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_disposed)
            {
                _disposed = true; // the streams over this one may each dispose it
                _stop.Cancel();
                try
                {
                    _producer.Wait();
                }
                catch (AggregateException)
                {
                }

                _stop.Dispose();
                _blocks.Dispose();
                _free.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>A stream that keeps the last 8 bytes read from it (a gzip trailer: CRC-32, then the size mod 2³²).</summary>
    internal sealed class TailStream(Stream inner) : ReadOnlyStream(inner)
    {
        private readonly byte[] _tail = new byte[8];
        private long _count;

        /// <summary>The last 4 bytes read, little-endian.</summary>
        public uint Size => _count < 8 ? uint.MaxValue : System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(_tail.AsSpan(4));

        public override int Read(Span<byte> buffer)
        {
            int n = Inner.Read(buffer);
            if (n >= 8)
            {
                buffer.Slice(n - 8, 8).CopyTo(_tail);
                _count = 8;
            }
            else
            {
                var joined = _tail.Concat(buffer[..n].ToArray()).ToArray();
                joined.AsSpan(joined.Length - 8).CopyTo(_tail);
                _count = Math.Min(8, _count + n);
            }

            return n;
        }
    }
}
