# fish completion for mp (Mixpanel credentials and context).
#
# Install it:   mp completion fish > ~/.config/fish/completions/mp.fish
# or load it:   mp completion fish | source
#
# The candidates come from `mp __complete -- WORDS...` (one per line,
# "word<TAB>description"); mp must be on $PATH.

function __mp_complete
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l current (commandline -ct)
    command mp __complete -- $tokens "$current" 2>/dev/null
end

complete -c mp -e
complete -c mp -f -a '(__mp_complete)'
