using LeastSquares.Numerics;

namespace LeastSquares.Tests.Numerics;

/// <summary>
/// The vector loops of the p×p algebra (DdRows.MulAdd, 8- and 4-wide; the power iteration's
/// matrix-vector product) perform per lane the operations of the scalar loops they replace, so
/// their results must be the scalar ones to the last bit, for any length (vector parts and tails).
/// </summary>
public sealed class DdRowsTests
{
    public static TheoryData<int> Lengths => [1, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 31, 33, 100];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void MulAdd_gives_the_scalar_double_double_sums_bit_for_bit(int n)
    {
        var random = new Random(n);
        double Next() => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 9));
        foreach (bool subtract in new[] { false, true })
        {
            var s = Enumerable.Range(0, n).Select(_ => DoubleDouble.TwoSum(Next(), Next() * 1e-17)).ToArray();
            var y = Enumerable.Range(0, n).Select(_ => DoubleDouble.TwoSum(Next(), Next() * 1e-17)).ToArray();
            var x = DoubleDouble.TwoSum(Next(), Next() * 1e-17);
            var sHi = s.Select(d => d.Hi).ToArray();
            var sLo = s.Select(d => d.Lo).ToArray();
            for (int round = 0; round < 3; round++)
            {
                DdRows.MulAdd(sHi, sLo, x, y.Select(d => d.Hi).ToArray(), y.Select(d => d.Lo).ToArray(), subtract);
                for (int j = 0; j < n; j++)
                {
                    var product = x * y[j];
                    s[j] += subtract ? -product : product;
                }
            }

            for (int j = 0; j < n; j++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(s[j].Hi), BitConverter.DoubleToInt64Bits(sHi[j]));
                Assert.Equal(BitConverter.DoubleToInt64Bits(s[j].Lo), BitConverter.DoubleToInt64Bits(sLo[j]));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Matrix_vector_product_gives_the_scalar_sums_bit_for_bit(int n)
    {
        var random = new Random(1000 + n);
        var a = new double[n, n];
        var columns = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                a[i, j] = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 7));
                columns[(j * n) + i] = a[i, j];
            }
        }

        var v = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var w = new double[n];
        DdMatrix.Multiply(columns, v, w);
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < n; j++)
            {
                s += a[i, j] * v[j];
            }

            Assert.Equal(BitConverter.DoubleToInt64Bits(s), BitConverter.DoubleToInt64Bits(w[i]));
        }
    }
}
