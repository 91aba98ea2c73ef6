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
