#!/bin/sh
# Runs a test binary under a private X server with a system tray host (trayer), so that
# QSystemTrayIcon::isSystemTrayAvailable() is true. Without xvfb-run or trayer the test runs
# offscreen, where it checks the no-tray fallback only.
test_binary="$1"
if ! command -v xvfb-run >/dev/null 2>&1 || ! command -v trayer >/dev/null 2>&1; then
    QT_QPA_PLATFORM=offscreen exec "$test_binary"
fi
export STEADYSYNC_EXPECT_TRAY=1
exec xvfb-run -a sh -c '
    trayer --edge top --align right >/dev/null 2>&1 &
    tray=$!
    QT_QPA_PLATFORM=xcb "$0"
    status=$?
    kill $tray 2>/dev/null
    exit $status' "$test_binary"
