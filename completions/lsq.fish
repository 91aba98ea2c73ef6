# fish completion for lsq. Copy it to ~/.config/fish/completions/lsq.fish.
#
# lsq answers completion requests itself through System.CommandLine's [suggest] directive:
#   lsq "[suggest:POSITION]" "LINE"
# prints the candidates for the cursor at POSITION in LINE (the command line after "lsq"),
# one a line. Where a file is expected (lsq fit <TAB>, --init, -o, --model, ...) lsq suggests
# nothing but options, and file names come first; a word starting with '-' completes options.

function __lsq_complete
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l line (string join ' ' -- $tokens[2..-1] $current)
    set -l candidates ($tokens[1] "[suggest:"(string length -- "$line")"]" "$line" 2>/dev/null)
    # Leave out empty lines and the Windows-style and one-character help aliases (/?, /h, -?).
    if set -q candidates[1]
        set candidates (string match -v -r -- '^(/.*|-\?)?$' $candidates)
    end
    if not string match -q -- '-*' "$current"; and begin
            not set -q candidates[1]; or not string match -q -v -- '-*' $candidates
        end
        __fish_complete_path "$current"
        return
    end
    printf '%s\n' $candidates
end

complete -c lsq -f -a '(__lsq_complete)'
