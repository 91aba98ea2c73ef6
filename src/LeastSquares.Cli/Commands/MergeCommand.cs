using System.CommandLine;
using System.Text;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Options;
using LeastSquares.Cli.Output;
using LeastSquares.Cli.Partials;
using LeastSquares.Cli.Solving;

namespace LeastSquares.Cli.Commands;

/// <summary>Validated settings of <c>lsq merge</c>.</summary>
internal sealed record MergeSettings
{
    /// <summary>Files of partials, one per line; '-' is standard input. Empty: standard input.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>Write the merged state as a partial again (a step of a tree reduction) instead of solving.</summary>
    public bool Partial { get; init; }

    public SolveSettings Solve { get; init; } = new();
}

/// <summary>
/// <c>lsq merge</c>: read partial fits written by <c>lsq fit --partial</c> (any number, from files
/// and standard input, one per line), combine them with <see cref="Moments.Merge"/>, and print the
/// fit as <c>lsq fit</c> would, or the merged partial.
/// </summary>
internal static class MergeCommand
{
    public static Command Create(CliContext context)
    {
        var files = new Argument<string[]>("files")
        {
            Description = "Files of partials from 'lsq fit --partial', one per line; '-' or none reads standard input",
            Arity = ArgumentArity.ZeroOrMore,
        };
        files.Validators.Add(r =>
        {
            foreach (var v in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (Operands.LooksLikeOption(v))
                {
                    r.AddError(CliMessages.UnknownOption(v));
                }
            }
        });
        var solve = new SolveOptions(FitMethod.Normal, FitMethod.GradientDescent); // merged partials carry moments: no QR factor, no rows for sgd
        var partial = new Option<bool>("--partial")
        {
            Description = "Write the merged state as one partial line (for a further merge) instead of a fit",
        };
        var command = new Command("merge", "Merge partial fits from 'lsq fit --partial' and print the fit of all their rows.")
        {
            files,
        };
        solve.AddTo(command, partial);
        CommandRunner.SetAction(command, context, parse =>
        {
            bool isPartial = parse.GetValue(partial);
            return new MergeSettings
            {
                Solve = solve.Read(parse, isPartial),
                Files = parse.GetValue(files) ?? [],
                Partial = isPartial,
            };
        }, Execute);
        return command;
    }

    /// <summary>Merges the partials of <paramref name="settings"/>; returns the exit code.</summary>
    public static int Run(MergeSettings settings, CliContext context) => CommandRunner.Run(context, () => Execute(settings, context));

    private static void Execute(MergeSettings settings, CliContext context)
    {
        if (settings.Partial)
        {
            ResultWriter.CheckTargets(settings.Solve.OutputPath);
        }
        else
        {
            SolveStep.Preflight(settings.Solve);
        }

        var sources = settings.Files.Count == 0 ? ["-"] : settings.Files;
        if (sources.Count(s => s == "-") > 1)
        {
            throw new UsageException(CliMessages.StdinTwice);
        }

        Moments? merged = null;
        GroupMerge? groups = null; // partials of a fit per group (--by): merged per group
        string firstWhere = "";
        IReadOnlyList<Fold>? folds = null;
        long skipped = 0;
        foreach (var source in sources)
        {
            string display = InputFile.DisplayName(source);
            using var reader = Open(source, context);
            long lineNumber = 0;
            while (ReadLine(reader, display) is { } line)
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                string where = $"{display}:{lineNumber}";
                var partial = PartialJson.Parse(line, where);
                if ((partial.Group is not null) != (groups is not null) && merged is not null)
                {
                    throw new InputException(CliMessages.PartialGroupingDiffers(where, firstWhere));
                }

                if (partial.Group is not null)
                {
                    if (merged is null)
                    {
                        firstWhere = where;
                    }
                    else
                    {
                        CheckSameModel(merged.Terms, firstWhere, partial.Moments.Terms, where);
                    }

                    groups ??= new GroupMerge([.. partial.Group.Select(p => p.Key)], firstWhere);
                    groups.Add(partial, where);
                    merged ??= partial.Moments;
                }
                else if (merged is null)
                {
                    merged = partial.Moments;
                    firstWhere = where;
                    folds = partial.Folds;
                }
                else
                {
                    CheckSameModel(merged.Terms, firstWhere, partial.Moments.Terms, where);
                    if ((merged.Weights is null) != (partial.Moments.Weights is null))
                    {
                        throw new InputException(CliMessages.WeightedMix(merged.Weights is null ? where : firstWhere, merged.Weights is null ? firstWhere : where));
                    }

                    merged = Moments.Merge(merged, partial.Moments);
                    // Folds survive only when every partial carries them.
                    folds = folds is not null && partial.Folds is not null ? Fold.Merge(folds, partial.Folds) : null;
                }

                skipped += partial.SkippedRows;
                if ((lineNumber & 0x3FF) == 0)
                {
                    context.Cancellation.ThrowIfCancellationRequested();
                }
            }
        }

        var names = string.Join(", ", sources.Select(InputFile.DisplayName));
        if (merged is null && settings.Partial)
        {
            // Merging no partials gives no partial: a reducer of a tree reduction that received
            // nothing (Hadoop runs every reducer) must not fail the job. A final merge still does.
            ErrorReporter.Warn(context.Stderr, settings.Solve.Quiet, CliMessages.NothingToMerge(names));
            return;
        }

        if (merged is null)
        {
            throw new InputException(CliMessages.NoPartials(names));
        }

        if (groups is not null)
        {
            groups.Finish(settings, skipped, context);
            return;
        }

        if (settings.Partial)
        {
            ResultWriter.PrintPartial(merged, skipped, settings.Solve.OutputPath, context, folds);
            return;
        }

        if (skipped > 0)
        {
            ErrorReporter.Warn(context.Stderr, settings.Solve.Quiet, CliMessages.SkippedRows(skipped, "the partials' inputs"));
        }

        var state = new RowState(merged, skipped) { Folds = folds };
        var (fit, solver) = SolveStep.Solve(state, settings.Solve, context);
        ResultWriter.Print(fit, solver, skipped, settings.Solve, context);
    }

    /// <summary>Partials of a fit per group, merged per group in the order each group first appears.</summary>
    private sealed class GroupMerge(IReadOnlyList<string> by, string firstWhere)
    {
        private readonly List<GroupState> _groups = [];
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

        public void Add(Partial partial, string where)
        {
            var columns = partial.Group!.Select(p => p.Key).ToList();
            if (!columns.SequenceEqual(by))
            {
                throw new InputException(CliMessages.PartialModelDiffers(where, "--by columns", string.Join(", ", columns), firstWhere, string.Join(", ", by)));
            }

            var values = partial.Group!.Select(p => p.Value).ToList();
            var key = GroupTable.KeyOf(values);
            if (_index.TryGetValue(key, out int at))
            {
                var old = _groups[at];
                _groups[at] = old with { State = old.State.Merge(partial.Moments), Skipped = old.Skipped + partial.SkippedRows };
            }
            else
            {
                _index[key] = _groups.Count;
                _groups.Add(new GroupState(values, partial.Moments, partial.SkippedRows));
            }
        }

        public void Finish(MergeSettings settings, long skipped, CliContext context)
        {
            var output = settings.Solve;
            if (settings.Partial)
            {
                var lines = new StringBuilder();
                foreach (var g in _groups)
                {
                    lines.Append(PartialJson.Serialize(g.State.ToMoments(), g.Skipped, LsqApp.Version, group: GroupedFit.Pairs(by, g.Values)));
                }

                ResultWriter.Write(lines.ToString(), output.OutputPath, context);
                return;
            }

            if (skipped > 0)
            {
                ErrorReporter.Warn(context.Stderr, output.Quiet, CliMessages.SkippedRows(skipped, "the partials' inputs"));
            }

            GroupedWriter.Print(by, GroupedFit.Solve(by, _groups, output, context), output, context);
        }
    }

    private static StreamReader Open(string source, CliContext context) =>
        new(InputFile.IsStdin(source) ? context.OpenStdin() : InputFile.Open(source), Encoding.UTF8);

    private static string? ReadLine(StreamReader reader, string display)
    {
        try
        {
            return reader.ReadLine();
        }
        catch (IOException e)
        {
            throw new InputException(CliMessages.Unreadable(display, e.Message));
        }
    }

    /// <summary>Names the first property in which two partials' models differ, or returns when they agree.</summary>
    private static void CheckSameModel(ModelTerms first, string firstWhere, ModelTerms other, string where)
    {
        static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => "'" + n + "'"));
        (string What, string Value, string FirstValue)? difference =
            !other.Predictors.SequenceEqual(first.Predictors) ? ("predictors", Names(other.Predictors), Names(first.Predictors))
            : other.Target != first.Target ? ("target", Names([other.Target]), Names([first.Target]))
            : other.Degree != first.Degree ? ("degree", Output.Numbers.Integer(other.Degree), Output.Numbers.Integer(first.Degree))
            : other.Intercept != first.Intercept ? ("intercept", Intercept(other), Intercept(first))
            : other.Formula != first.Formula ? ("formula", other.Formula ?? "none", first.Formula ?? "none")
            : null;
        if (difference is { } d)
        {
            throw new InputException(CliMessages.PartialModelDiffers(where, d.What, d.Value, firstWhere, d.FirstValue));
        }

        static string Intercept(ModelTerms t) => t.Intercept ? "on" : "off (--no-intercept)";
    }
}
