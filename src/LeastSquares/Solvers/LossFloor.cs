using LeastSquares.Loss;
using LeastSquares.Numerics;

namespace LeastSquares.Solvers;

/// <summary>
/// Whether the loss can still fall measurably. On the quadratic loss the most it can still fall
/// from θ is exactly ½·gᵀH⁻¹g (g the gradient, H the Hessian); once that is at most one unit in
/// the last place of the loss itself (machine epsilon, 2⁻⁵², times it), no iterate can show a
/// measurably smaller loss in double precision. A run that reaches its iteration limit there has
/// converged: more iterations would only move the last digits of the coefficients, which the loss
/// can no longer tell apart. (Before the limit --tol decides, so a run never stops sooner, with
/// fewer digits, than the gradient rule allows.) The Hessian is factored once, in
/// double-double; a Hessian too ill-conditioned to factor turns the rule off.
/// </summary>
internal sealed class LossFloor
{
    /// <summary>Machine epsilon, 2⁻⁵²: a relative change below it is at most one unit in the last place.</summary>
    public const double Epsilon = 2.220446049250313e-16;

    private readonly DoubleDouble[,]? _factor;
    private readonly int _offset;
    private readonly DoubleDouble[] _g;

    public LossFloor(MseQuadratic quadratic)
    {
        ArgumentNullException.ThrowIfNull(quadratic);
        var h = quadratic.Hessian();
        int n = h.GetLength(0);
        var a = new DoubleDouble[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                a[i, j] = new DoubleDouble(h[i, j]);
            }
        }

        _factor = DdMatrix.Cholesky(a, 1e-28, out var r) < 0 ? r : null;
        _offset = quadratic.Intercept ? 0 : 1; // without an intercept the gradient's first entry is a fixed 0
        _g = new DoubleDouble[n];
    }

    /// <summary>½·gᵀH⁻¹g, the most the loss can still fall from where <paramref name="gradient"/> was taken; +∞ when unknown.</summary>
    public double RemainingDecrease(ReadOnlySpan<double> gradient)
    {
        if (_factor is null)
        {
            return double.PositiveInfinity;
        }

        for (int i = 0; i < _g.Length; i++)
        {
            _g[i] = new DoubleDouble(gradient[i + _offset]);
        }

        var x = DdMatrix.CholeskySolve(_factor, _g);
        var s = DoubleDouble.Zero;
        for (int i = 0; i < _g.Length; i++)
        {
            s += _g[i] * x[i];
        }

        double remaining = 0.5 * s.ToDouble();
        return remaining >= 0 && double.IsFinite(remaining) ? remaining : double.PositiveInfinity;
    }

    /// <summary>True when the loss can no longer fall by more than a unit in its last place.</summary>
    public bool Reached(ReadOnlySpan<double> gradient, double loss) =>
        loss > 0 && double.IsFinite(loss) && RemainingDecrease(gradient) <= Epsilon * loss;
}
