namespace LeastSquares.Terms.Formulas;

/// <summary>
/// Turns formula text into a tree with R's operator precedence (from loosest to tightest:
/// <c>~</c>; binary <c>+ -</c>; <c>* /</c>; <c>%in%</c>; <c>:</c>; unary <c>+ -</c>; <c>^</c>, which is
/// right-associative). The tree is the same for the formula level and inside functions; the meaning
/// of the operators is given later (term algebra at the formula level, arithmetic inside calls).
/// </summary>
internal sealed class Parser
{
    private const int TildePower = 5;
    private const int UnaryPower = 50;

    private readonly string _text;
    private readonly List<Token> _tokens;
    private int _next;

    private Parser(string text)
    {
        _text = text;
        _tokens = Lexer.Tokenize(text);
    }

    /// <summary>Parses <c>[lhs] ~ rhs</c>; the left side is null when the formula starts with <c>~</c>.</summary>
    public static (Node? Lhs, Node Rhs, int TildePosition) ParseFormula(string text)
    {
        var parser = new Parser(text);
        return parser.Formula();
    }

    private Token Peek => _tokens[_next];

    private (Node? Lhs, Node Rhs, int TildePosition) Formula()
    {
        if (Peek.Kind == TokenKind.End)
        {
            throw Fail(0, "empty formula: expected 'response ~ terms'");
        }

        Node? lhs = null;
        if (!IsOperator(Peek, "~"))
        {
            lhs = Expression(TildePower, null);
        }

        var tilde = Peek;
        if (!IsOperator(tilde, "~"))
        {
            if (tilde.Kind == TokenKind.End)
            {
                throw Fail(tilde.Position, "no '~': a formula is 'response ~ terms'");
            }

            throw Unexpected(tilde);
        }

        _next++;
        var rhs = Expression(TildePower, tilde);
        var after = Peek;
        if (IsOperator(after, "~"))
        {
            throw Fail(after.Position, "a second '~': a formula has one '~' between the response and the terms");
        }

        if (after.Kind != TokenKind.End)
        {
            throw Unexpected(after);
        }

        return (lhs, rhs, tilde.Position);
    }

    /// <summary>Pratt loop: an operand, then every binary operator that binds tighter than <paramref name="minPower"/>.</summary>
    private Node Expression(int minPower, Token? pending)
    {
        var left = Prefix(pending);
        while (true)
        {
            var op = Peek;
            if (op.Kind != TokenKind.Operator || op.Text == "~")
            {
                return left;
            }

            var (power, rightAssoc) = Binding(op.Text);
            if (power <= minPower)
            {
                return left;
            }

            _next++;
            var right = Expression(rightAssoc ? power - 1 : power, op);
            left = new BinaryNode(op.Text, op.Position, left, right);
        }
    }

    private static (int Power, bool RightAssoc) Binding(string op) => op switch
    {
        "+" or "-" => (10, false),
        "*" or "/" => (20, false),
        "%in%" => (30, false),
        ":" => (40, false),
        "^" => (60, true),
        _ => throw new InvalidOperationException(op),
    };

    /// <summary>An operand; <paramref name="pending"/> is the operator waiting for it (to blame when none follows).</summary>
    private Node Prefix(Token? pending)
    {
        var token = Peek;
        switch (token.Kind)
        {
            case TokenKind.Number:
                _next++;
                return new NumberNode(token.Position, token.Value, token.IsInteger);
            case TokenKind.Name:
                _next++;
                if (Peek.Kind == TokenKind.Open && !token.Backquoted)
                {
                    return Call(token);
                }

                if (token.Text == "." && !token.Backquoted)
                {
                    return new DotNode(token.Position);
                }

                return new NameNode(token.Position, token.Text, !token.Backquoted && Deparser.IsReservedWord(token.Text));
            case TokenKind.Open:
                _next++;
                var inner = Expression(0, token);
                if (Peek.Kind != TokenKind.Close)
                {
                    if (Peek.Kind == TokenKind.End || IsOperator(Peek, "~"))
                    {
                        throw Fail(token.Position, "unbalanced parentheses: this '(' is never closed");
                    }

                    throw Unexpected(Peek);
                }

                _next++;
                return new ParenNode(token.Position, inner);
            case TokenKind.Operator when token.Text is "-" or "+":
                _next++;
                var operand = Expression(UnaryPower, token);
                return new UnaryNode(token.Position, token.Text[0], operand);
            case TokenKind.End:
                if (pending is { } p)
                {
                    throw Fail(p.Position, $"'{p.Text}' has nothing after it");
                }

                throw Fail(token.Position, "unexpected end of the formula");
            case TokenKind.Operator:
                throw Fail(token.Position, pending is { Kind: TokenKind.Operator } p2 && p2.Text != "~"
                    ? $"'{token.Text}' follows '{p2.Text}' with no term between them"
                    : $"'{token.Text}' has no term before it");
            case TokenKind.Close or TokenKind.Comma when pending is { Kind: TokenKind.Operator } op:
                throw Fail(op.Position, $"'{op.Text}' has nothing after it");
            case TokenKind.Close when pending is { Kind: TokenKind.Open } open:
                throw Fail(open.Position, "empty parentheses");
            default:
                throw Unexpected(token);
        }
    }

    private CallNode Call(Token name)
    {
        var open = Peek;
        _next++;
        var arguments = new List<Argument>();
        if (Peek.Kind == TokenKind.Close)
        {
            int closeAt = Peek.Position;
            _next++;
            return new CallNode(name.Position, name.Text, arguments, closeAt);
        }

        while (true)
        {
            string? argName = null;
            int argPosition = Peek.Position;
            if (Peek.Kind == TokenKind.Name && _tokens[_next + 1].Kind == TokenKind.Equals)
            {
                argName = Peek.Text;
                _next += 2;
            }
            else if (Peek.Kind is TokenKind.Comma or TokenKind.Close)
            {
                throw Fail(Peek.Position, $"empty argument in {name.Text}()");
            }

            var pendingToken = argName is null ? open : _tokens[_next - 1];
            var value = Expression(0, pendingToken);
            arguments.Add(new Argument(argName, argPosition, value));
            var sep = Peek;
            if (sep.Kind == TokenKind.Comma)
            {
                _next++;
                continue;
            }

            if (sep.Kind == TokenKind.Close)
            {
                _next++;
                return new CallNode(name.Position, name.Text, arguments, sep.Position);
            }

            if (sep.Kind == TokenKind.End || IsOperator(sep, "~"))
            {
                throw Fail(open.Position, $"unbalanced parentheses: the '(' of {name.Text}( is never closed");
            }

            throw Unexpected(sep);
        }
    }

    private static bool IsOperator(Token token, string op) => token.Kind == TokenKind.Operator && token.Text == op;

    private FormulaException Unexpected(Token token) => token.Kind switch
    {
        TokenKind.Close => Fail(token.Position, "unbalanced parentheses: ')' without a matching '('"),
        TokenKind.Comma => Fail(token.Position, "unexpected ',' outside a function's arguments"),
        TokenKind.Equals => Fail(token.Position, "unexpected '=': '=' only names an argument, as in raw = TRUE"),
        TokenKind.Name or TokenKind.Number or TokenKind.Open =>
            Fail(token.Position, $"missing operator before '{(token.Backquoted ? "`" + token.Text + "`" : token.Text)}'"),
        _ => Fail(token.Position, $"unexpected '{token.Text}'"),
    };

    private FormulaException Fail(int position, string reason) => new(_text, position, reason);
}
