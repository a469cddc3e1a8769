#!/usr/bin/env bash
# Installs what the benchmarks need: Steadysync's own dependencies plus the peers and tools.
set -euo pipefail
"$(dirname "$0")/../scripts/install-deps.sh"

packages=(nextcloud-desktop-cmd curl rclone apache2 apache2-utils openssl python3 linux-perf)

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
