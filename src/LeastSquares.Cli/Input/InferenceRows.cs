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
/// <para>Its other jobs, one file each: the clusters' keys (<c>InferenceRows.Clusters.cs</c>), the
/// rule for missing cells (<c>InferenceRows.Missing.cs</c>) and --by's groups, each with its own
/// levels and sandwich (<c>InferenceRows.Groups.cs</c>).</para>
/// </remarks>
internal sealed partial class InferenceRows : IDisposable
{
    private readonly string? _file;
    private readonly CsvDialect _dialect;
    private readonly CliContext _context;
    private readonly InferenceSettings _settings;
    private readonly ModelColumns _columns;
    private readonly int _weight; // column index, or -1
    private readonly int _cluster;
    private readonly RowCache? _cache;
    private IReadOnlyList<FactorLevels?>? _levels; // the categorical cells' codes, per value read (null without factors)
    private ModelTerms? _read; // the model with the levels met, in the order met: the codes of the rows read
    private readonly GroupColumns? _by;
    private readonly int _maxGroups;
    private bool _secondPass;

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

            if (_cluster >= 0 && LeavesOutMissingCluster(csv, group))
            {
                continue;
            }

            long id = clusterIds && _cluster >= 0 ? ClusterId(csv) : 0;
            action(values.AsSpan(0, width), w, id, group);
        }
    }

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
