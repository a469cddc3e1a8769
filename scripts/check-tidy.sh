#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy) over the production code (core/, app/, ui/; not tests/, not the
# moc/uic/rcc/qdbusxml2cpp output) and fails on any finding. Needs a configured and built
# build/ (or $BUILD_DIR): its compile_commands.json and its generated headers.
#
# Speed: most of clang-tidy's time goes to parsing and matching the Qt headers, once per
# translation unit. So the sources of each target are checked in batches: one generated file
# (build/tidy/) includes up to $TIDY_BATCH of them, the Qt headers are matched once per batch and
# each project header once per batch. A batch that does not compile as one (two files with the
# same file-local name) is checked file by file. TIDY_BATCH=1 checks every file on its own.
#   scripts/check-tidy.sh [FILE...]   only these files (paths relative to the repository)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$root" && realpath -m "${BUILD_DIR:-build}")
tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
[ -n "$tidy" ] || { echo "check-tidy: clang-tidy is not installed" >&2; exit 2; }
[ -f "$build/compile_commands.json" ] ||
    { echo "check-tidy: no $build/compile_commands.json: run scripts/build.sh first" >&2; exit 2; }
start=$(date +%s)
exec python3 - "$root" "$build" "$tidy" "${TIDY_BATCH:-12}" "$(nproc)" "$start" "$@" <<'PY'
import concurrent.futures, json, os, re, shlex, subprocess, sys, time

root, build, tidy, batch, jobs, start = sys.argv[1:7]
only = {os.path.join(root, f) for f in sys.argv[7:]}
batch, jobs = max(1, int(batch)), max(1, int(jobs))
production = re.compile('^' + re.escape(root) + r'/(core|app|ui)/')
header_filter = '^' + re.escape(root) + r'/(core|app|ui)/'
finding = re.compile(r'^(/[^:]+):(\d+):(\d+): (warning|error): (.*) \[([a-z0-9.,-]+)\]$')

entries = []
for entry in json.load(open(os.path.join(build, 'compile_commands.json'))):
    path = os.path.realpath(os.path.join(entry['directory'], entry['file']))
    if production.match(path) and (not only or path in only):
        entries.append((path, entry))

# One group per target (the same flags); each group in batches of `batch` files.
groups = {}
for path, entry in entries:
    args = shlex.split(entry['command'])
    if os.path.basename(args[0]) == 'ccache':
        args = args[1:]
    key = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in ('-o', '-MF', '-MT', '-c'):
            skip = arg != '-c'
        elif arg not in ('-MD', entry['file'], path):
            key.append(arg)
    groups.setdefault((entry['directory'], tuple(key)), []).append(path)

workdir = os.path.join(build, 'tidy')
os.makedirs(workdir, exist_ok=True)
units = []  # (directory, compiler arguments, main file, the sources it checks)
for n, ((directory, key), paths) in enumerate(sorted(groups.items())):
    for i in range(0, len(paths), batch):
        part = sorted(paths)[i:i + batch]
        if len(part) == 1:
            units.append((directory, key, part[0], part))
            continue
        unity = os.path.join(workdir, 'batch_%d_%d.cpp' % (n, i // batch))
        with open(unity, 'w') as out:
            out.writelines('#include "%s"\n' % p for p in part)
        units.append((directory, key, unity, part))

def run(unit):
    directory, key, main, _ = unit
    database = os.path.join(workdir, 'db_%d' % (abs(hash((directory, key, main))) % 10**9))
    os.makedirs(database, exist_ok=True)
    with open(os.path.join(database, 'compile_commands.json'), 'w') as out:
        json.dump([{'directory': directory, 'file': main,
                    'arguments': list(key) + ['-c', main]}], out)
    proc = subprocess.run([tidy, '-quiet', '-p', database, '--header-filter=' + header_filter,
                           '--warnings-as-errors=', main],
                          cwd=root, capture_output=True, text=True)
    return unit, proc.stdout + proc.stderr

def check(units):
    found, retry = {}, []
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for unit, output in pool.map(run, units):
            lines = output.splitlines()
            if len(unit[3]) > 1 and any('clang-diagnostic-error' in l for l in lines):
                retry.append(unit)
                continue
            for index, line in enumerate(lines):
                m = finding.match(line)
                if m and production.match(m.group(1)):
                    key = (os.path.relpath(m.group(1), root), int(m.group(2)), int(m.group(3)),
                           m.group(6).split(',')[0])
                    found.setdefault(key, m.group(5))
    return found, retry

found, retry = check(units)
if retry:
    print('check-tidy: %d batch(es) do not compile as one; checking their files one by one'
          % len(retry), flush=True)
    singles = [(d, k, p, [p]) for d, k, _, paths in retry for p in paths]
    more, _ = check(singles)
    found.update(more)
for (path, line, column, check_name), message in sorted(found.items()):
    print('%s:%d:%d: %s [%s]' % (path, line, column, message, check_name))
seconds = int(time.time()) - int(start)
print('check-tidy: %d file(s) in %d unit(s), %d finding(s), %d s'
      % (len(entries), len(units), len(found), seconds))
sys.exit(1 if found else 0)
PY
