#!/bin/sh
# with-keyring.sh CMD [ARG...] runs CMD inside a private D-Bus session with
# an unlocked gnome-keyring Secret Service, keyrings in a temporary
# XDG_DATA_HOME/XDG_CACHE_HOME (removed afterwards). It waits until
# org.freedesktop.secrets has an owner on the bus before running CMD, so
# that no second (locked) daemon gets activated on the first call.
# CMD sees MP_TEST_KEYRING=1, the bus address in MP_TEST_DBUS_ADDRESS (and
# DBUS_SESSION_BUS_ADDRESS=disabled:), and the XDG variables.
# Needs dbus-run-session (dbus) and gnome-keyring-daemon (gnome-keyring).
set -eu

if [ "$#" -eq 0 ]; then
	echo "usage: $0 CMD [ARG...]" >&2
	exit 2
fi

if [ -z "${MP_WITH_KEYRING_INNER:-}" ]; then
	for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "with-keyring: $tool not found: install the dbus and gnome-keyring packages (apt-get install --no-install-recommends dbus gnome-keyring)" >&2
			exit 1
		fi
	done
	MP_WITH_KEYRING_INNER=1 exec dbus-run-session -- "$0" "$@"
fi
unset MP_WITH_KEYRING_INNER

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mp-keyring.XXXXXX")
# gnome-keyring-daemon 3.x does not print its pid (only
# GNOME_KEYRING_CONTROL): it is asked of the bus once the daemon owns
# org.freedesktop.secrets, and the daemon is stopped before its keyring
# directory is removed (it would also exit when the session bus ends).
keyring_pid=
cleanup() {
	if [ -n "$keyring_pid" ]; then
		kill "$keyring_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$tmp/data" "$tmp/cache" "$tmp/runtime"
chmod 700 "$tmp/runtime"
export XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/runtime"

# The password of the new login keyring comes from stdin; --unlock creates
# it unlocked. The daemon forks and prints its environment.
out=$(printf 'mp-test-keyring' | gnome-keyring-daemon --unlock --components=secrets)
eval "$out"

has_owner() {
	dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'
}
i=0
until has_owner; do
	i=$((i + 1))
	if [ "$i" -gt 100 ]; then
		echo "with-keyring: org.freedesktop.secrets has no owner after 10 s; gnome-keyring-daemon did not start" >&2
		exit 1
	fi
	sleep 0.1
done
keyring_pid=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
	org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null |
	awk '/uint32/ { print $2 }') || keyring_pid=

# The keychain tests take the bus from MP_TEST_DBUS_ADDRESS; every other
# test sees DBUS_SESSION_BUS_ADDRESS=disabled:, so nothing else can reach
# (or hang on) the bus.
export MP_TEST_KEYRING=1
export MP_TEST_DBUS_ADDRESS="$DBUS_SESSION_BUS_ADDRESS"
export DBUS_SESSION_BUS_ADDRESS=disabled:
status=0
"$@" || status=$?
exit "$status"
