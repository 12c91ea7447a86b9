#compdef mp
# zsh completion for mp (Mixpanel credentials and context).
#
# Load it from ~/.zshrc, after compinit:  source <(mp completion zsh)
# or save it as _mp in a directory of $fpath: mp completion zsh > "${fpath[1]}/_mp"
#
# The candidates come from `mp __complete -- WORDS...` (one per line,
# "word<TAB>description"); mp must be on $PATH.

_mp() {
    local -a lines candidates
    local line word desc
    lines=("${(@f)$(command mp __complete -- "${(@)words[2,CURRENT]}" 2>/dev/null)}")
    for line in "${lines[@]}"; do
        [[ -z $line ]] && continue
        word=${line%%$'\t'*}
        desc=""
        [[ $line == *$'\t'* ]] && desc=${line#*$'\t'}
        candidates+=("${word//:/\\:}${desc:+:$desc}")
    done
    (( ${#candidates} )) || return 1
    _describe -t mp-candidates 'mp' candidates
}

if [[ ${funcstack[1]} == _mp ]]; then
    # Autoloaded from $fpath: complete now.
    _mp "$@"
else
    compdef _mp mp
fi
