"""Scale scenarios of the benchmark (bench/README.md, issue 21): a million files, and a team of
watch clients on one server. Each is a function of the running Bench (bench.py), which owns
the server, the workloads, the report and the helpers used here.
"""

import json
import os
import shutil
import subprocess
import sys
import time

import genworkload

MILLION_DIR = os.environ.get("BENCH_MILLION_DIR", "/dev/shm/steadysync-bench")
TEAM_SIZE = int(os.environ.get("BENCH_TEAM_SIZE", "50"))
TEAM_CHANGES = int(os.environ.get("BENCH_TEAM_CHANGES", "10"))
IDLE_SECONDS = int(os.environ.get("BENCH_IDLE_SECONDS", "60"))


class ScaleFailure(Exception):
    pass


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Sampler:
    """CPU ticks and RSS of a set of processes, read from /proc. `pids` is a list, or a
    function listing them again at each reading (a server that starts and reaps children
    while it is measured)."""

    def __init__(self, pids):
        self.list_pids = pids if callable(pids) else (lambda fixed=list(pids): fixed)
        self.ticks = os.sysconf("SC_CLK_TCK")

    def cpu_seconds(self):
        """User and system time of the processes, plus that of their children they have
        reaped (cutime, cstime): a server child that exits keeps counting in its parent."""
        total = 0
        for pid in self.list_pids():
            try:
                with open(f"/proc/{pid}/stat") as source:
                    fields = source.read().rsplit(")", 1)[1].split()
                total += sum(int(field) for field in fields[11:15])
            except OSError:
                pass
        return total / self.ticks

    def rss_mb(self):
        total = 0.0
        for pid in self.list_pids():
            try:
                with open(f"/proc/{pid}/status") as source:
                    for line in source:
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1]) / 1024
            except OSError:
                pass
        return total


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def million_tree(bench):
    """The `million` workload on tmpfs (generated once; its digest is kept beside it)."""
    root = os.path.join(MILLION_DIR, "million")
    stamp = root + ".digest"
    if not (os.path.exists(stamp) and os.path.isdir(root)):
        started = time.monotonic()
        digest, count = genworkload.generate("million", root, bench.args.seed)
        with open(stamp, "w") as out:
            out.write(digest + "\n")
        bench.notes.append(f"million: generated {count} files on {MILLION_DIR} in "
                           f"{time.monotonic() - started:.0f} s")
    return root


def cli_json(bench, arguments):
    seconds, _, completed = bench.run([bench.cli, *arguments, "--json"], check=False)
    if completed.returncode not in (0, 1):
        raise ScaleFailure(f"steadysync-cli {arguments[0]} exited {completed.returncode}: "
                            f"{completed.stderr[-400:]}")
    return seconds, json.loads(completed.stdout.strip().splitlines()[-1])


def journal_size_mb(local):
    directory = os.path.join(local, ".steadysync")
    total = 0
    for name in os.listdir(directory):
        if name.startswith("journal"):
            total += os.path.getsize(os.path.join(directory, name))
    return total / 1e6


def scenario_million(bench):
    """First sync and no-change re-sync of 1,000,000 files (local side beside find), journal
    size and the time to open it, then idle RSS and CPU while watching."""
    pristine = million_tree(bench)
    local = os.path.join(MILLION_DIR, "work")
    # On disk by default (tmpfs holds one copy); BENCH_MILLION_REMOTE puts it elsewhere, e.g. on
    # a second tmpfs directory where memory allows (about 4 GB more).
    remote = os.environ.get("BENCH_MILLION_REMOTE",
                            os.path.join(bench.data, "work", "million-remote"))
    for path in (local, remote):
        shutil.rmtree(path, ignore_errors=True)
    # Hard links: a second copy would double the tmpfs space (about 4 KiB a file); the sync
    # only reads the local files (and writes its journal into .steadysync/).
    subprocess.run(["cp", "-al", pristine, local], check=True)
    os.makedirs(remote)
    url = "file://" + remote
    first, report = cli_json(bench, ["sync", local, url, "--quiet"])
    bench.record("million", "steadysync first sync (tmpfs to file://)", [first], "s", "lower",
                 local_side=report.get("local_scan_seconds"))
    rescans, local_side, finds = [], [], []
    for _ in range(bench.args.runs):
        seconds, report = cli_json(bench, ["sync", local, url, "--quiet"])
        rescans.append(seconds)
        local_side.append(report["local_scan_seconds"])
        finds.append(bench.run(["sh", "-c", f"find '{local}' -printf '%s %T@\\n' >/dev/null"])[0])
    bench.record("million", "steadysync no-change sync", rescans, "s", "lower")
    bench.record("million", "steadysync local side", local_side, "s", "lower")
    bench.record("million", "find (local limit)", finds, "s", "lower")
    opened = [bench.run([bench.cli, "status", local, "--json"])[0] for _ in range(bench.args.runs)]
    bench.record("million", "journal: status (opens it)", opened, "s", "lower",
                 journal_mb=round(journal_size_mb(local), 1))
    idle_watch(bench, local, url)
    for path in (local, remote):
        shutil.rmtree(path, ignore_errors=True)


def idle_watch(bench, local, url):
    previous = bench.status(local).get("last_sync")
    output = open(os.path.join(bench.data, "watch-million.log"), "w")
    process = subprocess.Popen([bench.cli, "watch", local, url], stdout=output,
                               stderr=subprocess.STDOUT, env=bench.environment())
    try:
        bench.wait_idle(local, process, previous, timeout=1800)
        sampler = Sampler([process.pid])
        cpu_before, started = sampler.cpu_seconds(), time.monotonic()
        rss = []
        while time.monotonic() - started < IDLE_SECONDS:
            rss.append(sampler.rss_mb())
            time.sleep(1)
        cpu = 100 * (sampler.cpu_seconds() - cpu_before) / (time.monotonic() - started)
    finally:
        bench.stop_watch(process)
    with open(os.path.join(bench.data, "watch-million.log")) as log_file:
        limited = "max_user_watches" in log_file.read()
    bench.record("million", "watch RSS (max)", [max(rss)], "MB", "lower", target=400,
                 watch_limit_hit=limited, rss_each_second=[round(value, 1) for value in rss])
    # The first seconds of the window may still hold the first cycle's heap (it is given back
    # once the engine is idle, within a second of its status saying so): what an idle watch
    # keeps is the rest of the window.
    bench.record("million", "watch RSS (max after the first 2 s)", [max(rss[2:] or rss)], "MB",
                 "lower", target=400)
    bench.record("million", "watch RSS (end of the idle window)", [rss[-1]], "MB", "lower",
                 target=400)
    bench.record("million", "watch CPU", [cpu], "% of a core", "lower", target=1.0)


def team_clients(bench, workload_root):
    """TEAM_SIZE local copies, synced with one remote folder (untimed setup)."""
    slug = "team"
    bench.fresh_remote(slug)
    locals_ = []
    for index in range(TEAM_SIZE):
        local = os.path.join(bench.data, "work", f"team-{index:02d}")
        shutil.rmtree(local, ignore_errors=True)
        os.makedirs(os.path.dirname(local), exist_ok=True)
        if index == 0:
            subprocess.run(["cp", "-a", workload_root, local], check=True)
        else:
            os.makedirs(local)
        seconds, _, _ = bench.steadysync_sync(local, slug)
        log(f"team: client {index} set up in {seconds:.1f} s")
        locals_.append(local)
    return slug, locals_


def scenario_team(bench):
    """TEAM_SIZE watch clients of one folder on one Apache: requests per second and server CPU
    while all are idle, and how long a change by one takes to reach all the others."""
    slug, locals_ = team_clients(bench, bench.workload("small"))
    previous = [bench.status(local).get("last_sync") for local in locals_]
    processes = []
    try:
        for local in locals_:
            processes.append(bench.start_watch(local, slug))
        for local, process, before in zip(locals_, processes, previous):
            bench.wait_idle(local, process, before, timeout=900)
        idle_cost(bench, processes)
        spread(bench, locals_)
    finally:
        for process in processes:
            bench.stop_watch(process)


def idle_cost(bench, processes):
    server = Sampler(bench.server.pids)  # Apache may start or stop children meanwhile
    clients = Sampler(process.pid for process in processes)
    log_offset = bench.access_log_offset()
    server_before, clients_before = server.cpu_seconds(), clients.cpu_seconds()
    started, load_before = time.monotonic(), os.getloadavg()
    time.sleep(IDLE_SECONDS)
    logged = bench.requests_since(log_offset)
    elapsed = time.monotonic() - started
    requests = len(logged)
    # On a shared machine the figures depend on the load: keep it beside them.
    load = dict(load_before=[round(l, 2) for l in load_before],
                load_after=[round(l, 2) for l in os.getloadavg()])
    server_cpu = 100 * (server.cpu_seconds() - server_before) / elapsed
    client_cpu = 100 * (clients.cpu_seconds() - clients_before) / elapsed / len(processes)
    # Not every request is as cheap as the next: the answers' bytes, and the requests by
    # method and path (a Depth-0 poll of a small file, or a listing of the whole tree).
    by_path = {}
    for method, path, *_ in logged:
        by_path[f"{method} {path}"] = by_path.get(f"{method} {path}", 0) + 1
    bench.record("team", f"{len(processes)} idle clients: requests", [requests / elapsed],
                 "req/s", "lower", per_client=round(requests / elapsed / len(processes), 3),
                 answer_mb_per_s=round(sum(r[3] for r in logged) / 1e6 / elapsed, 3),
                 by_path=by_path, **load)
    bench.record("team", "idle: answer bytes per client", [sum(r[3] for r in logged) / 1e3
                                                           / elapsed / len(processes)],
                 "kB/s", "lower", **load)
    bench.record("team", "idle: requests per client", [requests / elapsed / len(processes)],
                 "req/s", "lower", target=1.0, **load)
    bench.record("team", "idle: server CPU", [server_cpu], "% of a core", "lower", **load)
    bench.record("team", "idle: CPU per client", [client_cpu], "% of a core", "lower", **load)
    # Not a measurement: the Nextcloud desktop client cannot run here (nextcloudcmd has no
    # watch mode). Its documented idle pattern is one Depth-0 PROPFIND of the root every
    # 30 s (remotePollInterval's default, bench/README.md cites the source).
    bench.record("team", "reference: Nextcloud desktop's documented 30 s root poll, not "
                 "measured (requests per client)", [1 / 30], "req/s", "lower",
                 reference=True)


def spread(bench, locals_):
    """A change saved in one client: the time until every other client has it."""
    to_all, arrivals = [], []
    load = dict(load_before=[round(l, 2) for l in os.getloadavg()])
    log_offset = bench.access_log_offset()
    for change in range(TEAM_CHANGES):
        writer = locals_[change % len(locals_)]
        relative = f"d{change % 50:04d}/team-change-{change}.txt"
        content = f"change {change} at {time.time()}\n".encode()
        started = time.monotonic()
        with open(os.path.join(writer, relative), "wb") as out:
            out.write(content)
        arrived = {}
        deadline = started + 300
        while len(arrived) < len(locals_) - 1 and time.monotonic() < deadline:
            for local in locals_:
                if local == writer or local in arrived:
                    continue
                try:
                    with open(os.path.join(local, relative), "rb") as source:
                        if source.read() == content:
                            arrived[local] = time.monotonic() - started
                except OSError:
                    pass
            time.sleep(0.05)
        if len(arrived) < len(locals_) - 1:
            bench.notes.append(f"team: change {change} reached {len(arrived)} of "
                               f"{len(locals_) - 1} clients within 300 s")
        arrivals.extend(arrived.values())
        if len(arrived) == len(locals_) - 1:
            to_all.append(max(arrived.values()))
    load["load_after"] = [round(l, 2) for l in os.getloadavg()]
    load.update(server_cost_per_change(bench, log_offset))
    # Per change, the time until every other client has it; p50 and max over the changes
    # (a change that did not reach them all within 300 s counts as missing, in the notes).
    if to_all:
        bench.record("team", f"change reaches all others: p50 of {len(to_all)} changes",
                     to_all, "s", "lower", changes=TEAM_CHANGES, **load)
        bench.record("team", f"change reaches all others: max of {len(to_all)} changes",
                     [max(to_all)], "s", "lower", changes=TEAM_CHANGES, **load)
    if arrivals:
        bench.record("team", "change reaches one other client: p50 of every arrival",
                     arrivals, "s", "lower", **load)


def server_cost_per_change(bench, log_offset):
    """What the changes cost the server (Apache's access log since log_offset), per change:
    the requests, the PROPFINDs and their bytes and server time (idle polls included)."""
    requests = bench.requests_since(log_offset)
    propfinds = [r for r in requests if r[0] == "PROPFIND"]
    return dict(requests_per_change=round(len(requests) / TEAM_CHANGES, 1),
                propfinds_per_change=round(len(propfinds) / TEAM_CHANGES, 1),
                propfind_mb_per_change=round(sum(r[3] for r in propfinds) / 1e6 / TEAM_CHANGES,
                                             1),
                propfind_server_s_per_change=round(sum(r[4] for r in propfinds) / 1e6
                                                   / TEAM_CHANGES, 1))
