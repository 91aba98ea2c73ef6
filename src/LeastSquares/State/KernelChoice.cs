using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LeastSquares.State;

/// <summary>
/// The one place that chooses how <see cref="LinearAccumulator"/> adds rows: the packed AVX-512
/// kernel (8 doubles a vector, rows of at most 15 values) where the CPU has it and the row fits,
/// else 4-wide vectors where there are any, else the scalar kernel. All three give the same sums
/// exactly; they differ only in speed. A kernel is named by its vector width (8, 4 or 1).
/// </summary>
internal static class KernelChoice
{
    /// <summary>The scalar kernel's width.</summary>
    public const int Scalar = 1;

    /// <summary>The fastest kernel this CPU has for rows of <paramref name="rowWidth"/> values.</summary>
    public static int Best(int rowWidth) =>
        PackedKernel.Fits(rowWidth) && Avx512F.IsSupported ? Vector512<double>.Count
        : Vector256.IsHardwareAccelerated ? Vector256<double>.Count
        : Scalar;

    /// <summary>Throws unless <paramref name="width"/> names a kernel this CPU can run on rows of <paramref name="rowWidth"/> values.</summary>
    public static void Check(int width, int rowWidth)
    {
        if (width != Scalar && width != Vector256<double>.Count && width != Vector512<double>.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "The kernel works on vectors of 1, 4 or 8 doubles.");
        }

        if (width == Vector512<double>.Count && (!Avx512F.IsSupported || !PackedKernel.Fits(rowWidth)))
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "The packed kernel needs AVX-512 and rows of at most 15 values.");
        }
    }
}
