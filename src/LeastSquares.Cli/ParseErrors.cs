using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Parsing;

namespace LeastSquares.Cli;

/// <summary>
/// Turns System.CommandLine's parse errors into the one line lsq prints: the mistake that matters
/// most (an unknown option before the "unrecognized" file it displaced, say), naming the option or
/// value at fault and what is allowed.
/// </summary>
internal static class ParseErrors
{
    public static string Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;

        // An unknown option, wherever the parser put it: among the unmatched tokens, or taken for
        // the input file (then the real file shows up as "unrecognized" and must not be blamed).
        var unknownOption = parse.UnmatchedTokens.FirstOrDefault(IsOptionLike)
            ?? parse.CommandResult.Children.OfType<ArgumentResult>()
                .SelectMany(a => a.Tokens).Select(t => t.Value).FirstOrDefault(IsOptionLike);
        if (unknownOption is not null)
        {
            return CliMessages.UnknownOption(unknownOption, OptionNames(command));
        }

        if (command is RootCommand && parse.UnmatchedTokens.Count > 0)
        {
            return CliMessages.UnknownCommand(parse.UnmatchedTokens[0], [.. command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)]);
        }

        foreach (var error in parse.Errors)
        {
            if (error.SymbolResult is OptionResult option && Describe(option) is { } message)
            {
                return message;
            }
        }

        if (parse.UnmatchedTokens.Count > 0)
        {
            var one = command.Arguments.Count == 1 && command.Arguments[0].Arity.MaximumNumberOfValues == 1;
            return $"unexpected argument '{parse.UnmatchedTokens[0]}'" + (one ? $": lsq {command.Name} reads one input file." : ".");
        }

        // Anything else (a required option missing) in the parser's own words, on one line.
        var first = parse.Errors[0].Message;
        return first.Split('\n')[0].Trim();
    }

    /// <summary>A required option left out, a value an option cannot take, a missing value, or an option given twice; null for anything else.</summary>
    private static string? Describe(OptionResult result)
    {
        var option = result.Option;
        var choices = Choices(option);
        if (result.IdentifierToken is null)
        {
            return $"{option.Name} is required: give {option.Name} {option.HelpName ?? "VALUE"}.";
        }

        var name = result.IdentifierToken.Value;
        if (result.Tokens.Count == 0)
        {
            return NeedsValue(name, option) + ".";
        }

        if (result.Tokens.Count > 1 && option.Arity.MaximumNumberOfValues == 1)
        {
            return $"{name} is given more than once ({string.Join(", ", result.Tokens.Select(t => "'" + t.Value + "'"))}); give it once.";
        }

        if (choices.Count > 0 && result.Tokens.Count == 1 && !choices.Contains(result.Tokens[0].Value, StringComparer.Ordinal))
        {
            return CliMessages.UnknownValue(name, result.Tokens[0].Value, choices);
        }

        return null;
    }

    /// <summary>
    /// An option whose value was left out, so that the parser took the next option for it
    /// (<c>-m --summary</c>: the method would be "--summary" and the summary lost); null when
    /// every option's value is a value.
    /// </summary>
    public static string? OptionTakenAsValue(ParseResult parse)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { "--help", "-h", "-?" };
        foreach (var option in parse.CommandResult.Command.Options)
        {
            names.Add(option.Name);
            names.UnionWith(option.Aliases);
        }

        foreach (var result in parse.CommandResult.Children.OfType<OptionResult>())
        {
            if (result.IdentifierToken is { } id && result.Tokens.FirstOrDefault(t => names.Contains(t.Value)) is { } taken)
            {
                return $"{NeedsValue(id.Value, result.Option)}. ('{taken.Value}' after it is an option, not its value.)";
            }
        }

        return null;
    }

    /// <summary>Every name and alias of the options of <paramref name="command"/> (its own and those it inherits, such as --help).</summary>
    private static List<string> OptionNames(Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            foreach (var option in c.Options.Where(o => !o.Hidden && (c == command || o.Recursive)))
            {
                names.Add(option.Name);
                names.AddRange(option.Aliases);
            }
        }

        return names;
    }

    /// <summary>The values an option accepts, when it names them (methods, formats); empty otherwise.</summary>
    private static List<string> Choices(Option option) => option.GetCompletions(CompletionContext.Empty).Select(c => c.Label).ToList();

    /// <summary>"-m needs a value; use one of: …", or with the value's help name when there is no list.</summary>
    private static string NeedsValue(string name, Option option) =>
        Choices(option) is { Count: > 0 } choices
            ? $"{name} needs a value; use one of: {string.Join(", ", choices)}"
            : $"{name} needs a value ({option.HelpName ?? "see --help"})";

    /// <summary>'-x' or '--name', but not '-' (standard input); the rule of the file argument's validator.</summary>
    private static bool IsOptionLike(string token) => Operands.LooksLikeOption(token);

    /// <summary>
    /// A file option given an empty name (<c>-o "$OUT"</c> with OUT unset): a usage error naming the
    /// option, before anything is read; null when every file name has a character.
    /// </summary>
    public static string? EmptyFileName(ParseResult parse)
    {
        foreach (var result in parse.CommandResult.Children.OfType<OptionResult>())
        {
            if (result.IdentifierToken is { } id && result.Option.HelpName == "FILE" && result.Tokens.Any(t => t.Value.Length == 0))
            {
                return CliMessages.EmptyFileName(id.Value);
            }
        }

        return null;
    }
}
