# bash completion for lsq. Load it with
#   source completions/lsq.bash
# or copy it to ~/.local/share/bash-completion/completions/lsq.
#
# lsq answers completion requests itself through System.CommandLine's [suggest] directive:
#   lsq "[suggest:POSITION]" "LINE"
# prints the candidates for the cursor at POSITION in LINE (the command line after "lsq"),
# one a line.

_lsq_complete()
{
    local words=${COMP_LINE#*[[:space:]]} # the line without the program name
    local skipped=$(( ${#COMP_LINE} - ${#words} ))
    local position=$(( COMP_POINT - skipped ))
    [ "$position" -lt 0 ] && position=0
    local IFS=$'\n'
    local candidates
    candidates=$("${COMP_WORDS[0]}" "[suggest:${position}]" "${words}" 2>/dev/null) || return 0
    if [ -z "$candidates" ]; then
        # No suggestion (a file argument, say): let bash complete file names.
        COMPREPLY=()
        compopt -o default 2>/dev/null
        return 0
    fi
    COMPREPLY=($(compgen -W "${candidates}" -- "${COMP_WORDS[COMP_CWORD]}"))
}

complete -F _lsq_complete lsq
