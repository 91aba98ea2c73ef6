namespace LeastSquares.Cli;

/// <summary>
/// The arguments after <c>--</c>: operands, whatever they look like (POSIX's guideline 10), so a
/// file named <c>-x.csv</c> is read after <c>lsq fit --</c> rather than taken for an unknown option.
/// </summary>
internal static class Operands
{
    private static HashSet<string> _afterDoubleDash = [];

    /// <summary>Notes the arguments of this run that follow the first <c>--</c>.</summary>
    public static void Remember(IEnumerable<string> args) =>
        _afterDoubleDash = args.SkipWhile(a => a != "--").Skip(1).ToHashSet(StringComparer.Ordinal);

    /// <summary>True for '-x' or '--name' given before any <c>--</c>; '-' alone is standard input.</summary>
    public static bool LooksLikeOption(string token) => token.Length > 1 && token[0] == '-' && !_afterDoubleDash.Contains(token);
}
