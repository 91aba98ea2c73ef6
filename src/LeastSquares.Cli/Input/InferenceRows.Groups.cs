using System.Text;
using LeastSquares.Cli.Options;

namespace LeastSquares.Cli.Input;

/// <summary>--by with inference: one state per group, each with its own levels, and each group's sandwich from its own rows.</summary>
internal sealed partial class InferenceRows
{
    private readonly Dictionary<string, int> _groupIds = new(StringComparer.Ordinal);
    private readonly List<string[]> _groupValues = [];
    private readonly List<long> _groupSkipped = [];
    private long _skippedNoGroup;

    /// <summary>
    /// As <see cref="Read"/>, into one state per group of the --by columns <paramref name="by"/> (groups
    /// in the order of their first row; an empty group cell follows the user's --missing), each
    /// weighted when asked; the second pass (<see cref="Covariances"/>) gives each group its own sandwich.
    /// Categorical columns: each group's state has the levels its own rows met, as <c>lm</c> on the
    /// group alone has them (the rows carry the codes all groups share: <see cref="GroupState.RowTerms"/>).
    /// </summary>
    public static (GroupedRowState State, InferenceRows Rows) ReadGroups(RowSource source, string? file, CsvDialect dialect, ModelSpec spec,
        IReadOnlyList<string> by, FitMethod method, InferenceSettings settings, int maxGroups, CliContext context)
    {
        var groups = ModelColumns.ResolveBy(source.Csv, by);
        var columns = ModelColumns.ResolveGrouped(source.Csv, spec, groups);
        int weight = settings.Weights is { } w ? ModelColumns.Column(source.Csv, w, "--weights") : -1;
        int cluster = settings.Cluster is { } c ? ModelColumns.Column(source.Csv, c, "--cluster") : -1;
        int width = columns.Terms.RowWidth;
        var cache = settings.SecondPass && source.Csv.FilePath is null ? RowCache.Create(width + 3) : null;
        var rows = new InferenceRows(file, dialect, context, settings, columns, weight, cluster, cache, groups, maxGroups)
        {
            _clusterByValue = cluster >= 0 && !source.Csv.IsText(cluster),
        };
        try
        {
            var accumulators = new List<MomentAccumulator>();
            // Categorical columns: every group codes its cells in the levels all groups share (met
            // in the order of the rows), and keeps which of them it met, its own levels.
            var shared = columns.Terms.HasFactors ? RowState.Accumulator(columns.Terms, method) : null;
            var levels = shared?.RowLevels;
            rows._levels = levels is null ? null : [.. levels, .. new FactorLevels?[weight >= 0 ? 1 : 0]];
            var seen = new List<HashSet<int>?[]>();
            MomentAccumulator Create() => shared is not null ? MomentAccumulator.CreateSharingLevels(shared, method, weighted: weight >= 0)
                : weight >= 0 ? MomentAccumulator.CreateWeighted(columns.Terms, method) : RowState.Accumulator(columns.Terms, method);
            var spill = new double[width + 3];
            rows.Each(source.Csv, (row, w, id, group) =>
            {
                while (accumulators.Count <= group)
                {
                    accumulators.Add(Create());
                    seen.Add(new HashSet<int>?[levels?.Count ?? 0]);
                }

                if (levels is not null)
                {
                    Seen(levels, seen[group], row);
                }

                if (weight >= 0)
                {
                    accumulators[group].AddWeighted(row, w);
                }
                else
                {
                    accumulators[group].Add(row);
                }

                if (cache is not null)
                {
                    row.CopyTo(spill);
                    spill[width] = w;
                    spill[width + 1] = id;
                    spill[width + 2] = group;
                    cache.Add(spill);
                }
            }, clusterIds: cache is not null);
            while (accumulators.Count < rows._groupValues.Count)
            {
                accumulators.Add(Create()); // a group met only in skipped rows
                seen.Add(new HashSet<int>?[levels?.Count ?? 0]);
            }

            var states = accumulators.Select((a, g) =>
            {
                var read = a.ToState();
                return new GroupState(rows._groupValues[g], levels is null ? read : GroupTable.OwnLevels(read, levels, seen[g]), rows._groupSkipped[g])
                {
                    RowTerms = levels is null ? null : read.Terms,
                };
            }).ToList();
            if (states.Count == 0)
            {
                ModelColumns.RequireRows(0, source.Csv.SkippedRows + rows._skippedNoGroup + rows._skippedNoCluster, source.DisplayName);
            }

            return (new GroupedRowState(groups.Names, columns, states, source.Csv.SkippedRows + rows._skippedNoGroup + rows._skippedNoCluster), rows);
        }
        catch
        {
            rows.Dispose();
            throw;
        }
    }

    /// <summary>Notes the level codes of a row's categorical values among those its group met.</summary>
    private static void Seen(IReadOnlyList<FactorLevels?> levels, HashSet<int>?[] seen, ReadOnlySpan<double> row)
    {
        for (int j = 0; j < levels.Count; j++)
        {
            if (levels[j] is not null)
            {
                (seen[j] ??= []).Add((int)row[j]);
            }
        }
    }

    /// <summary>
    /// The group of the row <paramref name="csv"/> is at (its number, in order of first appearance);
    /// -1 when a group cell is missing and the row is left out (--missing skip, counted when
    /// <paramref name="counts"/>), an input error naming the cell under --missing error.
    /// </summary>
    private int GroupOf(CsvSource csv, bool counts)
    {
        var values = new string[_by!.Columns.Length];
        for (int j = 0; j < values.Length; j++)
        {
            int c = _by.Columns[j];
            var cell = csv.Field(c);
            if (GroupColumns.IsMissing(cell, _dialect.NaValues))
            {
                if (!counts)
                {
                    return -1;
                }

                if (_dialect.Missing == MissingPolicy.Skip)
                {
                    _skippedNoGroup++;
                    return -1;
                }

                var text = Encoding.UTF8.GetString(cell);
                throw new InputException(text.Trim().Length == 0
                    ? CliMessages.EmptyCell(csv.DisplayName, csv.Line, c + 1, csv.Header[c], _dialect.OffersSkip)
                    : CliMessages.MissingCell(csv.DisplayName, csv.Line, c + 1, csv.Header[c], text, _dialect.OffersSkip));
            }

            values[j] = _by.KeyText(j, cell);
        }

        var key = GroupTable.KeyOf(values);
        if (!_groupIds.TryGetValue(key, out int id))
        {
            if (_groupValues.Count == _maxGroups)
            {
                throw new InputException(CliMessages.TooManyGroups(csv.DisplayName, _by.Names, _maxGroups));
            }

            id = _groupValues.Count;
            _groupIds.Add(key, id);
            _groupValues.Add(values);
            _groupSkipped.Add(0);
        }

        return id;
    }

    /// <summary>
    /// The second pass of a grouped read: each group's sandwich covariance, from its own rows, for
    /// the groups with a fit (<paramref name="fits"/>, in the order of the groups); a group whose fit
    /// has none to give (rank-deficient, not converged, one cluster) gets the reason instead.
    /// </summary>
    public IReadOnlyList<(RobustCovariance? Covariance, string? Error)> Covariances(IReadOnlyList<FitResult?> fits, IReadOnlyList<GroupState> groups)
    {
        bool clustered = _settings.Cluster is not null;
        var sandwiches = new SandwichAccumulator?[fits.Count];
        var errors = new string?[fits.Count];
        var recodings = new LevelRecoding?[fits.Count];
        for (int g = 0; g < fits.Count; g++)
        {
            if (fits[g] is not { } fit)
            {
                continue;
            }

            if (fit.UnscaledCovariance is null || fit.Penalty is not null || !fit.Converged)
            {
                errors[g] = CliMessages.RobustNeedsFullRank;
                continue;
            }

            var moments = Solving.SolveStep.Prepared(groups[g].ToRowState()).Moments;
            sandwiches[g] = new SandwichAccumulator(fit, moments, _settings.Vcov, clustered);
            recodings[g] = groups[g].RowTerms is { HasFactors: true } read ? new LevelRecoding(read, fit.Terms) : null;
        }

        // The rows carry the level codes every group shares: each recoded to its group's fit.
        var coded = new double[_columns.Terms.RowWidth];
        SecondPass((row, w, id, group) =>
        {
            if (sandwiches[group] is not { } sandwich)
            {
                return;
            }

            if (recodings[group] is { } recoding)
            {
                row.CopyTo(coded);
                recoding.Apply(coded);
                row = coded;
            }

            sandwich.Add(row, w, id);
        }, recoding: null);
        var result = new (RobustCovariance?, string?)[fits.Count];
        for (int g = 0; g < fits.Count; g++)
        {
            result[g] = sandwiches[g] is not { } sandwich ? (null, errors[g])
                : clustered && sandwich.Groups < 2 ? (null, CliMessages.OneCluster(_settings.Cluster!))
                : (sandwich.Result(_settings.Cluster), null);
        }

        return result;
    }
}
