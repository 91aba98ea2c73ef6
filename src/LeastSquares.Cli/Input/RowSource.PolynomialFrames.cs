namespace LeastSquares.Cli.Input;

// The inputs read again for the basis of an orthogonal poly() when rows were skipped (R builds it on the whole model frame).
internal sealed partial class RowSource
{
    /// <summary>
    /// <paramref name="state"/> with the moments its orthogonal <c>poly()</c> bases come from
    /// (<see cref="RowState.PolynomialFrames"/>) when rows were skipped for a missing cell; the state
    /// itself otherwise.
    /// </summary>
    public RowState WithPolynomialFrames(RowState state, ParallelSettings? parallel = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Skipped > 0 && state.State.Terms.HasUnfittedPolynomials
            ? state with { PolynomialFrames = PolynomialFrames(_file, Csv.Dialect, _context, state.State.Terms, parallel) }
            : state;
    }

    /// <summary>
    /// R's model frame for each orthogonal <c>poly(x, d)</c> of <paramref name="terms"/>: the
    /// unweighted moments of every row of <paramref name="file"/> where its argument is present, the
    /// rows the fit skips for a missing cell elsewhere included. One more read of the input per
    /// distinct <c>poly()</c>, as the model <c>x ~ poly(x, d)</c> under --missing skip.
    /// </summary>
    /// <exception cref="UsageException">Standard input, which cannot be read again.</exception>
    public static IReadOnlyList<Moments> PolynomialFrames(string? file, CsvDialect dialect, CliContext context, ModelTerms terms, ParallelSettings? parallel = null)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var polys = terms.TermList.OfType<OrthogonalPolyTerm>().Where(p => p.Basis is null).DistinctBy(p => p.Label).ToList();
        if (InputFile.IsStdin(file))
        {
            throw new UsageException(CliMessages.PolyFrameNeedsFile(polys[0].Label));
        }

        var frames = new List<Moments>(polys.Count);
        foreach (var poly in polys)
        {
            using var again = Open(file, dialect with { Missing = MissingPolicy.Skip }, context, allowEmpty: true, intoState: true);
            frames.Add(again.IsEmpty ? RowState.Empty(FrameTerms(poly)).Moments
                : again.ReadOnce(again.Resolve(FrameSpec(poly)), FitMethod.Normal, null, allowEmpty: true, parallel, showProgress: false, into: null).Moments);
        }

        return frames;
    }

    /// <summary>The grouped form of <see cref="PolynomialFrames(string?, CsvDialect, CliContext, ModelTerms, ParallelSettings?)"/>: each group's frames, by its key.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<Moments>> PolynomialFrames(string? file, CsvDialect dialect, CliContext context, ModelTerms terms,
        IReadOnlyList<string> by, int maxGroups)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var polys = terms.TermList.OfType<OrthogonalPolyTerm>().Where(p => p.Basis is null).DistinctBy(p => p.Label).ToList();
        if (InputFile.IsStdin(file))
        {
            throw new UsageException(CliMessages.PolyFrameNeedsFile(polys[0].Label));
        }

        var frames = new Dictionary<string, List<Moments>>(StringComparer.Ordinal);
        foreach (var poly in polys)
        {
            using var again = Open(file, dialect with { Missing = MissingPolicy.Skip }, context, allowEmpty: true, intoState: true);
            if (again.IsEmpty)
            {
                continue;
            }

            foreach (var g in again.ReadGroups(FrameSpec(poly), by, FitMethod.Normal, maxGroups, allowEmpty: true, parallel: null, showProgress: false).Groups)
            {
                if (!frames.TryGetValue(g.Key, out var list))
                {
                    frames.Add(g.Key, list = []);
                }

                list.Add(g.State.ToMoments());
            }
        }

        return frames.ToDictionary(p => p.Key, p => (IReadOnlyList<Moments>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>The model x ~ poly(x, d): its rows are those where the argument's columns are all present.</summary>
    private static ModelSpec FrameSpec(OrthogonalPolyTerm poly) =>
        new(null, null, 1, true) { Formula = ModelColumns.FormulaName(poly.Columns[0]) + " ~ " + poly.Label };

    private static ModelTerms FrameTerms(OrthogonalPolyTerm poly) => ModelSpec.FormulaTerms(FrameSpec(poly).Formula!, null, null);
}
