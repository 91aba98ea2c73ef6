using System.Globalization;
using System.Text;
using LeastSquares.Cli.Options;

namespace LeastSquares.Cli.Input;

/// <summary>
/// The rows of a fit read with the columns beyond the model's that inference needs: the weight
/// of each row (--weights) and its cluster (--cluster), and the second pass over the rows that a
/// robust or clustered covariance needs once the fit is known (every residual and leverage).
/// </summary>
/// <remarks>
/// <para>The first pass goes row by row through the CSV reader (a weight is checked where it
/// stands: a negative, missing or non-numeric one is an input error naming file, line and column).</para>
/// <para>The second pass: a regular file is simply read again; standard input and a compressed
/// file cannot be, so on the first pass the model's columns, the weight and the cluster's number
/// (each distinct cluster text numbered in order of appearance, O(G) memory) are spilled to a
/// <see cref="RowCache"/> in the temporary folder and read back from there. Either way memory
/// stays flat: O(p²) for the sums, O(G·p) with clusters.</para>
/// </remarks>
internal sealed class InferenceRows : IDisposable
{
    private readonly string? _file;
    private readonly CsvDialect _dialect;
    private readonly CliContext _context;
    private readonly InferenceSettings _settings;
    private readonly ModelColumns _columns;
    private readonly int _weight; // column index, or -1
    private readonly int _cluster;
    private readonly RowCache? _cache;
    private readonly Dictionary<string, long> _clusterIds = new(StringComparer.Ordinal);
    private IReadOnlyList<FactorLevels?>? _levels; // the categorical cells' codes, per value read (null without factors)
    private ModelTerms? _read; // the model with the levels met, in the order met: the codes of the rows read
    private readonly GroupColumns? _by;
    private readonly int _maxGroups;
    private readonly Dictionary<string, int> _groupIds = new(StringComparer.Ordinal);
    private readonly List<string[]> _groupValues = [];
    private readonly List<long> _groupSkipped = [];
    private long _skippedNoGroup;
    private long _skippedNoCluster; // rows left out for a missing --cluster cell (--missing skip)
    private bool _secondPass;
    private bool _clusterByValue; // a numeric --cluster column: its clusters are values (4 and 4.0 one cluster), as R's vcovCL has them

    private InferenceRows(string? file, CsvDialect dialect, CliContext context, InferenceSettings settings, ModelColumns columns, int weight, int cluster, RowCache? cache,
        GroupColumns? by = null, int maxGroups = 0)
    {
        _by = by;
        _maxGroups = maxGroups;
        _file = file;
        _dialect = dialect;
        _context = context;
        _settings = settings;
        _columns = columns;
        _weight = weight;
        _cluster = cluster;
        _cache = cache;
    }

    /// <summary>
    /// Reads the rows of <paramref name="source"/> (opened from <paramref name="file"/>, null for
    /// standard input, with <see cref="ReadDialect"/>; <paramref name="dialect"/> is the user's) into the state <paramref name="method"/> needs, weighted when asked, and
    /// keeps what the second pass will need.
    /// </summary>
    public static (RowState State, InferenceRows Rows) Read(RowSource source, string? file, CsvDialect dialect, ModelSpec spec, FitMethod method,
        InferenceSettings settings, CliContext context)
    {
        var columns = source.Resolve(spec);
        int weight = settings.Weights is { } w ? ModelColumns.Column(source.Csv, w, "--weights") : -1;
        int cluster = settings.Cluster is { } c ? ModelColumns.Column(source.Csv, c, "--cluster") : -1;
        var cache = settings.SecondPass && source.Csv.FilePath is null ? RowCache.Create(columns.Terms.RowWidth + 3) : null;
        var rows = new InferenceRows(file, dialect, context, settings, columns, weight, cluster, cache) { _clusterByValue = cluster >= 0 && !source.Csv.IsText(cluster) };
        try
        {
            var accumulator = weight >= 0 ? MomentAccumulator.CreateWeighted(columns.Terms, method) : RowState.Accumulator(columns.Terms, method);
            int width = columns.Terms.RowWidth;
            rows._levels = accumulator.RowLevels is { } levels ? [.. levels, .. new FactorLevels?[weight >= 0 ? 1 : 0]] : null;
            // poly()'s basis comes from the unweighted rows (R's model frame), weight 0 or not.
            var basis = weight >= 0 && columns.Terms.HasUnfittedPolynomials ? MomentAccumulator.CreateSharingLevels(accumulator, FitMethod.Normal) : null;
            var spill = new double[width + 3]; // the row, its weight, cluster and group (0: one fit)
            rows.Each(source.Csv, (row, w, id, _) =>
            {
                if (weight >= 0)
                {
                    accumulator.AddWeighted(row, w);
                    basis?.Add(row);
                }
                else
                {
                    accumulator.Add(row);
                }

                if (cache is not null)
                {
                    row.CopyTo(spill);
                    spill[width] = w;
                    spill[width + 1] = id;
                    cache.Add(spill);
                }
            }, clusterIds: cache is not null);
            ModelColumns.RequireRows(accumulator.Count, source.Csv.SkippedRows + rows._skippedNoCluster, source.DisplayName);
            var state = RowState.Of(accumulator, source.Csv.SkippedRows + rows._skippedNoCluster) with { PolynomialBasis = basis?.ToMoments() };
            rows._read = state.State.Terms;
            return (state, rows);
        }
        catch
        {
            rows.Dispose();
            throw;
        }
    }

    /// <summary>
    /// As <see cref="Read"/>, into one state per group of the --by columns <paramref name="by"/> (groups
    /// in the order of their first row; an empty group cell follows the user's --missing), each
    /// weighted when asked; the second pass (<see cref="Covariances"/>) gives each group its own sandwich.
    /// </summary>
    public static (GroupedRowState State, InferenceRows Rows) ReadGroups(RowSource source, string? file, CsvDialect dialect, ModelSpec spec,
        IReadOnlyList<string> by, FitMethod method, InferenceSettings settings, int maxGroups, CliContext context)
    {
        var groups = ModelColumns.ResolveBy(source.Csv, by);
        var columns = ModelColumns.ResolveGrouped(source.Csv, spec, groups);
        if (columns.Terms.HasFactors)
        {
            throw new UsageException(CliMessages.ByNotWith("--weights, --vcov or --cluster with a categorical column",
                "each group's levels are not carried through the weighted read and its second pass yet. Fit each group alone, or drop the categorical column."));
        }

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
            MomentAccumulator Create() => weight >= 0 ? MomentAccumulator.CreateWeighted(columns.Terms, method) : RowState.Accumulator(columns.Terms, method);
            var spill = new double[width + 3];
            rows.Each(source.Csv, (row, w, id, group) =>
            {
                while (accumulators.Count <= group)
                {
                    accumulators.Add(Create());
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
            }

            var states = accumulators.Select((a, g) => new GroupState(rows._groupValues[g], a.ToState(), rows._groupSkipped[g])).ToList();
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

    private delegate void RowAction(ReadOnlySpan<double> row, double weight, long cluster, int group);

    /// <summary>Reads every data row: its model values, weight (1 without --weights) and cluster number (when asked).</summary>
    private void Each(CsvSource csv, RowAction action, bool clusterIds)
    {
        int width = _columns.Terms.RowWidth;
        int[] columns = _weight >= 0 ? [.. _columns.Columns, _weight] : _columns.Columns;
        var values = new double[columns.Length];
        var cancellation = _context.Cancellation;
        long count = 0;
        RowStatus status;
        while ((status = csv.ReadRow(columns, values, _levels, _columns.Terms.Predictors.Count)) != RowStatus.End)
        {
            if ((++count & 0xFFFF) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
            }

            if (status == RowStatus.Skipped && _weight >= 0)
            {
                CheckSkipped(csv, columns);
            }

            if (status == RowStatus.Skipped && _by is not null && GroupOf(csv, counts: false) is int skippedIn and >= 0)
            {
                _groupSkipped[skippedIn]++;
            }

            if (status != RowStatus.Row)
            {
                continue;
            }

            int group = 0;
            if (_by is not null && (group = GroupOf(csv, counts: true)) < 0)
            {
                continue;
            }

            double w = 1;
            if (_weight >= 0)
            {
                w = values[width];
                if (w < 0)
                {
                    throw new InputException(CliMessages.NegativeWeight(csv.DisplayName, csv.Line, _weight + 1, csv.Header[_weight], Text(csv, _weight)));
                }
            }

            if (_cluster >= 0 && GroupColumns.IsMissing(csv.Field(_cluster), _dialect.NaValues))
            {
                // A missing cluster follows --missing as any other column the fit uses (vcovCL refuses NA clusters).
                if (_dialect.Missing != MissingPolicy.Skip)
                {
                    var text = Text(csv, _cluster);
                    throw new InputException(text.Trim().Length == 0
                        ? CliMessages.EmptyCell(csv.DisplayName, csv.Line, _cluster + 1, csv.Header[_cluster], _dialect.OffersSkip)
                        : CliMessages.MissingCell(csv.DisplayName, csv.Line, _cluster + 1, csv.Header[_cluster], text, _dialect.OffersSkip));
                }

                if (!_secondPass)
                {
                    _skippedNoCluster++;
                    if (_by is not null)
                    {
                        _groupSkipped[group]++;
                    }
                }

                continue;
            }

            long id = 0;
            if (clusterIds && _cluster >= 0)
            {
                var cell = csv.Field(_cluster);
                var key = (_clusterByValue ? GroupColumns.ValueKey(cell) : null) ?? Encoding.UTF8.GetString(cell);
                if (!_clusterIds.TryGetValue(key, out id))
                {
                    id = _clusterIds.Count;
                    _clusterIds.Add(key, id);
                }
            }

            action(values.AsSpan(0, width), w, id, group);
        }
    }

    /// <summary>
    /// With --weights the reader is opened with --missing skip (see <see cref="ReadDialect"/>), so a
    /// row with a missing cell comes here: the first missing cell of the line, in line order, is
    /// reported as the user's --missing error would have, except that a missing (or non-numeric)
    /// weight is an error under either policy.
    /// </summary>
    private void CheckSkipped(CsvSource csv, int[] columns)
    {
        foreach (int c in columns.Distinct().Order())
        {
            var text = Text(csv, c);
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v))
            {
                continue;
            }

            var trimmed = text.Trim();
            bool missing = trimmed.Length == 0 || _dialect.NaValues.Contains(trimmed);
            if (c == _weight)
            {
                throw new InputException(missing
                    ? CliMessages.MissingWeight(csv.DisplayName, csv.Line, c + 1, csv.Header[c], text)
                    : CliMessages.NotANumber(csv.DisplayName, csv.Line, c + 1, csv.Header[c], text));
            }

            if (missing && _dialect.Missing == MissingPolicy.Error)
            {
                throw new InputException(trimmed.Length == 0
                    ? CliMessages.EmptyCell(csv.DisplayName, csv.Line, c + 1, csv.Header[c], _dialect.OffersSkip)
                    : CliMessages.MissingCell(csv.DisplayName, csv.Line, c + 1, csv.Header[c], text, _dialect.OffersSkip));
            }
        }
    }

    /// <summary>
    /// The dialect to open the input with for these rows: with --weights, --missing skip whatever
    /// the user chose, so that a row with a missing cell reaches <see cref="CheckSkipped"/>, which
    /// applies the user's policy itself (a missing weight is never skipped).
    /// </summary>
    public static CsvDialect ReadDialect(CsvDialect dialect, InferenceSettings settings) =>
        settings.Weights is null ? dialect : dialect with { Missing = MissingPolicy.Skip };

    private static string Text(CsvSource csv, int column) => Encoding.UTF8.GetString(csv.Field(column));

    /// <summary>
    /// The second pass: the sandwich covariance of <paramref name="fit"/> (of the rows whose moments are <paramref name="moments"/>, in the fit's basis) that --vcov and --cluster
    /// ask for, from the rows spilled on the first pass or from the file read again. The rows' level
    /// codes (in the order the first pass met the levels) are carried to the fit's coded levels.
    /// </summary>
    public RobustCovariance Covariance(FitResult fit, Moments moments)
    {
        if (fit.UnscaledCovariance is null || fit.Penalty is not null || !fit.Converged)
        {
            throw new UsageException(CliMessages.RobustNeedsFullRank);
        }

        bool clustered = _settings.Cluster is not null;
        var sandwich = new SandwichAccumulator(fit, moments, _settings.Vcov, clustered);
        var recoding = _read is { HasFactors: true } read ? new LevelRecoding(read, fit.Terms) : null;
        SecondPass((row, w, id, _) => sandwich.Add(row, w, id), recoding);

        if (clustered && sandwich.Groups < 2)
        {
            throw new InputException(CliMessages.OneCluster(_settings.Cluster!));
        }

        return sandwich.Result(_settings.Cluster);
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
        }

        SecondPass((row, w, id, group) => sandwiches[group]?.Add(row, w, id), recoding: null);
        var result = new (RobustCovariance?, string?)[fits.Count];
        for (int g = 0; g < fits.Count; g++)
        {
            result[g] = sandwiches[g] is not { } sandwich ? (null, errors[g])
                : clustered && sandwich.Groups < 2 ? (null, CliMessages.OneCluster(_settings.Cluster!))
                : (sandwich.Result(_settings.Cluster), null);
        }

        return result;
    }

    /// <summary>
    /// Every row again, with its weight, cluster number and group: from the rows spilled on the
    /// first pass (<c>[x₁, …, x_k, y, weight, cluster, group]</c>), or from the file read again;
    /// the level codes carried through <paramref name="recoding"/> when given.
    /// </summary>
    private void SecondPass(RowAction action, LevelRecoding? recoding)
    {
        int width = _columns.Terms.RowWidth;
        _secondPass = true;
        if (_cache is { } cache)
        {
            IRowBlocks blocks = cache;
            var block = new double[blocks.BlockRows * blocks.Width];
            for (int b = 0; b < blocks.BlockCount; b++)
            {
                _context.Cancellation.ThrowIfCancellationRequested();
                int n = blocks.Read(b, block);
                for (int r = 0; r < n; r++)
                {
                    var row = block.AsSpan(r * blocks.Width, blocks.Width);
                    recoding?.Apply(row[..width]);
                    action(row[..width], row[width], (long)row[width + 1], (int)row[width + 2]);
                }
            }
        }
        else
        {
            using var again = RowSource.Open(_file, ReadDialect(_dialect, _settings), _context);
            _clusterIds.Clear();
            var coded = new double[width];
            Each(again.Csv, (row, w, id, group) =>
            {
                if (recoding is null)
                {
                    action(row, w, id, group);
                    return;
                }

                row.CopyTo(coded);
                recoding.Apply(coded);
                action(coded, w, id, group);
            }, clusterIds: true);
        }
    }

    public void Dispose() => _cache?.Dispose();
}
