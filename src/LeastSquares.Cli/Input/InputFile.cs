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
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
}
