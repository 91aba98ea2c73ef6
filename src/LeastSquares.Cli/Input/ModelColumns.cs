namespace LeastSquares.Cli.Input;

/// <summary>The model as the user stated it on the command line, before the file is looked at.</summary>
internal sealed record ModelSpec(string? Target, IReadOnlyList<string>? Features, int Degree, bool Intercept);

/// <summary>A model resolved against a file's header: its terms and the column of each row value.</summary>
internal sealed record ModelColumns(ModelTerms Terms, int[] Columns)
{
    /// <summary>Resolves <paramref name="spec"/> against the header of <paramref name="source"/>.</summary>
    public static ModelColumns Resolve(CsvSource source, ModelSpec spec)
    {
        var header = source.Header;
        int target = spec.Target is null ? header.Count - 1 : source.Resolve(spec.Target, "--target");
        List<int> features;
        if (spec.Features is null)
        {
            features = Enumerable.Range(0, header.Count).Where(i => i != target).ToList();
            if (features.Count == 0)
            {
                throw new InputException(CliMessages.NoFeatures(source.DisplayName));
            }

            // Columns used by default must be unambiguous too.
            foreach (var i in features)
            {
                source.Resolve(header[i], "--features");
            }
        }
        else
        {
            features = [];
            foreach (var name in spec.Features)
            {
                int i = source.Resolve(name, "--features");
                if (i == target)
                {
                    throw new UsageException(CliMessages.TargetIsFeature(header[i]));
                }

                if (features.Contains(i))
                {
                    throw new UsageException(CliMessages.DuplicateFeature(header[i]));
                }

                features.Add(i);
            }
        }

        source.Resolve(header[target], "--target");
        if (spec.Degree > 1 && features.Count != 1)
        {
            throw new UsageException(CliMessages.DegreeNeedsOnePredictor(features.Count));
        }

        var terms = new ModelTerms(features.Select(i => header[i]).ToArray(), header[target], spec.Degree, spec.Intercept);
        return new ModelColumns(terms, [.. features, target]);
    }

    /// <summary>Reads every row of <paramref name="source"/> into an accumulator of this model.</summary>
    public Moments Accumulate(CsvSource source, CancellationToken cancellation, Action<double[]>? onRow = null)
    {
        var moments = ReadRows(source, onRow, stop: null, cancellation);
        RequireRows(moments.Count, source.SkippedRows, source.DisplayName);
        return moments;
    }

    /// <summary>
    /// The moments of the rows <paramref name="source"/> has left, possibly none. <paramref name="stop"/>,
    /// asked now and then, ends the reading early (the result is then incomplete).
    /// </summary>
    internal Moments ReadRows(CsvSource source, Action<double[]>? onRow, Func<bool>? stop, CancellationToken cancellation)
    {
        var accumulator = MomentAccumulator.Create(Terms);
        var values = new double[Columns.Length];
        RowStatus status;
        long rows = 0;
        while ((status = source.ReadRow(Columns, values)) != RowStatus.End)
        {
            if (status == RowStatus.Row)
            {
                accumulator.Add(values);
                onRow?.Invoke(values);
            }

            if ((++rows & 0xFFFF) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
                if (stop is not null && stop())
                {
                    break;
                }
            }
        }

        return accumulator.ToMoments();
    }

    /// <summary>Throws the input error for an input without a single usable row.</summary>
    internal static void RequireRows(long rows, long skipped, string displayName)
    {
        if (rows == 0)
        {
            throw new InputException(skipped > 0
                ? $"{displayName}: every one of its {skipped} data rows has an empty cell in a model column, so no row is left to fit (--missing skip)."
                : CliMessages.NoRows(displayName));
        }
    }
}
