using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LeastSquares.State;

/// <summary>
/// The one place that chooses how <see cref="LinearAccumulator"/> adds rows. Narrow rows: the
/// packed AVX-512 kernel (8 doubles a vector, rows of at most 15 values) where the CPU has it and
/// the row fits, else 4-wide vectors where there are any, else the scalar kernel. Rows of at least
/// <see cref="BlockedFrom"/> values: the blocked kernel (<see cref="BlockedKernel"/>) with the
/// widest vectors the CPU has, chosen when the program runs. All give the same sums exactly; they
/// differ only in speed. A row kernel is named by its vector width (8, 4 or 1), a blocked kernel
/// by minus its width (<see cref="Blocked512"/>, <see cref="Blocked256"/>).
/// </summary>
internal static class KernelChoice
{
    /// <summary>The scalar kernel's width.</summary>
    public const int Scalar = 1;

    /// <summary>The blocked kernel with 8-wide (AVX-512) tiles.</summary>
    public const int Blocked512 = -8;

    /// <summary>The blocked kernel with 4-wide (256-bit) tiles.</summary>
    public const int Blocked256 = -4;

    /// <summary>
    /// The narrowest rows (values, response included) that take the blocked kernel: below it the
    /// row kernels' sums fit the first-level cache and they are as fast or faster.
    /// </summary>
    public const int BlockedFrom = 16;

    /// <summary>The fastest kernel this CPU has for rows of <paramref name="rowWidth"/> values.</summary>
    public static int Best(int rowWidth) =>
        rowWidth >= BlockedFrom && Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? Blocked512
        : rowWidth >= BlockedFrom && Vector256.IsHardwareAccelerated ? Blocked256
        : PackedKernel.Fits(rowWidth) && Avx512F.IsSupported ? Vector512<double>.Count
        : Vector256.IsHardwareAccelerated ? Vector256<double>.Count
        : Scalar;

    /// <summary>Throws unless <paramref name="width"/> names a kernel this CPU can run on rows of <paramref name="rowWidth"/> values.</summary>
    public static void Check(int width, int rowWidth)
    {
        if (width is not (Scalar or 4 or 8 or Blocked256 or Blocked512))
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "The kernel works on vectors of 1, 4 or 8 doubles, or is blocked (-4, -8).");
        }

        if (width == Vector512<double>.Count && (!Avx512F.IsSupported || !PackedKernel.Fits(rowWidth)))
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "The packed kernel needs AVX-512 and rows of at most 15 values.");
        }

        if (width == Blocked512 && !(Vector512.IsHardwareAccelerated && Avx512F.IsSupported))
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "The 8-wide blocked kernel needs AVX-512.");
        }
    }
}
