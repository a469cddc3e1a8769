#!/usr/bin/env bash
# Quick start 1: install, build, and start Steadysync on the default pair
# (~/Steadysync <-> ~/.local/share/steadysync/remote). The tray app when a display is
# present and it is built; otherwise the headless client in watch mode.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
build_dir=${BUILD_DIR:-build}
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$build_dir/app/steadysync" ]; then
    exec "$build_dir/app/steadysync"
fi
local_dir="$HOME/Steadysync"
remote_dir="${XDG_DATA_HOME:-$HOME/.local/share}/steadysync/remote"
mkdir -p "$local_dir" "$remote_dir"
echo "Syncing $local_dir with $remote_dir (Ctrl+C to stop)" >&2
exec "$build_dir/app/steadysync-cli" watch "$local_dir" "file://$remote_dir"
