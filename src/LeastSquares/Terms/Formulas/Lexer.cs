using System.Globalization;

namespace LeastSquares.Terms.Formulas;

internal enum TokenKind
{
    Number,
    Name,
    Operator,
    Open,
    Close,
    Comma,
    Equals,
    End,
}

/// <summary>A token; <see cref="Text"/> is the name (without backquotes), the operator or the literal as written.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position, double Value = 0, bool IsInteger = false, bool Backquoted = false);

/// <summary>Splits a formula into R's tokens: numbers, names (plain or backquoted), operators and punctuation.</summary>
internal static class Lexer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            int start = i;
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(ReadNumber(text, ref i));
            }
            else if (char.IsLetter(c) || c == '.')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '.' or '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Name, text[start..i], start));
            }
            else if (c == '`')
            {
                int close = text.IndexOf('`', i + 1);
                if (close < 0)
                {
                    throw new FormulaException(text, start, "unterminated backquoted name: no closing `");
                }

                if (close == i + 1)
                {
                    throw new FormulaException(text, start, "empty backquoted name");
                }

                tokens.Add(new Token(TokenKind.Name, text[(i + 1)..close], start, Backquoted: true));
                i = close + 1;
            }
            else if (c == '%')
            {
                int close = text.IndexOf('%', i + 1);
                if (close < 0)
                {
                    throw new FormulaException(text, start, "unexpected character '%'");
                }

                string op = text[i..(close + 1)];
                if (op != "%in%")
                {
                    throw new FormulaException(text, start, $"unknown operator '{op}'; the formula operators are + - * / ^ : %in%");
                }

                tokens.Add(new Token(TokenKind.Operator, op, start));
                i = close + 1;
            }
            else
            {
                var kind = c switch
                {
                    '+' or '-' or '*' or '/' or '^' or ':' or '~' => TokenKind.Operator,
                    '(' => TokenKind.Open,
                    ')' => TokenKind.Close,
                    ',' => TokenKind.Comma,
                    '=' => TokenKind.Equals,
                    _ => TokenKind.End,
                };
                if (kind == TokenKind.End)
                {
                    throw new FormulaException(text, start, $"unexpected character '{c}'");
                }

                tokens.Add(new Token(kind, c.ToString(), start));
                i++;
            }
        }

        tokens.Add(new Token(TokenKind.End, "", text.Length));
        return tokens;
    }

    private static Token ReadNumber(string text, ref int i)
    {
        int start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            int mark = i;
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            if (i >= text.Length || !char.IsAsciiDigit(text[i]))
            {
                throw new FormulaException(text, mark, "malformed number: exponent without digits");
            }

            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        string literal = text[start..i];
        double value = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
        bool isInteger = false;
        if (i < text.Length && text[i] == 'L')
        {
            isInteger = value == Math.Floor(value) && Math.Abs(value) <= int.MaxValue;
            i++;
        }

        if (i < text.Length && (char.IsLetter(text[i]) || text[i] is '_' or '.'))
        {
            throw new FormulaException(text, start, $"malformed number or name '{text[start..(i + 1)]}'; backquote a name that starts with a digit");
        }

        return new Token(TokenKind.Number, literal, start, value, isInteger);
    }
}
