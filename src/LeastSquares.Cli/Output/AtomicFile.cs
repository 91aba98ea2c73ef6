using System.Collections.Concurrent;
using System.Text;

namespace LeastSquares.Cli.Output;

/// <summary>Writes a file so that readers see either the old content or the whole new one, never a part.</summary>
internal static class AtomicFile
{
    /// <summary>The temporary files being written now, so that a forced exit can remove them.</summary>
    private static readonly ConcurrentDictionary<string, byte> Live = new();

    /// <summary>
    /// Removes every temporary file still being written. For an exit that skips the normal
    /// unwinding (a signal whose run did not stop in time): its outputs never appear, and no
    /// temporary file is left behind either.
    /// </summary>
    public static void AbandonAll()
    {
        foreach (var temp in Live.Keys)
        {
            TryDelete(temp);
        }
    }

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
        path = Spelled(path);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(dir))
        {
            throw new UsageException(CliMessages.NoSuchFolder(path, dir));
        }

        if (Directory.Exists(full))
        {
            throw new UsageException(CliMessages.OutputIsDirectory(path));
        }
    }

    /// <summary>
    /// Refuses an output that is one of the run's inputs (<c>lsq fit data.csv -o data.csv</c>):
    /// the atomic rename would replace the data with the results. Links are followed.
    /// </summary>
    public static void EnsureNotInput(string? path, IEnumerable<string?> inputs)
    {
        if (path is null || !File.Exists(path))
        {
            return;
        }

        var target = Resolved(path);
        foreach (var input in inputs)
        {
            if (input is not null && input != "-" && File.Exists(input) && Resolved(input) == target)
            {
                throw new UsageException(CliMessages.OutputIsInput(path, input));
            }
        }
    }

    private static string Resolved(string path)
    {
        var full = Path.GetFullPath(path);
        return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
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
        path = Spelled(path);
        EnsureFolder(path);
        var full = Target(Path.GetFullPath(path));

        if (OpenSpecial(full) is { } special)
        {
            // A device or a pipe (-o /dev/stdout, a FIFO): written in place, as a rename would
            // put an ordinary file where the device or pipe was.
            return new Pending(path, full, null, new StreamWriter(new FileOutput(wrap(special), path), new UTF8Encoding(false), 1 << 16));
        }

        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            Live[temp] = 0;
            var stream = wrap(new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16));
            return new Pending(path, full, temp, new StreamWriter(new FileOutput(stream, path), new UTF8Encoding(false), 1 << 16));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw OutputFailure.For(path, e, temp);
        }
    }

    /// <summary>'-' as a file to write is standard output (as for curl -o, tar -f, gzip): /dev/stdout on Unix.</summary>
    private static string Spelled(string path) => path == "-" && !OperatingSystem.IsWindows() ? "/dev/stdout" : path;

    /// <summary>
    /// The file a path ends at: symbolic links are followed, so that a link stays and its target
    /// gets the content, up to the first path under /dev or /proc (a link to /dev/stdout ends
    /// there, not at the pipe behind it).
    /// </summary>
    private static string Target(string full)
    {
        try
        {
            for (int hops = 0; hops < 40 && !IsSystemPath(full) && new FileInfo(full).LinkTarget is not null; hops++)
            {
                full = File.ResolveLinkTarget(full, returnFinalTarget: false)?.FullName ?? full;
            }

            return full;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return full; // a broken or looping link: the rename will report the problem
        }
    }

    /// <summary>
    /// A stream on <paramref name="full"/> when it exists and is not a regular file: anything under
    /// /dev (but /dev/shm) or /proc, or a file that cannot seek (a named pipe, a terminal). Null for
    /// a regular file or a new one.
    /// </summary>
    private static FileStream? OpenSpecial(string full)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(full))
        {
            return null;
        }

        try
        {
            if (IsSystemPath(full))
            {
                // A device or a descriptor (/dev/null, /dev/stdout, /proc/self/fd/1): written at its
                // end, as a shell's >> would, so that output after a header already written to a
                // file behind /dev/stdout follows it; a rename would replace the system's node.
                return new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1);
            }

            var stream = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
            if (!stream.CanSeek)
            {
                return stream; // a named pipe or a terminal
            }

            stream.Dispose();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // not writable in place: the temporary file and rename decide, and report
        }
    }

    /// <summary>A device or process node: under /dev (but not /dev/shm, an ordinary file system for files) or /proc.</summary>
    private static bool IsSystemPath(string full) =>
        !OperatingSystem.IsWindows() &&
        ((full.StartsWith("/dev/", StringComparison.Ordinal) && !full.StartsWith("/dev/shm/", StringComparison.Ordinal)) ||
         full.StartsWith("/proc/", StringComparison.Ordinal));

    /// <summary>Gives the new file the permissions of the one it replaces, so that a private (600) output stays private.</summary>
    private static void KeepMode(string full, string temp)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(full))
        {
            return;
        }

        try
        {
            File.SetUnixFileMode(temp, File.GetUnixFileMode(full));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The default mode, as for a new file.
        }
    }

    private static void TryDelete(string path)
    {
        Live.TryRemove(path, out _);
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
    internal sealed class Pending(string path, string full, string? temp, StreamWriter writer) : IDisposable
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
                if (temp is not null)
                {
                    KeepMode(full, temp);
                    File.Move(temp, full, overwrite: true);
                    Live.TryRemove(temp, out _);
                }

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

                if (temp is not null)
                {
                    TryDelete(temp);
                }

                _done = true;
            }
        }
    }
}
