using System.Runtime.InteropServices;

namespace LeastSquares.Cli.Input;

/// <summary>
/// The second pass over an input: the model's columns of every row read, written as they are read
/// to a compact binary file (8 bytes a value, <c>[x₁, …, x_k, y]</c> a row, in input order) in the
/// temporary folder, and read back as numeric blocks as many times as a consumer wants (sgd once an
/// epoch; any later feature that needs the rows again).
/// </summary>
/// <remarks>
/// <para>Where and how big: <see cref="Path.GetTempPath"/> ($TMPDIR, else /tmp; %TEMP% on Windows),
/// 8 × columns × rows bytes (88 MB for a million rows of ten predictors and a response).</para>
/// <para>Removal: on Linux and macOS the file's name is unlinked the moment it is created, so
/// nothing is left behind whatever ends the process (success, an error, Ctrl-C, SIGTERM, even
/// SIGKILL): the space goes back when the handle closes. On Windows it is opened delete-on-close.</para>
/// <para>Memory: one write buffer and, when read, one block of the caller's.</para>
/// </remarks>
internal sealed class RowCache : IRowBlocks, IDisposable
{
    private const int BufferBytes = 1 << 20;
    private readonly FileStream _file;
    private long _rows;
    private bool _complete;

    private RowCache(FileStream file, string path, int width, int blockRows)
    {
        _file = file;
        FilePath = path;
        Width = width;
        BlockRows = blockRows;
    }

    /// <summary>The path the cache was created at (already without a name outside Windows).</summary>
    public string FilePath { get; }

    /// <inheritdoc/>
    public int Width { get; }

    /// <inheritdoc/>
    public long Count => _rows;

    /// <inheritdoc/>
    public int BlockRows { get; }

    /// <summary>
    /// Creates an empty cache for rows of <paramref name="width"/> values in <paramref name="folder"/>
    /// (the temporary folder when null), read back in blocks of <paramref name="blockRows"/> rows (0: the default).
    /// </summary>
    public static RowCache Create(int width, string? folder = null, int blockRows = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        var path = Path.Combine(folder ?? Path.GetTempPath(), $"lsq-rows-{Environment.ProcessId}-{Guid.NewGuid():N}.bin");
        bool windows = OperatingSystem.IsWindows();
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferBytes,
            windows ? FileOptions.DeleteOnClose : FileOptions.None);
        if (!windows)
        {
            try
            {
                File.Delete(path);
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        return new RowCache(file, path, width, blockRows == 0 ? RowBlockSize.For(width) : blockRows);
    }

    /// <summary>Appends one row of <see cref="Width"/> values.</summary>
    public void Add(double[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (_complete)
        {
            throw new InvalidOperationException("The row cache has been read from; it takes no more rows.");
        }

        _file.Write(MemoryMarshal.AsBytes(row.AsSpan(0, Width)));
        _rows++;
    }

    /// <summary>Appends <paramref name="rows"/> rows of <see cref="Width"/> values each, stored one after another in <paramref name="values"/>.</summary>
    public void AddRows(ReadOnlySpan<double> values, int rows)
    {
        if (_complete)
        {
            throw new InvalidOperationException("The row cache has been read from; it takes no more rows.");
        }

        _file.Write(MemoryMarshal.AsBytes(values[..(rows * Width)]));
        _rows += rows;
    }

    /// <inheritdoc/>
    public int Read(int block, Span<double> destination)
    {
        int rows = ((IRowBlocks)this).RowsIn(block);
        ReadAt((long)block * BlockRows, destination[..(rows * Width)]);
        return rows;
    }

    /// <summary>Reads the rows from row <paramref name="firstRow"/> on into <paramref name="destination"/> (whole rows, as many as it holds).</summary>
    public void ReadAt(long firstRow, Span<double> destination)
    {
        if (!_complete)
        {
            _file.Flush();
            _complete = true;
        }

        var bytes = MemoryMarshal.AsBytes(destination);
        long offset = firstRow * Width * sizeof(double);
        while (bytes.Length > 0)
        {
            int read = RandomAccess.Read(_file.SafeFileHandle, bytes, offset);
            if (read <= 0)
            {
                throw new IOException("The row cache in the temporary folder is shorter than the rows written to it.");
            }

            bytes = bytes[read..];
            offset += read;
        }
    }

    public void Dispose() => _file.Dispose();
}
