namespace LeastSquares.Cli.Output;

/// <summary>Writes a file so that readers see either the old content or the whole new one, never a part.</summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string content) => Write(path, temp => File.WriteAllText(temp, content));

    public static void WriteAllBytes(string path, byte[] content) => Write(path, temp => File.WriteAllBytes(temp, content));

    private static void Write(string path, Action<string> writeTemp)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(dir))
        {
            throw new UsageException($"cannot write {path}: the folder {dir} does not exist.");
        }

        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            writeTemp(temp);
            File.Move(temp, full, overwrite: true);
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
}
