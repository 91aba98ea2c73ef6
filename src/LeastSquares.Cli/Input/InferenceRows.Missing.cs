using System.Globalization;
using System.Text;
using LeastSquares.Cli.Options;

namespace LeastSquares.Cli.Input;

/// <summary>The rule for missing cells of the rows inference reads: the model's, the weight's and the cluster's.</summary>
internal sealed partial class InferenceRows
{
    private long _skippedNoCluster; // rows left out for a missing --cluster cell (--missing skip)

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
    /// A missing --cluster cell follows --missing as any other column the fit uses (vcovCL refuses
    /// NA clusters): an input error naming it under --missing error; else true, the row left out
    /// (counted on the first pass, in its group's count too).
    /// </summary>
    private bool LeavesOutMissingCluster(CsvSource csv, int group)
    {
        if (!GroupColumns.IsMissing(csv.Field(_cluster), _dialect.NaValues))
        {
            return false;
        }

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

        return true;
    }
}
