using System.Buffers;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Output;
using LeastSquares.Statistics;

namespace LeastSquares.Cli.Commands;

/// <summary>What <c>--interval</c> adds after the prediction (R's <c>predict.lm(interval =)</c>).</summary>
internal enum PredictInterval
{
    None,
    Confidence,
    Prediction,
}

/// <summary>
/// The numbers <c>lsq predict</c> writes for one row: the prediction, then with an interval its
/// lower and upper ends, then with diagnostics the residual, leverage, standardized residual and
/// Cook's distance. One per thread (it keeps a buffer of the row's features).
/// </summary>
internal sealed class RowPredictor
{
    private readonly LinearModel _model;
    private readonly Influence? _influence;
    private readonly PredictInterval _interval;
    private readonly bool _diagnostics;
    private readonly int _predictors;
    private readonly double[] _features;
    private readonly double _tQuantile;
    private readonly double[] _results;
    private bool _missingPredictor; // the row has a missing predictor (--missing na): NA everywhere
    private bool _missingTarget; // --diagnostics with the row's target missing: NA diagnostics

    /// <summary>Creates the predictor; <paramref name="tQuantile"/> is the intervals' t(1 − (1 − level)/2, n − p).</summary>
    public RowPredictor(LinearModel model, Influence? influence, double tQuantile, PredictInterval interval, bool diagnostics)
    {
        _model = model;
        _influence = influence;
        _tQuantile = tQuantile;
        _interval = interval;
        _diagnostics = diagnostics;
        _predictors = model.Terms.Predictors.Count;
        _features = new double[model.Terms.CoefficientCount];
        _results = new double[Count];
        if ((interval != PredictInterval.None || diagnostics) && influence is null)
        {
            throw new ArgumentException("Intervals and diagnostics need the fit's covariance.", nameof(influence));
        }
    }

    /// <summary>The names of the columns written, in order.</summary>
    public IReadOnlyList<string> Names =>
    [
        PredictCommand.PredictionColumn,
        .. _interval != PredictInterval.None ? new[] { "lower", "upper" } : [],
        .. _diagnostics ? new[] { "residual", "leverage", "std_residual", "cooks_distance" } : [],
    ];

    /// <summary>Number of values per row.</summary>
    public int Count => 1 + (_interval != PredictInterval.None ? 2 : 0) + (_diagnostics ? 4 : 0);

    /// <summary>A predictor with its own buffers, for another thread.</summary>
    public RowPredictor Clone() => new(_model, _influence, _tQuantile, _interval, _diagnostics);

    /// <summary>
    /// Computes the row's values (<paramref name="values"/> holds the predictors, then with
    /// diagnostics the target) for <see cref="Write"/>; false, with nothing to write, when the
    /// prediction or its interval is not a finite number: a transform outside its domain (log(0),
    /// log(-1)) or a sum beyond ±1.8e308.
    /// lsq fit refuses such a row, and so does predict (an input error naming the row).
    /// </summary>
    public bool Compute(ReadOnlySpan<double> values)
    {
        var predictors = values[.._predictors];
        _missingPredictor = HasNaN(predictors);
        _missingTarget = _diagnostics && double.IsNaN(values[_predictors]);
        if (_missingPredictor)
        {
            return true; // --missing na: nothing to compute, NA is written
        }

        double prediction = _model.Predict(predictors);
        _results[0] = prediction;
        if (_influence is { } influence)
        {
            influence.Features(predictors, _features);
            double h = influence.Leverage(_features);
            int k = 1;
            if (_interval != PredictInterval.None)
            {
                (_results[1], _results[2]) = _interval == PredictInterval.Confidence
                    ? influence.ConfidenceInterval(prediction, h, _tQuantile)
                    : influence.PredictionInterval(prediction, h, _tQuantile);
                k = 3;
            }

            if (_diagnostics)
            {
                double residual = _model.Terms.ResponseOf(values[_predictors]) - prediction; // log(y) ~ …: the transformed response
                double standardized = influence.StandardizedResidual(residual, h);
                _results[k] = residual;
                _results[k + 1] = h;
                _results[k + 2] = standardized;
                _results[k + 3] = Influence.CooksDistance(standardized, h, influence.Rank);
            }
        }

        // The diagnostics may be NaN as R's are (rstandard at a leverage of 1); the prediction and its interval may not.
        int checkedValues = _interval != PredictInterval.None ? 3 : 1;
        for (int k = 0; k < checkedValues; k++)
        {
            if (!double.IsFinite(_results[k]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the last row <see cref="Compute"/> saw had a missing predictor (written as NA).</summary>
    public bool MissingPredictor => _missingPredictor;

    private static bool HasNaN(ReadOnlySpan<double> values)
    {
        foreach (double v in values)
        {
            if (double.IsNaN(v))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first value <see cref="Compute"/> found not finite, and its column's name.</summary>
    public (string Name, double Value) NotFinite()
    {
        var names = Names;
        int k = Array.FindIndex(_results, v => !double.IsFinite(v)); // the prediction or an end of its interval
        return (names[k], _results[k]);
    }

    /// <summary>Writes the values <see cref="Compute"/> found finite.</summary>
    public void Write(CsvBytes output)
    {
        int diagnosticsFrom = _results.Length - (_diagnostics ? 4 : 0);
        for (int k = 0; k < _results.Length; k++)
        {
            if (_missingPredictor || (_missingTarget && k >= diagnosticsFrom))
            {
                output.Field("NA"u8); // R's NA, as write.csv writes it
            }
            else
            {
                output.Number(_results[k]);
            }
        }
    }

    /// <summary>
    /// The input error of a row whose values are not finite (after <see cref="Compute"/> returned false):
    /// at <paramref name="file"/>:<paramref name="line"/>, with the row's predictor values.
    /// </summary>
    public InputException NotFiniteError(string file, long line, ReadOnlySpan<double> values)
    {
        var (name, value) = NotFinite();
        var predictors = _model.Terms.Predictors;
        var cells = new List<string>();
        for (int j = 0; j < predictors.Count; j++)
        {
            if (!_model.Terms.Factors.ContainsKey(predictors[j])) // a level is a code here: the numbers tell
            {
                cells.Add(predictors[j] + " = " + CliMessages.Num(values[j]));
            }
        }

        return new InputException(CliMessages.PredictionNotFinite(file, line, name, value, cells));
    }
}

/// <summary>
/// One pass of <c>lsq predict</c> over rows: the fast way over plain lines of bytes (split by
/// <see cref="PlainRecord"/>, the fields copied as they are), and from the first line it does not
/// take, the CSV reader. Both write each record with the same rules, so the output does not depend
/// on which one read a line, nor on how the file was cut into parts.
/// </summary>
internal sealed class PredictPass
{
    private readonly RowPredictor _predictor;
    private readonly int[] _columns;
    private readonly int _fieldCount;
    private readonly byte _separator;
    private readonly bool _only;
    private readonly bool _rowNames;
    private readonly bool _plain;
    private readonly IReadOnlyList<FactorLevels?>? _levels;
    private readonly int[]? _slots;
    private readonly SearchValues<byte> _fieldEnds;
    private readonly double[] _values;
    private byte[] _unquoted = new byte[256];
    private readonly long[] _missingRows; // shared by the clones of a pass (one per thread)

    /// <param name="rowNames">With <paramref name="only"/>: the first field holds R's row names and is written before the prediction.</param>
    /// <param name="plain">False when the fast reader of plain lines cannot read the numbers (decimal commas): every line goes through the CSV reader.</param>
    /// <param name="levels">Per column, the saved levels of a factor (its cells read as their codes); null without factors.</param>
    public PredictPass(RowPredictor predictor, int[] columns, int fieldCount, char separator, bool only, bool rowNames = false, bool plain = true,
        IReadOnlyList<FactorLevels?>? levels = null)
        : this(predictor, columns, fieldCount, separator, only, rowNames, plain, levels, new long[1])
    {
    }

    private PredictPass(RowPredictor predictor, int[] columns, int fieldCount, char separator, bool only, bool rowNames, bool plain,
        IReadOnlyList<FactorLevels?>? levels, long[] missingRows)
    {
        _missingRows = missingRows;
        _levels = levels;
        _predictor = predictor;
        _columns = columns;
        _fieldCount = fieldCount;
        _separator = (byte)separator;
        _only = only;
        _rowNames = only && rowNames;
        _plain = plain;
        _slots = plain && levels is null && !_rowNames && PlainRecord.CanSplit(separator) ? PlainRecord.SlotsOf(fieldCount, columns) : null;
        _fieldEnds = PlainRecord.FieldEnds((byte)separator);
        _values = new double[columns.Length];
    }

    /// <summary>A pass with its own buffers, for another thread.</summary>
    public PredictPass Clone() => new(_predictor.Clone(), _columns, _fieldCount, (char)_separator, _only, _rowNames, _plain, _levels, _missingRows);

    /// <summary>Rows written with an NA prediction for a missing predictor (--missing na), over this pass and its clones.</summary>
    public long MissingRows => Interlocked.Read(ref _missingRows[0]);

    /// <summary>
    /// Reads plain lines from <paramref name="stream"/> (which starts at a record) into
    /// <paramref name="output"/>, telling <paramref name="onRecords"/> after each buffer; stops at
    /// the end, or at the first line it does not take (<see cref="PlainReadEnd.Handover"/>, with its
    /// offset in the stream).
    /// </summary>
    public PlainReadResult Fast(Stream stream, CsvBytes output, Action? onRecords, CancellationToken cancellation)
    {
        if (_slots is not { } slots)
        {
            return new PlainReadResult(PlainReadEnd.Handover, 0, 0);
        }

        var lines = new Lines(this, slots, output, onRecords);
        return PlainLines.Read(stream, ref lines, stop: null, keepRest: false, cancellation);
    }

    /// <summary>Each plain line echoed (unless --only) with its prediction; a blank line gives a blank line, so that predictions stay beside their rows.</summary>
    private readonly struct Lines(PredictPass pass, int[] slots, CsvBytes output, Action? onRecords) : IPlainLines
    {
        public LineTaken Line(byte[] buffer, ref int position)
        {
            int lineStart = position;
            if (buffer[position] == (byte)'\n' || (buffer[position] == (byte)'\r' && buffer[position + 1] == (byte)'\n'))
            {
                position += buffer[position] == (byte)'\n' ? 1 : 2;
                output.End();
                return LineTaken.Other;
            }

            if (!PlainRecord.TryParse(buffer, ref position, pass._separator, slots, pass._fieldEnds, pass._values))
            {
                return LineTaken.Handover;
            }

            if (!pass._predictor.Compute(pass._values))
            {
                return LineTaken.Handover; // the CSV reader reports the row, with its line
            }

            int lineEnd = position - (buffer[position - 2] == (byte)'\r' ? 2 : 1);
            if (!pass._only)
            {
                pass.Echo(buffer.AsSpan(lineStart, lineEnd - lineStart), output);
            }

            pass._predictor.Write(output);
            output.End();
            return LineTaken.Row;
        }

        public void EndOfBuffer() => onRecords?.Invoke();

        public void Done()
        {
        }
    }

    /// <summary>The rows <paramref name="source"/> has left, through the CSV reader, telling <paramref name="onRecords"/> now and then.</summary>
    public void Slow(CsvSource source, CsvBytes output, Action? onRecords, CancellationToken cancellation)
    {
        RowStatus status;
        long count = 0;
        while ((status = source.ReadRow(_columns, _values, _levels)) != RowStatus.End)
        {
            if (status == RowStatus.Blank)
            {
                output.End();
            }
            else
            {
                if (!_predictor.Compute(_values))
                {
                    throw _predictor.NotFiniteError(source.DisplayName, source.Line, _values);
                }

                if (_predictor.MissingPredictor)
                {
                    Interlocked.Increment(ref _missingRows[0]);
                }

                if (!_only)
                {
                    for (int i = 0; i < _fieldCount; i++)
                    {
                        output.Field(source.Field(i));
                    }
                }
                else if (_rowNames)
                {
                    // Each prediction beside its row's name, as R prints predict()'s named vector.
                    output.Field(source.Field(0));
                }

                _predictor.Write(output);
                output.End();
            }

            if ((++count & 0x3FF) == 0)
            {
                onRecords?.Invoke();
                if ((count & 0xFFFF) == 0)
                {
                    cancellation.ThrowIfCancellationRequested();
                }
            }
        }

        onRecords?.Invoke();
    }

    /// <summary>
    /// Writes the fields of a plain line (without its line break) as the CSV reader would give
    /// them: the line as it is when it is comma-separated without quotes, otherwise field by field.
    /// </summary>
    private void Echo(ReadOnlySpan<byte> line, CsvBytes output)
    {
        if (line.IndexOf((byte)'"') < 0) // the output is separated as the input is
        {
            output.Fields(line);
            return;
        }

        int at = 0;
        for (int f = 0; f < _fieldCount; f++)
        {
            var rest = line[at..];
            if (!rest.IsEmpty && rest[0] == (byte)'"')
            {
                // Closed on this line (the splitter took it): "" inside stands for one quote.
                int length = PlainRecord.QuotedLength(rest);
                var inner = rest[1..(length - 1)];
                if (_unquoted.Length < inner.Length)
                {
                    _unquoted = new byte[Math.Max(inner.Length, 2 * _unquoted.Length)];
                }

                int n = 0;
                for (int i = 0; i < inner.Length; i++)
                {
                    _unquoted[n++] = inner[i];
                    if (inner[i] == (byte)'"')
                    {
                        i++;
                    }
                }

                output.Field(_unquoted.AsSpan(0, n));
                at += length + 1;
            }
            else
            {
                int end = rest.IndexOf(_separator);
                if (end < 0)
                {
                    end = rest.Length;
                }

                output.Field(rest[..end]);
                at += end + 1;
            }
        }
    }
}
