#!/usr/bin/env bash
# Installs what the benchmarks need: Steadysync's own dependencies plus the peers and tools.
set -euo pipefail
exec "$(dirname "$0")/../scripts/install-deps.sh" \
    nextcloud-desktop-cmd curl rclone apache2 apache2-utils openssl python3 linux-perf
