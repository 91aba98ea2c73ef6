namespace LeastSquares.Terms;

/// <summary>
/// What the model is made of: the predictor columns, the response, whether there is an
/// intercept and, for a single predictor, the polynomial degree. The user-facing terms are
/// <c>(intercept)</c> (when present) followed by the predictors, or by <c>x, x^2, …, x^N</c>.
/// </summary>
public sealed record ModelTerms
{
    /// <summary>Creates and validates a term list.</summary>
    /// <exception cref="ArgumentException">No predictors, a degree below 1, a polynomial of several predictors, or a repeated name.</exception>
    public ModelTerms(IReadOnlyList<string> predictors, string target, int degree = 1, bool intercept = true)
    {
        ArgumentNullException.ThrowIfNull(predictors);
        ArgumentNullException.ThrowIfNull(target);
        if (predictors.Count == 0)
        {
            throw new ArgumentException("A model needs at least one predictor.", nameof(predictors));
        }

        if (degree < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(degree), degree, "The degree must be at least 1.");
        }

        if (degree > 1 && predictors.Count != 1)
        {
            throw new ArgumentException("A polynomial (degree > 1) takes exactly one predictor.", nameof(degree));
        }

        Predictors = predictors.ToArray();
        Target = target;
        Degree = degree;
        Intercept = intercept;
        var names = new List<string>();
        if (intercept)
        {
            names.Add(InterceptName);
        }

        if (degree == 1)
        {
            names.AddRange(Predictors);
        }
        else
        {
            for (int j = 1; j <= degree; j++)
            {
                names.Add(j == 1 ? Predictors[0] : $"{Predictors[0]}^{j}");
            }
        }

        TermNames = names;
    }

    /// <summary>The name under which the intercept is reported.</summary>
    public const string InterceptName = "(intercept)";

    /// <summary>The predictor columns, in model order.</summary>
    public IReadOnlyList<string> Predictors { get; }

    /// <summary>The response column.</summary>
    public string Target { get; }

    /// <summary>Polynomial degree of the single predictor; 1 for an ordinary linear model.</summary>
    public int Degree { get; }

    /// <summary>Whether the model has an intercept.</summary>
    public bool Intercept { get; }

    /// <summary>The names of the reported coefficients, intercept first.</summary>
    public IReadOnlyList<string> TermNames { get; }

    /// <summary>True for a polynomial in one predictor of degree 2 or more.</summary>
    public bool IsPolynomial => Degree > 1;

    /// <summary>Number of non-constant features (columns of X other than the intercept).</summary>
    public int FeatureCount => IsPolynomial ? Degree : Predictors.Count;

    /// <summary>Number of coefficients p, the intercept included.</summary>
    public int CoefficientCount => FeatureCount + (Intercept ? 1 : 0);

    /// <summary>Number of values each data row supplies: the predictors then the response.</summary>
    public int RowWidth => Predictors.Count + 1;

    /// <summary>Names of the non-constant features, in order.</summary>
    public IReadOnlyList<string> FeatureNames => Intercept ? TermNames.Skip(1).ToArray() : TermNames;

    /// <summary>True when both describe the same model.</summary>
    public bool SameModelAs(ModelTerms other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Predictors.SequenceEqual(other.Predictors) && Target == other.Target
            && Degree == other.Degree && Intercept == other.Intercept;
    }
}
