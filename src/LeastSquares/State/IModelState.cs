using LeastSquares.Terms;

namespace LeastSquares.State;

/// <summary>
/// A mergeable summary of rows from which a model is solved: the <see cref="Moments"/>, or the
/// <see cref="TriangularFactor"/> that QR needs. Its size depends on the model only. Rows are added
/// through a <see cref="MomentAccumulator"/>, whose <see cref="MomentAccumulator.ToState"/> gives
/// the state; states of disjoint rows merge; every state gives its moments.
/// </summary>
public interface IModelState
{
    /// <summary>The model.</summary>
    ModelTerms Terms { get; }

    /// <summary>Rows summarised.</summary>
    long Count { get; }

    /// <summary>The moments of the same rows.</summary>
    Moments ToMoments();

    /// <summary>The state of these rows and those of <paramref name="other"/>, a state of the same kind and model.</summary>
    /// <exception cref="ArgumentException">Another kind of state, or another model.</exception>
    IModelState Merge(IModelState other);
}

/// <summary>What every kind of state's merge does before it combines anything.</summary>
public static class ModelStates
{
    /// <summary>
    /// The same rows' state for <paramref name="terms"/>, a model of the same formula with other
    /// categorical columns (see <see cref="Moments.Reindex"/>, <see cref="TriangularFactor.Reindex"/>).
    /// </summary>
    public static IModelState Recode(this IModelState state, ModelTerms terms)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state switch
        {
            Moments moments => moments.Reindex(terms),
            TriangularFactor factor => factor.Reindex(terms),
            _ => throw new ArgumentException("Unknown kind of state.", nameof(state)),
        };
    }

    /// <summary>
    /// Throws unless both states are of the same model; when one side holds no rows (an empty part
    /// of a split input), the other side is the merge. An empty part has no meaningful centre or
    /// shift (its accumulator never saw a row), and moving the other part to it would throw away
    /// the conditioning of that part's own. Null when both hold rows.
    /// </summary>
    /// <exception cref="ArgumentException">The models differ.</exception>
    internal static TState? Settled<TState>(TState a, TState b)
        where TState : class, IModelState
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!a.Terms.SameModelAs(b.Terms))
        {
            throw new ArgumentException("Only states of the same model can be merged.", nameof(b));
        }

        return b.Count == 0 ? a : a.Count == 0 ? b : null;
    }
}
