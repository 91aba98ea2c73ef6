using LeastSquares.Numerics;

namespace LeastSquares.Terms;

/// <summary>A numeric column as it is: one feature, named after the column.</summary>
public sealed class ColumnTerm : Term
{
    /// <summary>The term of <paramref name="column"/>.</summary>
    public ColumnTerm(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        Column = column;
        Columns = [column];
    }

    /// <summary>The column.</summary>
    public string Column { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Columns { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Names => Columns;

    /// <inheritdoc/>
    public override bool IsPlainColumn => true;

    /// <inheritdoc/>
    public override void WorkingFeatures(ReadOnlySpan<double> values, double centre, Span<double> features) => features[0] = values[0];

    /// <inheritdoc/>
    public override void WorkingFeatures(ReadOnlySpan<double> values, ReadOnlySpan<double> shift, Span<DoubleDouble> features) =>
        features[0] = DoubleDouble.TwoDiff(values[0], shift[0]);

    /// <inheritdoc/>
    public override void AddPrediction(ReadOnlySpan<double> values, ReadOnlySpan<double> coefficients, ref DoubleDouble sum) =>
        sum += DoubleDouble.TwoProduct(coefficients[0], values[0]);

    /// <inheritdoc/>
    public override bool SameAs(Term other) => other is ColumnTerm c && c.Column == Column;
}
