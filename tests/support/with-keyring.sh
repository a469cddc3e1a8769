#!/bin/sh
# Runs a command with its own D-Bus session and an unlocked gnome-keyring (the Secret Service
# QtKeychain talks to) in a throwaway HOME, so keychain tests never prompt, never touch the
# user's keyring and never hang on an invisible prompt on $DISPLAY.
# Usage: with-keyring.sh COMMAND [ARGUMENTS...]
home=$(mktemp -d "${TMPDIR:-/tmp}/steadysync-keyring.XXXXXX") || exit 1
trap 'rm -rf "$home"' EXIT
trap 'exit 143' TERM INT
mkdir -m 700 "$home/runtime"
export HOME="$home" XDG_RUNTIME_DIR="$home/runtime" XDG_DATA_HOME="$home/.local/share" \
    XDG_CONFIG_HOME="$home/.config" XDG_CACHE_HOME="$home/.cache"
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS

# --unlock returns before the daemon owns its bus name, and the daemon outlives its bus: wait for
# the name, and stop the daemon by the pid that owns it.
dbus-run-session -- sh -c '
    echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 1
    bus() { dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus "$@"; }
    tries=0
    until bus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets | grep -q true; do
        tries=$((tries + 1))
        [ $tries -le 200 ] || { echo "with-keyring.sh: no Secret Service after 20 s" >&2; exit 1; }
        sleep 0.1
    done
    keyring=$(bus org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets |
        awk "/uint32/ { print \$2 }")
    "$0" "$@"
    status=$?
    [ -n "$keyring" ] && kill "$keyring"
    exit $status' "$@"
