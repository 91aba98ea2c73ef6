namespace LeastSquares.Cli;

// Writing the results: standard output and output files.
internal static partial class CliMessages
{
    /// <summary>A write to standard output failed; <paramref name="full"/> when the disk or quota is full.</summary>
    public static string CannotWriteStandardOutput(string reason, bool full) =>
        $"cannot write the output to standard output: {reason}. The output is incomplete; "
        + (full ? "free some space or redirect it elsewhere, then run again." : "redirect it to a file or pipe that can be written (or use -o FILE), then run again.");

    /// <summary>Writing an output file failed; the file was left as it was (it is written through a temporary file).</summary>
    public static string CannotWriteFile(string path, string reason, bool full) =>
        $"cannot write {path}: {reason}. Nothing was written to it; "
        + (full ? "free some space or choose another folder, then run again." : "check the folder's permissions or choose another path, then run again.");

    public static string NoSuchFolder(string path, string folder) =>
        $"cannot write {path}: the folder {folder} does not exist. Create it first, or choose another path.";

    /// <summary>Two options name the same output file: one output would replace the other.</summary>
    public static string SameOutputFile(string first, string second, string path) =>
        $"{first} and {second} both name the file {path}: one output would replace the other. Give each its own file.";

    public static string OutputIsInput(string path, string input) =>
        $"cannot write {path}: it is the input {input}, which the results would replace. Choose another output path.";

    public static string OutputIsDirectory(string path) => $"cannot write {path}: it is a directory. Give a file name.";
}
