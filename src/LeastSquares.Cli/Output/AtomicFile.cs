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
    public static Pending Create(string path)
    {
        EnsureFolder(path);
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            return new Pending(path, full, temp, new StreamWriter(stream, new UTF8Encoding(false), 1 << 16));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new UsageException($"cannot write {path}: {e.Message}");
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

    /// <summary>A file being written; see <see cref="Create"/>.</summary>
    internal sealed class Pending(string path, string full, string temp, StreamWriter writer) : IDisposable
    {
        private bool _done;

        public TextWriter Writer => writer;

        /// <summary>The file's stream, for binary content (flush <see cref="Writer"/> first if both are used).</summary>
        public Stream Stream => writer.BaseStream;

        /// <summary>Flushes the content and puts the file in place.</summary>
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
                throw new UsageException($"cannot write {path}: {e.Message}");
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
                catch (IOException)
                {
                    // The file is abandoned anyway.
                }

                TryDelete(temp);
                _done = true;
            }
        }
    }
}
