using SkiaSharp;

namespace LeastSquares.Cli.Plotting;

/// <summary>
/// Finds the font the pictures' text is drawn with. SkiaSharp's Linux build reads the fonts under
/// /usr/share/fonts; with none there it silently draws no text at all, so an image without axis
/// labels would be written. lsq refuses instead and says what to install.
/// </summary>
internal static class FontCheck
{
    /// <summary>Families tried first, in order: widely packaged sans-serif fonts with the glyphs lsq uses (², −, ×).</summary>
    public static readonly IReadOnlyList<string> Preferred =
        ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Open Sans", "Arial", "Helvetica", "Segoe UI"];

    /// <summary>
    /// Picks a family from those installed: the first preferred one present, else the system
    /// default, else the first installed one in ordinal order.
    /// </summary>
    /// <exception cref="InputException">No font is installed.</exception>
    public static string Choose(IReadOnlyCollection<string> installed, string? systemDefault)
    {
        ArgumentNullException.ThrowIfNull(installed);
        var present = new HashSet<string>(installed.Where(f => !string.IsNullOrWhiteSpace(f)), StringComparer.OrdinalIgnoreCase);
        foreach (var family in Preferred)
        {
            if (present.Contains(family))
            {
                return family;
            }
        }

        if (!string.IsNullOrWhiteSpace(systemDefault) && present.Contains(systemDefault))
        {
            return systemDefault;
        }

        return present.Order(StringComparer.Ordinal).FirstOrDefault() ?? throw new InputException(CliMessages.NoFont);
    }

    /// <summary>Asks SkiaSharp for the installed families and checks that the chosen one has glyphs.</summary>
    /// <exception cref="InputException">No usable font is installed, or SkiaSharp's native library is missing.</exception>
    public static string Find() => WithNativeLibrary(FindFont, AppContext.BaseDirectory);

    /// <summary>
    /// Runs the first call into SkiaSharp. Its native libraries (libSkiaSharp and libHarfBuzzSharp)
    /// must sit beside the lsq executable; a native build copied alone (cp lsq ~/bin) lacks them, and
    /// the failure to load them is an installation problem with a fix (exit 2), not a bug (exit 70).
    /// </summary>
    internal static T WithNativeLibrary<T>(Func<T> firstCall, string folder)
    {
        try
        {
            return firstCall();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException
            || (e is TypeInitializationException t && t.InnerException is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException))
        {
            throw new InputException(CliMessages.NoDrawingLibrary(folder));
        }
    }

    private static string FindFont()
    {
        var family = Choose(SKFontManager.Default.GetFontFamilies(), SKTypeface.Default.FamilyName);
        using var typeface = SKFontManager.Default.MatchFamily(family);
        if (typeface is null || typeface.GlyphCount == 0)
        {
            throw new InputException(CliMessages.NoFont);
        }

        return family;
    }
}
