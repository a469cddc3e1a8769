#!/usr/bin/env bash
# Installs the Debian 12 packages Steadysync needs to build, run and test, and any further
# packages named as arguments (bench/setup.sh passes the peers it measures).
set -euo pipefail

packages=(
    # build
    g++ make cmake ninja-build pkg-config dpkg-dev qt6-base-dev libqt6opengl6-dev qt6-charts-dev qt6-svg-dev
    qt6-tools-dev qt6-l10n-tools qt6-tools-dev-tools libqt6sql6-sqlite qtkeychain-qt6-dev libssl-dev
    # Qt's own strings (standard buttons such as "Close", "Yes", "No") in German and French
    qt6-translations-l10n
    # runtime of the tests: display, keychain, WebDAV servers
    xvfb xauth dbus-x11 gnome-keyring libsecret-1-0 apache2 apache2-utils nginx libnginx-mod-http-dav-ext rclone
    lighttpd lighttpd-mod-webdav trayer
    # desktop notifications tested against a mock notification daemon (tests/ui/tst_uinotifications)
    python3-dbusmock
    # the D-Bus API driven with gdbus (tests/integration/tst_dbusapi), the systemd user unit
    # checked with systemd-analyze verify (tst_systemdunit)
    libglib2.0-bin systemd
    # fuzzing (tests/fuzz/run.sh): clang with libFuzzer and the sanitizer runtimes; chattr, mount
    clang libclang-rt-14-dev e2fsprogs util-linux
    # S3 (issue 22): a one-node Ceph RADOS Gateway for the tests (scripts/ceph-rgw.sh), boto3 and
    # s3cmd as reference clients
    ceph-mon ceph-osd radosgw ceph-common python3-boto3 s3cmd
    # the format check of .ci/run (scripts/check-format.sh)
    clang-format
    # the lint check of .ci/run (scripts/check-tidy.sh)
    clang-tidy
)

packages+=("$@")

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
