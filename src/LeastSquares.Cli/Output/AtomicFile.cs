using System.Text;

namespace LeastSquares.Cli.Output;

/// <summary>Writes a file so that readers see either the old content or the whole new one, never a part.</summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string content)
    {
        using var file = Create(path);
        file.Writer.Write(content);
        file.Commit();
    }

    public static void WriteAllBytes(string path, byte[] content)
    {
        using var file = Create(path);
        file.Stream.Write(content);
        file.Commit();
    }

    /// <summary>
    /// Checks, before any work is done, that <paramref name="path"/> can be created: a run that
    /// would fail only at the end should fail at the start.
    /// </summary>
    public static void EnsureFolder(string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(dir))
        {
            throw new UsageException($"cannot write {path}: the folder {dir} does not exist. Create it first, or choose another path.");
        }

        if (Directory.Exists(full))
        {
            throw new UsageException($"cannot write {path}: it is a directory. Give a file name.");
        }
    }

    /// <summary>
    /// Starts writing <paramref name="path"/> through a temporary file beside it, for output that is
    /// streamed; the file appears only on <see cref="Pending.Commit"/>, and disposing without
    /// committing removes the temporary file.
    /// </summary>
    public static Pending Create(string path) => Create(path, s => s);

    /// <summary>As <see cref="Create(string)"/>, with the temporary file's stream wrapped by <paramref name="wrap"/> (tests use it to fail writes).</summary>
    internal static Pending Create(string path, Func<Stream, Stream> wrap)
    {
        EnsureFolder(path);
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            var stream = wrap(new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16));
            return new Pending(path, full, temp, new StreamWriter(new FileOutput(stream, path), new UTF8Encoding(false), 1 << 16));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw OutputFailure.For(path, e, temp);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The temporary file's stream: a failed write (a full disk) becomes an error naming the file the user gave.</summary>
    private sealed class FileOutput(Stream inner, string path) : OutputStream(inner)
    {
        protected override Exception Translate(Exception e) => OutputFailure.For(path, e);
    }

    /// <summary>A file being written; see <see cref="Create(string)"/>.</summary>
    internal sealed class Pending(string path, string full, string temp, StreamWriter writer) : IDisposable
    {
        private bool _done;

        public TextWriter Writer => writer;

        /// <summary>The file's stream, for binary content (flush <see cref="Writer"/> first if both are used).</summary>
        public Stream Stream => writer.BaseStream;

        /// <summary>Flushes the content and puts the file in place; a failure removes the temporary file.</summary>
        public void Commit()
        {
            try
            {
                writer.Dispose();
                File.Move(temp, full, overwrite: true);
                _done = true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw OutputFailure.For(path, e, temp);
            }
        }

        public void Dispose()
        {
            if (!_done)
            {
                try
                {
                    writer.Dispose();
                }
                catch (Exception e) when (e is IOException or OutputException)
                {
                    // The file is abandoned anyway (and the failure was reported by the write that failed).
                }

                TryDelete(temp);
                _done = true;
            }
        }
    }
}
