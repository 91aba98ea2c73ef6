# bash completion for lsq. Load it with
#   source completions/lsq.bash
# or copy it to ~/.local/share/bash-completion/completions/lsq.
#
# lsq answers completion requests itself through System.CommandLine's [suggest] directive:
#   lsq "[suggest:POSITION]" "LINE"
# prints the candidates for the cursor at POSITION in LINE (the command line after "lsq"),
# one a line. Where a file is expected (lsq fit <TAB>, --init, -o, --model, ...) lsq suggests
# nothing but options, and file names come first; a word starting with '-' completes options.

_lsq_complete()
{
    local words=${COMP_LINE#*[[:space:]]} # the line without the program name
    local skipped=$(( ${#COMP_LINE} - ${#words} ))
    local position=$(( COMP_POINT - skipped ))
    [ "$position" -lt 0 ] && position=0
    local current=${COMP_WORDS[COMP_CWORD]}
    local IFS=$'\n'
    local candidates
    candidates=$("${COMP_WORDS[0]}" "[suggest:${position}]" "${words}" 2>/dev/null) || return 0
    # Leave out empty lines and the Windows-style and one-character help aliases (/?, /h, -?).
    candidates=$(printf '%s\n' "$candidates" | grep -v -e '^/' -e '^-?$' -e '^$')
    if [[ $current != -* ]] && ! printf '%s\n' "$candidates" | grep -q '^[^-]'; then
        # Only options on offer (or nothing): a file argument or an option's file comes first.
        COMPREPLY=()
        compopt -o default 2>/dev/null
        return 0
    fi
    COMPREPLY=($(compgen -W "${candidates}" -- "${current}"))
}

complete -F _lsq_complete lsq
