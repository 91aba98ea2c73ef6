using System.Collections.Concurrent;

namespace LeastSquares.Cli.Input;

/// <summary>
/// How every input is named and opened: '-' (or nothing) is standard input, shown as &lt;stdin&gt;;
/// a folder, a missing file and a file that cannot be opened are input errors that name the path.
/// </summary>
internal static class InputFile
{
    /// <summary>How messages name standard input.</summary>
    public const string StdinName = "<stdin>";

    /// <summary>Whether <paramref name="path"/> means standard input.</summary>
    public static bool IsStdin(string? path) => path is null or "-";

    /// <summary>The input as messages show it.</summary>
    public static string DisplayName(string? path) => IsStdin(path) ? StdinName : path!;

    /// <summary>Opens the file <paramref name="path"/> for reading, or throws the input error that says why not.</summary>
    public static FileStream Open(string path)
    {
        if (Directory.Exists(path))
        {
            throw new InputException(CliMessages.NotAFile(path));
        }

        if (!File.Exists(path))
        {
            throw new InputException(CliMessages.FileNotFound(path));
        }

        try
        {
            return OpenShared(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(CliMessages.Unreadable(path, e.Message));
        }
    }

    /// <summary>Opens a file for reading, sequentially and shared with other readers (the parts of a parallel read).</summary>
    public static FileStream OpenShared(string path) =>
        new(Spooled(path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);

    /// <summary>The bytes of a whole (small) input such as a model file, read once even from a pipe.</summary>
    public static byte[] ReadAllBytes(string path) => File.ReadAllBytes(Spooled(path));

    private static readonly ConcurrentDictionary<string, string> Spools = new(StringComparer.Ordinal);
    private static readonly Lock SpoolLock = new();

    /// <summary>
    /// The path to read for <paramref name="path"/>: itself for a regular file; for a pipe or a
    /// device (process substitution <c>&lt;(zcat a.gz)</c>, <c>/dev/stdin</c> on a pipe), which can be
    /// read only once and not in parts, a copy of its whole content in a temporary file made on
    /// first use and removed when the process ends. Messages still name <paramref name="path"/>.
    /// </summary>
    internal static string Spooled(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return path;
        }

        if (Spools.TryGetValue(path, out var known))
        {
            return known;
        }

        lock (SpoolLock)
        {
            if (Spools.TryGetValue(path, out known))
            {
                return known;
            }

            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            if (probe.CanSeek)
            {
                return path;
            }

            var copy = Path.Combine(Path.GetTempPath(), $"lsq-input-{Environment.ProcessId}-{Spools.Count}.csv");
            AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(copy);
            using (var target = new FileStream(copy, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16))
            {
                probe.CopyTo(target, 1 << 16);
            }

            Spools[path] = copy;
            return copy;
        }
    }
}
