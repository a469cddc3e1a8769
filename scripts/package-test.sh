#!/usr/bin/env bash
# Builds the .deb (cpack in build/, or $BUILD_DIR), installs it with apt so that its
# dependencies come from Debian, uses the INSTALLED programs (a real sync between two
# directories), validates the desktop entry, AppStream metainfo and man page, then purges
# the package and checks that nothing of it is left. Needs root (or sudo); fails on the
# first error. The package is purged again even when a check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
package=steadysync

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
export DEBIAN_FRONTEND=noninteractive

step() { printf '\n== %s\n' "$*"; }
fail() {
    printf 'package-test: FAILED: %s\n' "$*" >&2
    exit 1
}
is_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

work=$(mktemp -d)
installed_by_us=0
cleanup() {
    local status=$?
    if [ "$installed_by_us" = 1 ] && is_installed "$package"; then
        echo "package-test: purging $package after a failure" >&2
        "${as_root[@]}" apt-get remove --purge -y -qq "$package" >/dev/null || true
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

step "tools for the checks"
scripts/install-deps.sh
tools=()
for tool in desktop-file-utils appstream; do
    is_installed "$tool" || tools+=("$tool")
done
if [ ${#tools[@]} -gt 0 ]; then
    "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${tools[@]}" >/dev/null ||
        { "${as_root[@]}" apt-get update -qq && "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${tools[@]}" >/dev/null; }
fi

step "build and package ($build_dir)"
BUILD_DIR=$build_dir scripts/build.sh
rm -f "$build_dir/${package}"_*.deb
(cd "$build_dir" && cpack -G DEB) || fail "cpack"
debs=("$build_dir/${package}"_*.deb)
[[ ${#debs[@]} -eq 1 && -f "${debs[0]}" ]] || fail "expected one $package .deb in $build_dir, got: ${debs[*]}"
deb=$(realpath "${debs[0]}")
echo "$deb ($(du -h "$deb" | cut -f1))"

step "package metadata"
dpkg-deb --info "$deb"
version=$(dpkg-deb --field "$deb" Version)
project_version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build_dir/CMakeCache.txt")
[ "$version" = "$project_version" ] || fail "package version $version, project version $project_version"
[ "$(dpkg-deb --field "$deb" Package)" = "$package" ] || fail "package name"
depends=$(dpkg-deb --field "$deb" Depends)
for needed in libqt6core6 libqt6widgets6 libqt6charts6 libqt6keychain1 libqt6sql6-sqlite libqt6svg6 libsecret-1-0; do
    [[ "$depends" == *"$needed"* ]] || fail "Depends lacks $needed (dpkg-shlibdeps or the manual list): $depends"
done
contents=$(dpkg-deb --contents "$deb" | awk '{print $6}')
for path in ./usr/bin/steadysync ./usr/bin/steadysync-cli ./usr/share/applications/steadysync.desktop \
    ./usr/share/icons/hicolor/scalable/apps/steadysync.svg \
    ./usr/share/metainfo/org.steadysync.Steadysync.metainfo.xml \
    ./usr/share/steadysync/autostart/steadysync.desktop ./usr/share/man/man1/steadysync-cli.1.gz \
    ./usr/lib/systemd/user/steadysync-watch@.service \
    ./usr/share/dbus-1/interfaces/org.steadysync.Steadysync.Manager.xml \
    ./usr/share/dbus-1/interfaces/org.steadysync.Steadysync.Pair.xml; do
    grep -qxF "$path" <<<"$contents" || fail "the package lacks $path"
done
if grep -q '^\./etc/xdg/autostart' <<<"$contents"; then
    fail "the package must not autostart for every user (/etc/xdg/autostart)"
fi
programs=$(grep '^\./usr/bin/.' <<<"$contents" | sort | tr '\n' ' ')
[ "$programs" = "./usr/bin/steadysync ./usr/bin/steadysync-cli " ] || fail "unexpected programs: $programs"
man_source=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/man/man1/steadysync-cli.1.gz | zcat)
grep -q '^\.SH EXIT STATUS' <<<"$man_source" || fail "man page content"

step "install with apt"
if is_installed "$package"; then
    echo "an earlier $package is installed: purging it first"
    "${as_root[@]}" apt-get remove --purge -y -qq "$package"
fi
installed_by_us=1
# Recommends (keychain, Qt's translations) are left out: the Depends alone must suffice.
"${as_root[@]}" apt-get install -y --no-install-recommends "$deb"
is_installed "$package" || fail "$package is not installed after apt-get install"

step "the installed command-line client"
[ "$(command -v steadysync-cli)" = /usr/bin/steadysync-cli ] || fail "steadysync-cli is not /usr/bin/steadysync-cli"
cli_version=$(/usr/bin/steadysync-cli --version)
[ "$cli_version" = "steadysync-cli $version" ] || fail "steadysync-cli --version says '$cli_version'"
echo "$cli_version"
cli_help=$(/usr/bin/steadysync-cli --help)
[[ "$cli_help" == *"steadysync-cli sync  LOCAL_DIR REMOTE_URL"* ]] || fail "steadysync-cli --help: $cli_help"

mkdir -p "$work/local/docs" "$work/remote"
echo "written locally" >"$work/local/docs/report.txt"
echo "written remotely" >"$work/remote/notes.txt"
/usr/bin/steadysync-cli sync "$work/local" "file://$work/remote" --json >"$work/sync.json" ||
    fail "steadysync-cli sync exited $?"
cat "$work/sync.json"
grep -q '"uploaded":1' "$work/sync.json" || fail "sync did not report one upload"
grep -q '"downloaded":1' "$work/sync.json" || fail "sync did not report one download"
[ "$(cat "$work/remote/docs/report.txt")" = "written locally" ] || fail "the local file did not arrive remotely"
[ "$(cat "$work/local/notes.txt")" = "written remotely" ] || fail "the remote file did not arrive locally"
status=$(/usr/bin/steadysync-cli status "$work/local" --json)
[[ "$status" == *'"tracked_files":2'* ]] || fail "status after sync: $status"

step "the installed desktop application"
gui_version=$(QT_QPA_PLATFORM=offscreen /usr/bin/steadysync --version)
[ "$gui_version" = "steadysync $version" ] || fail "steadysync --version says '$gui_version'"
echo "$gui_version"
# --help starts a QApplication (platform plugin from the dependencies) and, with --lang de,
# uses the translations embedded in the binary.
QT_QPA_PLATFORM=offscreen /usr/bin/steadysync --lang de --help >"$work/help-de.txt" 2>&1 ||
    fail "steadysync --help: $(cat "$work/help-de.txt")"
grep -q 'die nie eine Version verliert' "$work/help-de.txt" || fail "no German translation: $(cat "$work/help-de.txt")"

step "desktop entry, icon, metainfo, autostart template, man page"
desktop-file-validate /usr/share/applications/steadysync.desktop || fail "desktop-file-validate (menu entry)"
desktop-file-validate /usr/share/steadysync/autostart/steadysync.desktop || fail "desktop-file-validate (autostart)"
metainfo=/usr/share/metainfo/org.steadysync.Steadysync.metainfo.xml
appstreamcli validate --no-net "$metainfo" || fail "appstreamcli validate"
grep -q "<release version=\"$version\"" "$metainfo" || fail "the metainfo has no release $version"
[ -f /usr/share/icons/hicolor/scalable/apps/steadysync.svg ] || fail "icon"
[ ! -e /etc/xdg/autostart/steadysync.desktop ] || fail "an autostart entry for every user"
# Slim images tell dpkg not to unpack man pages at all.
if ! grep -qs '^path-exclude.*/usr/share/man' /etc/dpkg/dpkg.cfg /etc/dpkg/dpkg.cfg.d/*; then
    [ -f /usr/share/man/man1/steadysync-cli.1.gz ] || fail "the man page is not installed"
    if command -v man >/dev/null; then
        man -w steadysync-cli || fail "man -w steadysync-cli"
    fi
fi

step "systemd user unit"
if command -v systemd-analyze >/dev/null; then
    verify_out=$(XDG_RUNTIME_DIR=$(mktemp -d) systemd-analyze verify --user --man=no \
        /usr/lib/systemd/user/steadysync-watch@home-user-Sync.service 2>&1) || fail "systemd-analyze verify: $verify_out"
    [ -z "$verify_out" ] || fail "systemd-analyze verify: $verify_out"
fi

step "purge"
dpkg -L "$package" >"$work/files.txt"
"${as_root[@]}" apt-get remove --purge -y "$package"
installed_by_us=0
dpkg_status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
[[ -z "$dpkg_status" || "$dpkg_status" == *" not-installed" ]] || fail "after purge dpkg says: $dpkg_status"
left=()
while IFS= read -r path; do
    [ "$path" != /. ] || continue
    [ -e "$path" ] || [ -L "$path" ] || continue
    # A directory that stays is shared (/usr/bin, /usr/share/man/man1, ...): another package
    # owns it or it holds other files. Every file of ours is checked on its own line.
    if [ -d "$path" ] && [ ! -L "$path" ]; then
        if dpkg -S "$path" >/dev/null 2>&1 || [ -n "$(ls -A "$path")" ]; then
            continue
        fi
    fi
    left+=("$path")
done <"$work/files.txt"
[ ${#left[@]} -eq 0 ] || fail "left behind after purge: ${left[*]}"
leftovers=$(find /usr -path /usr/local -prune -o -name '*steadysync*' -print 2>/dev/null)
[ -z "$leftovers" ] || fail "left under /usr after purge: $leftovers"

# The user's data is not the package's: it stays.
[[ -f "$work/local/docs/report.txt" && -f "$work/local/.steadysync/journal.db" &&
    -f "$work/remote/notes.txt" ]] || fail "user data was removed with the package"

echo
echo "package-test: $package $version built, installed, used and purged cleanly"
