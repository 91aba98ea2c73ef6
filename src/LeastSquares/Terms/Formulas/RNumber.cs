using System.Globalization;

namespace LeastSquares.Terms.Formulas;

/// <summary>
/// Writes a double as R writes it in a deparsed expression and in <c>as.character</c> (so in factor
/// levels made from numbers): 15 significant digits, trailing zeros dropped, and fixed notation unless
/// scientific notation is strictly narrower (R's <c>formatReal</c> with <c>scipen = 0</c>):
/// <c>0.5</c>, <c>10000</c>, <c>1e+05</c>, <c>1e-04</c>, <c>0.001</c>, <c>123456.7</c>.
/// </summary>
public static class RNumber
{
    /// <summary>The R spelling of <paramref name="value"/>: <c>NaN</c>, <c>Inf</c>, <c>-Inf</c> for the non-finite.</summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Inf" : "-Inf";
        }

        if (value == 0)
        {
            return "0";
        }

        // "E14" rounds to 15 significant digits once, as R's sprintf("%.15e") does.
        string e = value.ToString("E14", CultureInfo.InvariantCulture);
        bool negative = e[0] == '-';
        int mantissaStart = negative ? 1 : 0;
        int ePos = e.IndexOf('E', StringComparison.Ordinal);
        string digits = e.Substring(mantissaStart, ePos - mantissaStart).Replace(".", "", StringComparison.Ordinal).TrimEnd('0');
        int exponent = int.Parse(e.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        int significant = Math.Max(digits.Length, 1);

        int sign = negative ? 1 : 0;
        int decimals = Math.Max(0, significant - exponent - 1);
        int fixedWidth = sign + (exponent >= 0 ? exponent + 1 : 1) + (decimals > 0 ? decimals + 1 : 0);
        int sciWidth = sign + (significant > 1 ? significant + 1 : 1) + (Math.Abs(exponent) >= 100 ? 5 : 4);
        if (fixedWidth <= sciWidth)
        {
            // Rounding the exact binary value at the same decimal place as above gives the same digits.
            return value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        string mantissa = significant > 1 ? digits[0] + "." + digits[1..] : digits[..1];
        string exp = Math.Abs(exponent).ToString(Math.Abs(exponent) >= 100 ? "000" : "00", CultureInfo.InvariantCulture);
        return (negative ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
    }
}
