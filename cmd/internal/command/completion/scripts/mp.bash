# bash completion for mp (Mixpanel credentials and context).
#
# Load it from ~/.bashrc:        source <(mp completion bash)
# or install it for every shell: mp completion bash > ~/.local/share/bash-completion/completions/mp
#
# The candidates come from `mp __complete -- WORDS...` (one per line,
# "word<TAB>description"); mp must be on $PATH.

_mp_completion() {
    local cur=${COMP_WORDS[COMP_CWORD]} i w n line out strip
    local -a args=()
    # Bash splits --flag=value at "=" (COMP_WORDBREAKS): glue the pieces
    # back so mp sees the words as typed.
    for ((i = 1; i <= COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        n=${#args[@]}
        if ((n > 0)) && [[ $w == "=" || ${COMP_WORDS[i-1]} == "=" ]]; then
            args[n-1]+=$w
        else
            args+=("$w")
        fi
    done
    # Bash replaces only its own last piece: strip what precedes it.
    n=${#args[@]}
    strip=$((${#args[n-1]} - ${#cur}))
    out=$(command mp __complete -- "${args[@]}" 2>/dev/null) || return 0
    COMPREPLY=()
    while IFS= read -r line; do
        line=${line%%$'\t'*}
        [[ -n $line ]] && COMPREPLY+=("${line:strip}")
    done <<<"$out"
    return 0
}

complete -F _mp_completion mp
