namespace LeastSquares.Cli.Plotting;

/// <summary>
/// Cleveland's locally weighted regression as R's <c>lowess</c> (and <c>panel.smooth</c>, the red
/// line of <c>plot.lm</c>) computes it: at each point a straight line fitted to the nearest
/// fraction f = 2/3 of the points with tricube weights, then 3 robustness passes that down-weight
/// points with large residuals (bisquare on 6 × the median absolute residual). Fitted at the data's
/// x values at least 1% of the range apart (R's <c>delta</c>) and joined by straight lines, so its
/// cost is at most about 100 × points, whatever the number of points.
/// </summary>
internal static class Lowess
{
    public const double Span = 2.0 / 3;
    public const int RobustnessIterations = 3;

    /// <summary>The smooth of y against x as a line; null with fewer than 3 points or no spread in x.</summary>
    public static Series? Smooth(IReadOnlyList<double> x, IReadOnlyList<double> y, string label)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var order = Enumerable.Range(0, x.Count).Where(i => double.IsFinite(x[i]) && double.IsFinite(y[i])).OrderBy(i => x[i]).ToArray();
        int n = order.Length;
        if (n < 3)
        {
            return null;
        }

        var xs = order.Select(i => x[i]).ToArray();
        var ys = order.Select(i => y[i]).ToArray();
        if (!(xs[^1] > xs[0]))
        {
            return null;
        }

        int k = Math.Max(2, (int)((Span * n) + 1e-7)); // as R: as.integer(f * n + 1e-7)
        // As R's delta = 1% of the range: the line is fitted at the data's x values, skipping those
        // within delta of the last one fitted, and interpolated between them.
        double delta = 0.01 * (xs[^1] - xs[0]);
        var at = new List<double> { xs[0] };
        foreach (double v in xs)
        {
            if (v > at[^1] + delta)
            {
                at.Add(v);
            }
        }

        if (at[^1] < xs[^1])
        {
            at.Add(xs[^1]);
        }

        var grid = at.ToArray();
        var robust = Enumerable.Repeat(1.0, n).ToArray();
        var fitted = new double[grid.Length];
        for (int pass = 0; pass <= RobustnessIterations; pass++)
        {
            for (int g = 0; g < grid.Length; g++)
            {
                fitted[g] = LocalLine(xs, ys, robust, k, grid[g]);
            }

            if (pass == RobustnessIterations)
            {
                break;
            }

            var residuals = new double[n];
            for (int i = 0; i < n; i++)
            {
                residuals[i] = ys[i] - Interpolate(grid, fitted, xs[i]);
            }

            var absolute = residuals.Select(Math.Abs).Order().ToArray();
            double median = n % 2 == 1 ? absolute[n / 2] : (absolute[(n / 2) - 1] + absolute[n / 2]) / 2;
            double cut = 6 * median;
            if (cut == 0)
            {
                break; // a perfect fit: nothing to down-weight
            }

            for (int i = 0; i < n; i++)
            {
                double u = residuals[i] / cut;
                robust[i] = Math.Abs(u) < 1 ? (1 - (u * u)) * (1 - (u * u)) : 0;
            }
        }

        return new Series(label, grid, fitted);
    }

    /// <summary>The weighted straight line through the k points nearest <paramref name="at"/> (xs sorted), at <paramref name="at"/>.</summary>
    private static double LocalLine(double[] xs, double[] ys, double[] robust, int k, double at)
    {
        int n = xs.Length;
        k = Math.Min(k, n);
        // The window of k consecutive points nearest 'at': slide right while that brings it closer.
        int lo = Math.Max(0, Math.Min(n - k, LowerBound(xs, at) - (k / 2)));
        while (lo > 0 && at - xs[lo - 1] < xs[lo + k - 1] - at)
        {
            lo--;
        }

        while (lo + k < n && xs[lo + k] - at < at - xs[lo])
        {
            lo++;
        }

        double h = Math.Max(at - xs[lo], xs[lo + k - 1] - at);
        double sw = 0, sx = 0, sy = 0;
        var w = new double[k];
        for (int i = 0; i < k; i++)
        {
            double d = h > 0 ? Math.Abs(xs[lo + i] - at) / h : 0;
            double t = d <= 0.001 ? 1 : d <= 0.999 ? 1 - (d * d * d) : 0; // R's cut-offs at 0.001·h and 0.999·h
            w[i] = (d <= 0.001 ? 1 : t * t * t) * robust[lo + i];
            sw += w[i];
            sx += w[i] * xs[lo + i];
            sy += w[i] * ys[lo + i];
        }

        if (sw <= 0)
        {
            return Interpolate(xs, ys, at);
        }

        double mx = sx / sw, my = sy / sw, sxx = 0, sxy = 0;
        for (int i = 0; i < k; i++)
        {
            double dx = xs[lo + i] - mx;
            sxx += w[i] * dx * dx;
            sxy += w[i] * dx * (ys[lo + i] - my);
        }

        // A window of (nearly) one x value: its weighted mean.
        double range = xs[^1] - xs[0];
        return sxx > 1e-12 * sw * range * range ? my + (sxy / sxx * (at - mx)) : my;
    }

    private static int LowerBound(double[] xs, double at)
    {
        int i = Array.BinarySearch(xs, at);
        return i >= 0 ? i : ~i;
    }

    /// <summary>The piecewise-linear curve through (xs, ys) (xs ascending) at <paramref name="at"/>.</summary>
    private static double Interpolate(double[] xs, double[] ys, double at)
    {
        int i = LowerBound(xs, at);
        if (i <= 0)
        {
            return ys[0];
        }

        if (i >= xs.Length)
        {
            return ys[^1];
        }

        double t = xs[i] > xs[i - 1] ? (at - xs[i - 1]) / (xs[i] - xs[i - 1]) : 0;
        return ys[i - 1] + (t * (ys[i] - ys[i - 1]));
    }
}
