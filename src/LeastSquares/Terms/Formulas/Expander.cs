using System.Numerics;

namespace LeastSquares.Terms.Formulas;

/// <summary>
/// Gives a parsed formula its meaning, following R's <c>terms.formula</c> (src/library/stats/src/model.c):
/// a first pass lists the variables in order of first appearance, the response first; a second pass turns
/// the right side into a list of terms, each a set of variables kept as a bit set, with <c>+</c> (union),
/// <c>:</c> (pairwise union), <c>*</c> (both plus their interactions), <c>^</c> (repeated <c>*</c>),
/// <c>/</c> and <c>%in%</c> (nesting) and <c>-</c> (removal), duplicates dropped after each step; a
/// <c>1</c> or <c>0</c> sets the intercept, its sense flipped on the right of a <c>-</c>.
/// </summary>
internal sealed class Expander
{
    private readonly FormulaSyntax _syntax;
    private readonly List<Variable> _variables = [];
    private readonly Dictionary<string, int> _byLabel = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<string>? _columns;
    private readonly HashSet<string>? _columnSet;
    private readonly HashSet<string> _excluded;
    private List<string>? _dotColumns;
    private bool _intercept = true;
    private bool _parity = true;
    private int _words;

    private Expander(FormulaSyntax syntax, IReadOnlyList<string>? columns, HashSet<string> excluded)
    {
        _syntax = syntax;
        _columns = columns;
        _columnSet = columns is null ? null : new HashSet<string>(columns, StringComparer.Ordinal);
        _excluded = excluded;
    }

    private string Text => _syntax.Text;

    public static Formula Expand(FormulaSyntax syntax, IReadOnlyList<string>? columns, HashSet<string> excluded) =>
        new Expander(syntax, columns, excluded).Run();

    private Formula Run()
    {
        var response = Install(_syntax.Lhs!);
        Extract(_syntax.Rhs);
        _words = (_variables.Count + 63) / 64;

        var terms = Encode(_syntax.Rhs);

        // R orders by the number of variables, keeping the order of appearance within each order.
        var ordered = terms.Select((bits, i) => (bits, i)).OrderBy(t => Count(t.bits)).ThenBy(t => t.i).Select(t => t.bits).ToList();

        // model.matrix drops every term that contains the response.
        ordered.RemoveAll(bits => Has(bits, response.Index));

        var positions = new Dictionary<ulong[], int>(BitsComparer.Instance);
        for (int n = 0; n < ordered.Count; n++)
        {
            positions[ordered[n]] = n;
        }

        var result = new List<Term>(ordered.Count);
        var used = new SortedSet<int> { response.Index };
        for (int n = 0; n < ordered.Count; n++)
        {
            var members = Members(ordered[n]);
            var margins = new FactorCoding[members.Count];
            for (int k = 0; k < members.Count; k++)
            {
                margins[k] = MarginCoding(ordered, positions, n, members[k]);
                used.Add(members[k]);
            }

            result.Add(new Term([.. members.Select(i => _variables[i])], margins));
        }

        return new Formula(Text, response, _intercept, result, [.. used.Select(i => _variables[i])]);
    }

    // ---- pass 1: the variables ----

    private Variable Install(Node node)
    {
        CheckColumns(node);
        string label = Deparser.Deparse(node);
        if (_byLabel.TryGetValue(label, out int index))
        {
            return _variables[index];
        }

        var variable = new Variable(node, Text, _variables.Count);
        _byLabel[label] = variable.Index;
        _variables.Add(variable);
        return variable;
    }

    private void Extract(Node node)
    {
        switch (node)
        {
            case NumberNode:
                break;
            case NameNode or CallNode:
                Install(node);
                break;
            case DotNode dot:
                foreach (var name in DotColumns(dot))
                {
                    Install(new NameNode(dot.Position, name));
                }

                break;
            case ParenNode p:
                Extract(p.Inner);
                break;
            case UnaryNode u:
                Extract(u.Operand);
                break;
            case BinaryNode { Op: "^" } b:
                Extract(b.Left);
                break;
            case BinaryNode b:
                Extract(b.Left);
                Extract(b.Right);
                break;
        }
    }

    private List<string> DotColumns(DotNode dot)
    {
        if (_dotColumns is not null)
        {
            return _dotColumns;
        }

        if (_columns is null)
        {
            throw new FormulaException(Text, dot.Position, "'.' stands for every other column, but no column list was given");
        }

        var lhsNames = new HashSet<string>(NodeWalk.Names(_syntax.Lhs!), StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        _dotColumns = [];
        foreach (var name in _columns)
        {
            if (lhsNames.Contains(name) || _excluded.Contains(name))
            {
                continue;
            }

            if (!seen.Add(name))
            {
                throw new FormulaException(Text, dot.Position, $"two columns are named '{name}': '.' cannot tell them apart");
            }

            _dotColumns.Add(name);
        }

        return _dotColumns;
    }

    private void CheckColumns(Node node)
    {
        if (_columnSet is null)
        {
            return;
        }

        switch (node)
        {
            case NameNode n when !_columnSet.Contains(n.Name):
                throw new FormulaException(Text, n.Position, $"no column named '{n.Name}'") { UnknownColumn = n.Name };
            case UnaryNode u:
                CheckColumns(u.Operand);
                break;
            case ParenNode p:
                CheckColumns(p.Inner);
                break;
            case BinaryNode b:
                CheckColumns(b.Left);
                CheckColumns(b.Right);
                break;
            case CallNode c:
                foreach (var a in c.Arguments.Where(a => a.Name is null or "x" or "base"))
                {
                    CheckColumns(a.Value);
                }

                break;
        }
    }

    // ---- pass 2: the terms ----

    private List<ulong[]> Encode(Node node)
    {
        switch (node)
        {
            case NumberNode n:
                // Validate let through only 0 and 1: "+ 1" keeps the intercept, "+ 0" drops it; "- 1" the reverse.
                _intercept = n.Value == 1 ? _parity : !_parity;
                return [];
            case NameNode or CallNode:
                return [Single(_byLabel[Deparser.Deparse(node)])];
            case DotNode dot:
                return [.. DotColumns(dot).Select(name => Single(_byLabel[Deparser.Name(name)]))];
            case ParenNode p:
                return Encode(p.Inner);
            case UnaryNode { Op: '+' } u:
                return Encode(u.Operand);
            case UnaryNode u:
                Delete([], u.Operand);
                return [];
            case BinaryNode b:
                return b.Op switch
                {
                    "+" => Trim([.. Encode(b.Left), .. Encode(b.Right)]),
                    "-" => Delete(Encode(b.Left), b.Right),
                    ":" => Interact(Encode(b.Left), Encode(b.Right)),
                    "*" => Cross(Encode(b.Left), Encode(b.Right)),
                    "^" => Power(Encode(b.Left), b.Right),
                    "%in%" => In(Encode(b.Left), Encode(b.Right)),
                    "/" => Nest(Encode(b.Left), Encode(b.Right)),
                    _ => throw new InvalidOperationException(b.Op),
                };
            default:
                throw new InvalidOperationException(node.GetType().Name);
        }
    }

    private List<ulong[]> Delete(List<ulong[]> left, Node rightNode)
    {
        _parity = !_parity;
        var right = Encode(rightNode);
        _parity = !_parity;
        var removed = new HashSet<ulong[]>(right, BitsComparer.Instance);
        left.RemoveAll(removed.Contains);
        return left;
    }

    private static List<ulong[]> Interact(List<ulong[]> left, List<ulong[]> right) =>
        Trim([.. left.SelectMany(l => right.Select(r => Or(l, r)))]);

    private static List<ulong[]> Cross(List<ulong[]> left, List<ulong[]> right) =>
        Trim([.. left, .. right, .. left.SelectMany(l => right.Select(r => Or(l, r)))]);

    private static List<ulong[]> Power(List<ulong[]> left, Node exponent)
    {
        int power = (int)Math.Truncate(((NumberNode)exponent).Value);
        var result = left;
        for (int i = 1; i < power; i++)
        {
            result = Trim([.. left.SelectMany(l => result.Select(r => Or(l, r)))]);
        }

        return result;
    }

    private List<ulong[]> In(List<ulong[]> left, List<ulong[]> right)
    {
        var all = right.Aggregate(new ulong[_words], Or);
        return Trim([.. left.Select(l => Or(l, all))]);
    }

    private List<ulong[]> Nest(List<ulong[]> left, List<ulong[]> right)
    {
        var all = left.Aggregate(new ulong[_words], Or);
        return Trim([.. left, .. right.Select(r => Or(r, all))]);
    }

    /// <summary>R's TermCode: contrasts when the term less <paramref name="variable"/> is empty or lies within an earlier term.</summary>
    private static FactorCoding MarginCoding(List<ulong[]> terms, Dictionary<ulong[], int> positions, int n, int variable)
    {
        var rest = (ulong[])terms[n].Clone();
        rest[variable / 64] &= ~(1UL << (variable % 64));
        if (rest.All(w => w == 0))
        {
            return FactorCoding.Contrasts;
        }

        // The usual case, the margin itself listed earlier, without scanning every earlier term.
        if (positions.TryGetValue(rest, out int at) && at < n)
        {
            return FactorCoding.Contrasts;
        }

        for (int m = 0; m < n; m++)
        {
            bool within = true;
            for (int w = 0; w < rest.Length; w++)
            {
                if ((rest[w] & ~terms[m][w]) != 0)
                {
                    within = false;
                }
            }

            if (within)
            {
                return FactorCoding.Contrasts;
            }
        }

        return FactorCoding.Indicators;
    }

    /// <summary>R's TrimRepeats: drops empty terms and every repeat of an earlier term.</summary>
    private static List<ulong[]> Trim(List<ulong[]> terms)
    {
        var kept = new List<ulong[]>(terms.Count);
        var seen = new HashSet<ulong[]>(BitsComparer.Instance);
        foreach (var t in terms)
        {
            if (t.Any(w => w != 0) && seen.Add(t))
            {
                kept.Add(t);
            }
        }

        return kept;
    }

    private sealed class BitsComparer : IEqualityComparer<ulong[]>
    {
        public static readonly BitsComparer Instance = new();

        public bool Equals(ulong[]? x, ulong[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(ulong[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(obj.AsSpan()));
            return hash.ToHashCode();
        }
    }

    private ulong[] Single(int index)
    {
        var bits = new ulong[_words];
        bits[index / 64] |= 1UL << (index % 64);
        return bits;
    }

    private static ulong[] Or(ulong[] a, ulong[] b)
    {
        var r = new ulong[a.Length];
        for (int i = 0; i < a.Length; i++)
        {
            r[i] = a[i] | b[i];
        }

        return r;
    }

    private static bool Has(ulong[] bits, int index) => (bits[index / 64] & (1UL << (index % 64))) != 0;

    private static int Count(ulong[] bits) => bits.Sum(w => BitOperations.PopCount(w));

    private static List<int> Members(ulong[] bits)
    {
        var members = new List<int>();
        for (int i = 0; i < bits.Length * 64; i++)
        {
            if (Has(bits, i))
            {
                members.Add(i);
            }
        }

        return members;
    }
}
