namespace LeastSquares.Cli.Input;

/// <summary>The state of one group of rows (--by): the group's values, one per --by column, and the state of its rows.</summary>
/// <param name="Values">The cell texts of the --by columns, in the order --by names them.</param>
/// <param name="State">The mergeable state of the group's rows (moments, or qr's triangular factor).</param>
/// <param name="Skipped">The group's rows left out under --missing skip for an empty model cell.</param>
internal sealed record GroupState(IReadOnlyList<string> Values, IModelState State, long Skipped)
{
    /// <summary>The group's rows, to be read again (sgd); null when they were not kept.</summary>
    public IRowBlocks? Rows { get; init; }

    /// <summary>
    /// The model whose level codes the rows as read carry (the levels every group shares, in the
    /// order met); <see cref="State"/>'s terms hold the group's own levels. Null when not known.
    /// </summary>
    public ModelTerms? RowTerms { get; init; }

    /// <summary>The moments each orthogonal <c>poly()</c>'s basis comes from (see <see cref="RowState.PolynomialFrames"/>); null: the group's rows.</summary>
    public IReadOnlyList<Moments>? PolynomialFrames { get; init; }

    /// <summary>The state of the group's rows as one fit's (its rows kept and its polynomial frames).</summary>
    public RowState ToRowState() => new(State, Skipped) { Rows = Rows, PolynomialFrames = PolynomialFrames };

    /// <summary>The group's dictionary key: its values joined by the unit separator.</summary>
    public string Key => GroupTable.KeyOf(Values);
}

/// <summary>
/// The rows of an input read into one state per group (--by): the groups in the order of their
/// first row in the input, and every row left out (an empty model cell, or an empty group cell,
/// under --missing skip).
/// </summary>
internal sealed record GroupedRowState(IReadOnlyList<string> By, ModelColumns Columns, IReadOnlyList<GroupState> Groups, long Skipped)
{
    /// <summary>The cache that holds every group's <see cref="GroupState.Rows"/>, which the reader disposes; null when the rows were not kept.</summary>
    public GroupedRowCache? Rows { get; init; }

    /// <summary>
    /// The groups of <paramref name="first"/> followed by those of rows that come after it: the states
    /// of equal groups merged, new groups after the old in their order of first appearance, so that
    /// the order is that of one sequential read.
    /// </summary>
    public static GroupedRowState Merge(GroupedRowState first, GroupedRowState second, int maxGroups, string displayName)
    {
        var order = new List<GroupState>(first.Groups);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < order.Count; i++)
        {
            index[order[i].Key] = i;
        }

        foreach (var g in second.Groups)
        {
            if (index.TryGetValue(g.Key, out int at))
            {
                var old = order[at];
                order[at] = old with { State = old.State.Merge(g.State), Skipped = old.Skipped + g.Skipped };
            }
            else
            {
                if (order.Count == maxGroups)
                {
                    throw new InputException(CliMessages.TooManyGroups(displayName, first.By, maxGroups));
                }

                index[g.Key] = order.Count;
                order.Add(g);
            }
        }

        return first with { Groups = order, Skipped = first.Skipped + second.Skipped };
    }
}
