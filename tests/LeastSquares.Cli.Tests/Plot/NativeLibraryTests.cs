using LeastSquares.Cli.Plotting;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// A native lsq copied alone (cp lsq ~/bin) lacks SkiaSharp's libraries: lsq plot then exits 2
/// naming them and where they go, never 70 "internal error … a bug in lsq" (issue 20 item 2).
/// </summary>
public sealed class NativeLibraryTests
{
    public static TheoryData<Exception> LoadFailures() => new()
    {
        new DllNotFoundException("Unable to load shared library 'libSkiaSharp'"),
        new TypeInitializationException("SkiaSharp.SKFontManager", new DllNotFoundException("libSkiaSharp")),
        new TypeInitializationException("SkiaSharp.SKObject", new EntryPointNotFoundException("sk_fontmgr_ref_default")),
    };

    [Theory]
    [MemberData(nameof(LoadFailures))]
    public void A_missing_drawing_library_is_an_input_error_naming_it_and_its_folder(Exception failure)
    {
        var e = Assert.Throws<InputException>(() => FontCheck.WithNativeLibrary<string>(() => throw failure, "/home/me/bin/"));
        Assert.Contains(OperatingSystem.IsLinux() ? "libSkiaSharp.so and libHarfBuzzSharp.so" : "libSkiaSharp", e.Message, StringComparison.Ordinal);
        Assert.Contains("beside the lsq executable, in /home/me/bin.", e.Message, StringComparison.Ordinal);
        using var stderr = new StringWriter();
        Assert.Equal(ExitCodes.Input, ErrorReporter.Report(e, stderr));
        Assert.StartsWith("lsq: error: lsq plot cannot load its drawing library", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Other_type_initialization_failures_are_not_mistaken_for_it() =>
        Assert.Throws<TypeInitializationException>(() => FontCheck.WithNativeLibrary<string>(() => throw new TypeInitializationException("X", new InvalidOperationException()), "/x"));
}
