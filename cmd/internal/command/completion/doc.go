// Package completion defines `mp completion bash|zsh|fish`, which prints a
// shell completion script, and the hidden `mp __complete WORDS…` that the
// scripts call: it walks the command tree and prints the candidates for the
// last word, one per line as "candidate<TAB>description" — subcommand
// names, flag names, and the values of flags and arguments that name an
// account, a target, a format, a region, an account type or a shell.
// Account and target names come from the config through the app; the
// network and secrets are never touched, and a failure completes nothing
// silently.
package completion
