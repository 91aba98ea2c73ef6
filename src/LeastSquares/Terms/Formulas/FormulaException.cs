using System.Text;

namespace LeastSquares.Terms.Formulas;

/// <summary>
/// A model formula that cannot be read: a syntax error, an unknown function, a misused operator.
/// Carries the formula text and the 0-based position of the fault so that a front end can show
/// the text with a caret under it (<see cref="Caret"/>).
/// </summary>
public sealed class FormulaException : Exception
{
    /// <summary>Creates the exception for <paramref name="formula"/> with the fault at <paramref name="position"/>.</summary>
    public FormulaException(string formula, int position, string reason)
        : base($"{reason} (at position {position})")
    {
        Formula = formula;
        Position = Math.Clamp(position, 0, formula.Length);
        Reason = reason;
    }

    /// <summary>Creates the exception.</summary>
    public FormulaException()
    {
        Formula = "";
        Reason = "";
    }

    /// <summary>Creates the exception.</summary>
    public FormulaException(string message)
        : base(message)
    {
        Formula = "";
        Reason = message;
    }

    /// <summary>Creates the exception.</summary>
    public FormulaException(string message, Exception inner)
        : base(message, inner)
    {
        Formula = "";
        Reason = message;
    }

    /// <summary>The formula as it was given.</summary>
    public string Formula { get; }

    /// <summary>0-based index (in UTF-16 code units) of the character at fault; the text length for "at the end".</summary>
    public int Position { get; }

    /// <summary>What is wrong, in a few words, without the position.</summary>
    public string Reason { get; }

    /// <summary>The column name the formula uses and the data lack, when that is the fault; null otherwise.</summary>
    public string? UnknownColumn { get; init; }

    /// <summary>The formula on one line and a caret under the fault on the next (see <see cref="RenderCaret"/>).</summary>
    public string Caret() => RenderCaret(Formula, Position);

    /// <summary>
    /// Renders <paramref name="text"/> and, on the next line, a <c>^</c> under <paramref name="position"/>.
    /// Line breaks in the text are shown as spaces so the caret stays aligned; tabs before the fault are
    /// repeated in the padding so that a terminal expands both lines alike.
    /// </summary>
    public static string RenderCaret(string text, int position)
    {
        ArgumentNullException.ThrowIfNull(text);
        position = Math.Clamp(position, 0, text.Length);
        var line = new StringBuilder(text.Length);
        var pad = new StringBuilder(position + 1);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i] is '\r' or '\n' ? ' ' : text[i];
            line.Append(c);
            if (i < position)
            {
                pad.Append(c == '\t' ? '\t' : ' ');
            }
        }

        pad.Append('^');
        return line.Append('\n').Append(pad).ToString();
    }
}
