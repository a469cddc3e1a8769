#!/usr/bin/env python3
"""Runs the Steadysync benchmark scenarios beside the peers against one local Apache server.

Called by bench/run.sh (which installs, builds and generates first); see bench/README.md.
Every scenario runs each tool in alternation, N times, and reports medians; results go to
RESULTS/results.json and RESULTS/results.md.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import re
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchserver  # noqa: E402
import genworkload  # noqa: E402
import peerservers  # noqa: E402
import scale  # noqa: E402

MB = 1e6
SCENARIOS = ["upload_small", "upload_large", "upload_mixed", "resync_nochange", "one_change",
             "sha256", "latency_watch", "remote_latency", "rescan_huge", "idle_watch", "team",
             "million"]
QUICK_SKIPS = {"rescan_huge", "idle_watch", "team", "million"}
WORKLOAD_FILES = {"small": 5_000, "mixed": 2_020, "large": 4, "huge": 100_000,
                  "million": 1_000_000}
RUN_TIMEOUT = 3_600
DEFAULT_PARALLEL = 4  # steadysync-cli's default --parallel (DESIGN §7)
DEFAULT_DEBOUNCE_MS = 1_000
# benchserver's "timed" LogFormat: %h %t "%r" %>s %b %D
ACCESS_LINE = re.compile(r'"(\S+) (\S+) [^"]*" (\d+) (\S+) (\d+)$')


class Failure(Exception):
    pass


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Bench:
    def __init__(self, arguments):
        self.args = arguments
        self.data = os.path.abspath(arguments.data)
        self.cli = os.path.join(arguments.build, "app", "steadysync-cli")
        self.hashbench = os.path.join(arguments.build, "bench", "steadysync-hashbench")
        self.rows = []
        self.notes = ["Timings depend on the machine's load: compare rows of the same run."]
        self.digests = {}
        self.server = None
        self.home = os.path.join(self.data, "home")
        self.rclone_pass = None
        self.pairs = {}
        self.huge_pair = None

    # ---- infrastructure -------------------------------------------------------------------

    def workload(self, name):
        """The pristine tree of a workload, generated once; its digest is checked on reuse."""
        root = os.path.join(self.data, "workloads", name)
        stamp = root + ".digest"
        if name in self.digests:
            return root
        if os.path.exists(stamp) and os.path.isdir(root):
            with open(stamp) as source:
                expected = source.read().strip()
            digest, _ = genworkload.tree_digest(root)
            if digest != expected:
                raise Failure(f"workload {name} changed on disk (digest {digest})")
        else:
            log(f"generating workload {name}")
            started = time.monotonic()
            digest, _ = genworkload.generate(name, root, self.args.seed)
            with open(stamp, "w") as out:
                out.write(digest + "\n")
            log(f"  generated in {time.monotonic() - started:.1f} s")
        log(f"workload {name}: {WORKLOAD_FILES[name]} files, digest {digest}")
        self.digests[name] = digest
        return root

    def environment(self, **extra):
        environment = dict(os.environ)
        environment.update(HOME=self.home, XDG_CONFIG_HOME=f"{self.home}/.config",
                           XDG_DATA_HOME=f"{self.home}/.local/share",
                           XDG_CACHE_HOME=f"{self.home}/.cache",
                           STEADYSYNC_PASSWORD=benchserver.PASSWORD,
                           RCLONE_WEBDAV_URL=self.server.dav_url,
                           RCLONE_WEBDAV_USER=benchserver.USER,
                           RCLONE_WEBDAV_PASS=self.rclone_pass,
                           RCLONE_WEBDAV_VENDOR="other",
                           # Apache cannot assemble Nextcloud's chunks: one PUT per file.
                           OWNCLOUD_CHUNK_SIZE=str(4 << 30),
                           OWNCLOUD_MAX_CHUNK_SIZE=str(4 << 30),
                           OWNCLOUD_MIN_CHUNK_SIZE=str(1 << 20))
        environment.update(extra)
        return environment

    def run(self, command, check=True, **options):
        """Runs a command; returns (seconds, cpu seconds, completed process)."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        try:
            completed = subprocess.run(command, capture_output=True, text=True,
                                       timeout=RUN_TIMEOUT, env=self.environment(), **options)
        except subprocess.TimeoutExpired:
            raise Failure(f"timed out after {RUN_TIMEOUT} s: {' '.join(command[:3])}")
        except OSError as error:
            raise Failure(f"cannot run {command[0]}: {error}")
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if check and completed.returncode != 0:
            raise Failure(f"{os.path.basename(command[0])} exited {completed.returncode}: "
                          f"{(completed.stderr or completed.stdout)[-600:]}")
        return seconds, cpu, completed

    def remote_dir(self, tool):
        return os.path.join(self.server.storage, tool)

    def fresh_remote(self, tool):
        path = self.remote_dir(tool)
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
        return path

    def fresh_local(self, tool, workload):
        path = os.path.join(self.data, "work", tool)
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        subprocess.run(["cp", "-a", self.workload(workload), path], check=True)
        return path

    def check_remote(self, tool, workload, full):
        """The server's copy holds the workload: file count always, content on `full`."""
        root = self.remote_dir(tool)
        if full:
            digest, count = genworkload.tree_digest(root)
            if digest != self.digests[workload]:
                raise Failure(f"{tool}: the server's tree differs from {workload} "
                              f"({count} files, digest {digest})")
        else:
            # Like tree_digest, without Steadysync's own .steadysync/ (its change beacon):
            # counting the beacon failed Steadysync's second and later runs.
            count = 0
            for _, subdirectories, files in os.walk(root):
                subdirectories[:] = [d for d in subdirectories if d != ".steadysync"]
                count += len(files)
            if count != WORKLOAD_FILES[workload]:
                raise Failure(f"{tool}: {count} files on the server, expected "
                              f"{WORKLOAD_FILES[workload]}")

    def record(self, scenario, tool, samples, unit, better, **extra):
        row = dict(scenario=scenario, tool=tool, unit=unit, better=better,
                   samples=[round(s, 6) for s in samples],
                   median=round(statistics.median(samples), 6) if samples else None, **extra)
        self.rows.append(row)
        shown = "n/a" if row["median"] is None else f"{row['median']:.4g} {unit}"
        log(f"  {scenario} / {tool}: {shown} {extra.get('error', '')}")
        return row

    # ---- tools ----------------------------------------------------------------------------

    def steadysync_sync(self, local, tool, extra=()):
        url = self.server.dav_url + tool + "/"
        seconds, cpu, completed = self.run(
            [self.cli, "sync", local, url, "--user", benchserver.USER, "--json", "--quiet",
             *extra], check=False)
        if completed.returncode != 0:
            raise Failure(f"steadysync-cli sync exited {completed.returncode}: "
                          f"{completed.stdout[-300:]} {completed.stderr[-600:]}")
        report = json.loads(completed.stdout.strip().splitlines()[-1])
        return seconds, cpu, report

    def rclone(self, verb, local, tool, transfers):
        return self.run(["rclone", verb, local, f":webdav:{tool}", "--transfers",
                         str(transfers), "--config", "/dev/null"])

    def nextcloudcmd(self, local, tool):
        return self.run(["nextcloudcmd", "--non-interactive", "-s", "-u", benchserver.USER,
                         "-p", benchserver.PASSWORD, "--path", f"/{tool}", local,
                         self.server.root_url])

    def nextcloudcmd_pair(self, local, slug):
        """Upload, then the ids and permissions a Nextcloud would report, then one sync that
        re-fetches the uploads (their made-up PUT ETags differ from the real ones): from
        then on nextcloudcmd is in a steady state (bench/README.md)."""
        self.nextcloudcmd(local, slug)
        self.server.add_nextcloud_properties(slug)
        self.nextcloudcmd(local, slug)

    def curl_upload(self, local, tool, parallel=1):
        """One keep-alive curl for the MKCOLs, one for the PUTs: the server's own limit. With
        parallel > 1 the PUTs go over that many connections at once (curl --parallel), the
        limit for a client with Steadysync's parallelism."""
        base = self.server.dav_url + tool + "/"
        directories, files = [], []
        for directory, subdirectories, names in os.walk(local):
            subdirectories.sort()
            relative = os.path.relpath(directory, local)
            if relative != ".":
                directories.append(relative)
            files.extend(os.path.join(relative, name) if relative != "." else name
                         for name in sorted(names))
        with tempfile.NamedTemporaryFile("w", suffix=".curl", delete=False) as mkcol, \
                tempfile.NamedTemporaryFile("w", suffix=".curl", delete=False) as put:
            mkcol.write('request = "MKCOL"\n')
            for directory in directories:
                mkcol.write(f'url = "{base}{directory}/"\noutput = "/dev/null"\n')
            for file in files:
                put.write(f'upload-file = "{os.path.join(local, file)}"\n'
                          f'url = "{base}{file}"\noutput = "/dev/null"\n')
        credentials = f"{benchserver.USER}:{benchserver.PASSWORD}"
        try:
            total = cpu = 0.0
            for config in ([mkcol.name] if directories else []) + [put.name]:
                spread = (["--parallel", "--parallel-max", str(parallel)]
                          if parallel > 1 and config == put.name else [])
                seconds, used, _ = self.run(["curl", "-sS", "--fail", "-u", credentials,
                                             *spread, "-K", config])
                total += seconds
                cpu += used
            return total, cpu
        finally:
            os.unlink(mkcol.name)
            os.unlink(put.name)

    # ---- scenarios ------------------------------------------------------------------------

    def scenario_upload(self, workload):
        scenario = f"upload_{workload}"
        pristine = self.workload(workload)
        total_bytes = sum(os.path.getsize(os.path.join(d, f))
                          for d, _, files in os.walk(pristine) for f in files)
        files = WORKLOAD_FILES[workload]
        log(f"scenario {scenario}: {files} files, {total_bytes / MB:.0f} MB")
        tools = {
            "steadysync": lambda local, tool: self.steadysync_sync(local, tool)[:2],
            "rclone copy --transfers 4": lambda local, tool: self.rclone(
                "copy", local, tool, 4)[:2],
            "rclone sync --transfers 4": lambda local, tool: self.rclone(
                "sync", local, tool, 4)[:2],
            "nextcloudcmd": lambda local, tool: self.nextcloudcmd(local, tool)[:2],
            "curl keep-alive": self.curl_upload,
            "curl --parallel 4": lambda local, tool: self.curl_upload(local, tool, 4),
            "curl --parallel 8": lambda local, tool: self.curl_upload(local, tool, 8),
        }
        tools = {tool: upload for tool, upload in tools.items() if self.wanted(tool)}
        samples = {tool: [] for tool in tools}
        cpu = {tool: [] for tool in tools}
        errors = {}
        cp_samples = []
        for run in range(self.args.runs):
            for tool, upload in tools.items():
                if tool in errors:
                    continue
                slug = "-".join(part.strip("-") for part in tool.split()[:3]
                                if part not in ("keep-alive",))
                local = self.fresh_local(slug, workload)
                self.fresh_remote(slug)
                try:
                    seconds, used = upload(local, slug)
                    self.check_remote(slug, workload, full=run == 0)
                    samples[tool].append(seconds)
                    cpu[tool].append(used)
                except Failure as failure:
                    errors[tool] = str(failure)
                    log(f"  {tool} failed: {failure}")
                shutil.rmtree(self.remote_dir(slug), ignore_errors=True)
            destination = os.path.join(self.data, "work", "cp-destination")
            shutil.rmtree(destination, ignore_errors=True)
            seconds, _, _ = self.run(["cp", "-r", pristine, destination])
            cp_samples.append(seconds)
            shutil.rmtree(destination, ignore_errors=True)
        for tool in tools:
            extra = {"error": errors[tool]} if tool in errors else {}
            median = statistics.median(samples[tool]) if samples[tool] else None
            if median:
                extra.update(files_per_s=round(files / median, 1),
                             mb_per_s=round(total_bytes / MB / median, 2),
                             cpu_s=round(statistics.median(cpu[tool]), 3))
            self.record(scenario, tool, samples[tool], "s", "lower", **extra)
        self.record(scenario, "cp -r (local limit)", cp_samples, "s", "lower",
                    files_per_s=round(files / statistics.median(cp_samples), 1),
                    mb_per_s=round(total_bytes / MB / statistics.median(cp_samples), 1))

    def wanted(self, tool):
        """--tools: the peers to run (by first word: steadysync, rclone, nextcloudcmd, curl)."""
        return not self.args.tools or tool.split()[0] in self.args.tools.split(",")

    def synced_pairs(self, workload):
        """Per tool a local tree and its remote, already in sync (untimed setup, shared by the
        no-change and one-change scenarios)."""
        if workload in self.pairs:
            return self.pairs[workload]
        pairs = self.pairs[workload] = {}
        setups = {
            "steadysync": lambda local, slug: self.steadysync_sync(local, slug),
            "rclone sync --transfers 4": lambda local, slug: self.rclone("sync", local, slug, 4),
            "nextcloudcmd": self.nextcloudcmd_pair,
        }
        for tool, setup in ((t, s) for t, s in setups.items() if self.wanted(t)):
            slug = "pair-" + tool.split()[0]
            local = self.fresh_local(slug, workload)
            self.fresh_remote(slug)
            try:
                setup(local, slug)
                pairs[tool] = (local, slug, None)
            except Failure as failure:
                pairs[tool] = (local, slug, str(failure))
                log(f"  setup of {tool} failed: {failure}")
        return pairs

    def sync_once(self, tool, local, slug):
        if tool == "steadysync":
            seconds, cpu, report = self.steadysync_sync(local, slug)
            return seconds, cpu, report
        if tool.startswith("rclone"):
            return (*self.rclone("sync", local, slug, 4)[:2], None)
        return (*self.nextcloudcmd(local, slug)[:2], None)

    def scenario_resync(self, change):
        scenario = "one_change" if change else "resync_nochange"
        workload = "small"
        log(f"scenario {scenario} on {workload}")
        pairs = self.synced_pairs(workload)
        samples = {tool: [] for tool in pairs}
        errors = {tool: error for tool, (_, _, error) in pairs.items() if error}
        limit_samples = []
        for run in range(self.args.runs):
            # Each run edits another file and makes it longer: rclone compares sizes only
            # (Apache keeps no client mtimes), and a second nextcloudcmd upload of one file
            # would send If-Match with the made-up ETag of its first (bench/README.md).
            changed = f"d{run % 50:04d}/f{run:06d}.dat"
            for tool, (local, slug, _) in pairs.items():
                if tool in errors:
                    continue
                if change:
                    with open(os.path.join(local, changed), "rb") as source:
                        content = source.read() + f"run {run} of {tool}\n".encode()
                    with open(os.path.join(local, changed), "wb") as out:
                        out.write(content)
                try:
                    seconds, _, report = self.sync_once(tool, local, slug)
                    if change:
                        with open(os.path.join(self.remote_dir(slug), changed), "rb") as source:
                            if source.read() != content:
                                raise Failure("the change did not reach the server")
                    if report and (report["uploaded"] != (1 if change else 0) or report["failed"]):
                        raise Failure(f"unexpected report {report}")
                    samples[tool].append(seconds)
                except Failure as failure:
                    errors[tool] = str(failure)
                    log(f"  {tool} failed: {failure}")
            if change:
                local = pairs["steadysync"][0]
                limit_samples.append(self.run(
                    ["curl", "-sS", "--fail", "-o", "/dev/null", "-u",
                     f"{benchserver.USER}:{benchserver.PASSWORD}", "-T",
                     os.path.join(local, changed),
                     self.server.dav_url + "pair-steadysync/" + changed])[0])
            else:
                limit_samples.append(self.run(
                    ["sh", "-c", f"find '{pairs['steadysync'][0]}' -printf '%s %T@\\n' "
                                 ">/dev/null"])[0])
        for tool in pairs:
            extra = {"error": errors[tool]} if tool in errors else {}
            self.record(scenario, tool, samples[tool], "s", "lower", **extra)
        self.record(scenario, "curl one PUT (server limit)" if change else "find (local limit)",
                    limit_samples, "s", "lower")

    def scenario_rescan_huge(self):
        """The whole no-change sync of 100,000 files (1,000 folders): Steadysync against Apache
        with DavDepthInfinity On (one PROPFIND Depth: infinity) and Off (Depth-1 listings,
        --parallel at a time), beside nextcloudcmd on the same tree and find."""
        workload = "huge"
        log("scenario rescan_huge (setup: steadysync uploads 100,000 files once)")
        local = self.fresh_local("huge-steadysync", workload)
        self.fresh_remote("huge-steadysync")
        seconds, _, report = self.steadysync_sync(local, "huge-steadysync")
        log(f"  setup upload: {seconds:.1f} s, {report}")
        self.huge_pair = (local, "huge-steadysync")
        self.huge_steadysync_runs("steadysync", local, with_find=True)
        # mod_dav's default: Depth: infinity refused (403), the walk goes collection by
        # collection. Same storage, same port: the pair is unchanged.
        self.server.restart(depth_infinity=False)
        try:
            self.huge_steadysync_runs("steadysync, DavDepthInfinity Off (Depth 1)", local)
            # Twice the listings in flight (the walk keeps 2 x --parallel queued, the session
            # sends --parallel at a time): does the server answer faster?
            self.huge_steadysync_runs("steadysync --parallel 8, DavDepthInfinity Off (Depth 1)",
                                      local, extra=("--parallel", "8"))
        finally:
            self.server.restart(depth_infinity=True)
        if self.wanted("nextcloudcmd"):
            try:
                self.huge_nextcloudcmd_runs()
            except Failure as failure:
                self.record("rescan_huge", "nextcloudcmd", [], "s", "lower", error=str(failure))

    def huge_steadysync_runs(self, tool, local, with_find=False, extra=()):
        samples, own, local_side, walks, finds, requests = [], [], [], [], [], []
        for _ in range(self.args.runs):
            offset = self.access_log_offset()
            seconds, _, report = self.steadysync_sync(local, "huge-steadysync", extra)
            if report["uploaded"] or report["downloaded"] or report["failed"]:
                raise Failure(f"unexpected report {report}")
            requests.append(self.requests_since(offset))
            samples.append(seconds)
            own.append(report["seconds"])
            local_side.append(report["local_scan_seconds"])
            walks.append(report["remote_walk_seconds"])
            if with_find:
                finds.append(self.run(["sh", "-c", f"find '{local}' -printf '%s %T@\\n' "
                                                    ">/dev/null"])[0])
        propfinds = [[r for r in run if r[0] == "PROPFIND"] for run in requests]
        self.record("rescan_huge", tool, samples, "s", "lower",
                    engine_seconds=round(statistics.median(own), 3),
                    remote_walk_seconds=round(statistics.median(walks), 3),
                    propfinds=statistics.median(len(run) for run in propfinds),
                    apache_propfind_seconds=round(statistics.median(
                        sum(r[4] for r in run) / 1e6 for run in propfinds), 3),
                    listing_mb=round(statistics.median(
                        sum(r[3] for r in run) / MB for run in propfinds), 1))
        if with_find:
            # DESIGN §9 times the local side: the engine's own scan of the tree.
            self.record("rescan_huge", f"{tool} local side", local_side, "s", "lower")
            self.record("rescan_huge", "find (local limit)", finds, "s", "lower")

    def huge_nextcloudcmd_runs(self):
        """nextcloudcmd on the same 100,000 files. Its pair is set up without 100,000 uploads:
        the tree is copied to the server with its mtimes, given the properties a Nextcloud
        reports, and nextcloudcmd's first sync finds both sides equal (same size and mtime)
        and only records them; the runs after that are timed."""
        local = self.fresh_local("huge-nextcloudcmd", "huge")
        remote = self.remote_dir("huge-nextcloudcmd")
        shutil.rmtree(remote, ignore_errors=True)
        subprocess.run(["cp", "-a", self.workload("huge"), remote], check=True)
        started = time.monotonic()
        entries = self.server.add_nextcloud_properties("huge-nextcloudcmd")
        log(f"  nextcloudcmd setup: {entries} entries given Nextcloud properties in "
            f"{time.monotonic() - started:.0f} s")
        seconds = self.nextcloudcmd(local, "huge-nextcloudcmd")[0]
        log(f"  nextcloudcmd first sync (records the tree): {seconds:.1f} s")
        samples, propfinds = [], []
        for _ in range(self.args.runs):
            offset = self.access_log_offset()
            samples.append(self.nextcloudcmd(local, "huge-nextcloudcmd")[0])
            propfinds.append(sum(1 for r in self.requests_since(offset) if r[0] == "PROPFIND"))
        # nextcloudcmd keeps its journal (.sync_*.db) and log in the synced folder.
        digest, count = genworkload.tree_digest(local, (".sync_", "._sync_", ".nextcloudsync",
                                                        ".owncloudsync"))
        if count != WORKLOAD_FILES["huge"] or digest != self.digests["huge"]:
            raise Failure(f"nextcloudcmd changed the local tree ({count} files, "
                          f"samples {[round(s, 3) for s in samples]})")
        self.record("rescan_huge", "nextcloudcmd", samples, "s", "lower",
                    propfinds=statistics.median(propfinds))

    def access_log_offset(self):
        try:
            return os.path.getsize(self.server.access_log())
        except OSError:
            return 0

    def requests_since(self, offset):
        """(method, path, status, bytes, server seconds x 1e6) of each request Apache logged
        after offset (benchserver's "timed" LogFormat)."""
        with open(self.server.access_log(), "rb") as source:
            source.seek(offset)
            lines = source.read().decode(errors="replace").splitlines()
        found = []
        for line in lines:
            match = ACCESS_LINE.search(line)
            if match:
                found.append((match[1], match[2], int(match[3]),
                              0 if match[4] == "-" else int(match[4]), int(match[5])))
        return found

    def start_watch(self, local, slug, extra=()):
        # One log per watched folder: the team's clients share one slug (one remote folder).
        output = open(os.path.join(self.data, f"watch-{slug}-{os.path.basename(local)}.log"),
                      "w")
        return subprocess.Popen([self.cli, "watch", local, self.server.dav_url + slug + "/",
                                 "--user", benchserver.USER, *extra],
                                stdout=output, stderr=subprocess.STDOUT, env=self.environment())

    def stop_watch(self, process):
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def status(self, local):
        completed = subprocess.run([self.cli, "status", local, "--json"], capture_output=True,
                                   text=True, env=self.environment())
        try:
            return json.loads(completed.stdout)
        except ValueError:
            return {}

    def wait_idle(self, local, process, previous_sync, timeout=600):
        """Waits for watch's own first cycle: idle, nothing pending, and a last_sync newer
        than the one before it started (the journal of the setup sync already says idle)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise Failure(f"watch exited {process.returncode}")
            status = self.status(local)
            if (status.get("state") == "idle" and status.get("pending") == 0
                    and status.get("last_sync") != previous_sync):
                return status
            time.sleep(0.5)
        self.notes.append(f"watch of {local} did not report a finished first cycle within "
                          f"{timeout} s; measured anyway")
        return None

    def scenario_latency(self):
        saves = 20 if self.args.quick else 100
        log(f"scenario latency_watch: {saves} saves in watch (debounce {DEFAULT_DEBOUNCE_MS} ms)")
        local = self.fresh_local("latency", "small")
        remote = self.fresh_remote("latency")
        self.steadysync_sync(local, "latency")
        previous_sync = self.status(local).get("last_sync")
        process = self.start_watch(local, "latency",
                                   ["--debounce-ms", str(DEFAULT_DEBOUNCE_MS)])
        latencies = []
        try:
            self.wait_idle(local, process, previous_sync)
            for index in range(saves):
                relative = f"d{index % 10:04d}/f{index % 10:06d}.dat"
                content = f"save {index} at {time.time()}\n".encode() * 100
                started = time.perf_counter()
                with open(os.path.join(local, relative), "wb") as out:
                    out.write(content)
                target = os.path.join(remote, relative)
                deadline = started + 60
                while True:
                    try:
                        with open(target, "rb") as source:
                            if source.read() == content:
                                break
                    except OSError:
                        pass
                    if time.perf_counter() > deadline:
                        raise Failure(f"save {index} did not reach the server within 60 s")
                    time.sleep(0.002)
                latencies.append(time.perf_counter() - started)
                time.sleep(0.1)
        finally:
            self.stop_watch(process)
        latencies.sort()
        p99 = latencies[min(len(latencies) - 1, int(round(0.99 * (len(latencies) - 1))))]
        self.record("latency_watch", "steadysync p50", [statistics.median(latencies)], "s",
                    "lower", target=(DEFAULT_DEBOUNCE_MS + 200) / 1000, saves=saves)
        self.record("latency_watch", "steadysync p99", [p99], "s", "lower", saves=saves)

    def scenario_remote_latency(self):
        """Remote changes in seconds (issue 21 item 3), on Apache, nginx and rclone: a watch
        whose poll is ten minutes away receives changes another Steadysync client makes deep in
        the tree; from the end of the other client's sync to the file's new content here. None
        of these servers propagates collection ETags: the watch finds the change through the
        change beacon. Before the changes, the idle watch's requests per second are counted in
        the server's access log (rclone keeps none)."""
        changes = 20 if self.args.quick else 100
        kinds = [k for k in (self.args.remote_servers or "apache,nginx,rclone").split(",") if k]
        apache = self.server
        for kind in kinds:
            server = apache if kind == "apache" else peerservers.start(
                kind, os.path.join(self.data, f"server-{kind}"))
            self.server = server
            try:
                self.remote_latency_on(kind, changes)
            except Failure as failure:
                self.record("remote_latency", f"steadysync p50 ({kind})", [], "s", "lower",
                            error=str(failure))
            finally:
                self.server = apache
                if server is not apache:
                    server.stop()

    IDLE_WINDOW_SECONDS = 30

    def idle_requests_per_second(self, seconds=IDLE_WINDOW_SECONDS):
        log_path = self.server.access_log()
        if not log_path:
            return None
        self.wait_log_quiet(log_path)
        before = sum(1 for _ in open(log_path))
        time.sleep(seconds)
        return (sum(1 for _ in open(log_path)) - before) / seconds

    @staticmethod
    def wait_log_quiet(log_path, quiet_seconds=3, timeout=120):
        """Waits until the server's log grows by at most one line a second for a few seconds:
        the watch's start-up cycles are over and only its idle polls remain."""
        deadline = time.monotonic() + timeout
        quiet = 0
        lines = sum(1 for _ in open(log_path))
        while quiet < quiet_seconds and time.monotonic() < deadline:
            time.sleep(1)
            now = sum(1 for _ in open(log_path))
            quiet = quiet + 1 if now - lines <= 1 else 0
            lines = now

    def remote_latency_on(self, kind, changes):
        log(f"scenario remote_latency on {kind}: {changes} changes by another client, "
            "watch poll 600 s")
        slug = f"remote-latency-{kind}"
        watched = self.fresh_local(slug, "small")
        self.fresh_remote(slug)
        self.steadysync_sync(watched, slug)
        other = os.path.join(self.data, f"local-{slug}-other")
        shutil.rmtree(other, ignore_errors=True)
        shutil.copytree(watched, other, ignore=shutil.ignore_patterns(".steadysync"))
        self.steadysync_sync(other, slug)
        previous_sync = self.status(watched).get("last_sync")
        process = self.start_watch(watched, slug, ["--poll-interval", "600"])
        latencies = []
        try:
            self.wait_idle(watched, process, previous_sync)
            idle_rate = self.idle_requests_per_second()
            for index in range(changes):
                relative = f"d{index % 10:04d}/f{index % 10:06d}.dat"
                content = f"remote change {index} at {time.time()}\n".encode() * 10
                with open(os.path.join(other, relative), "wb") as out:
                    out.write(content)
                self.steadysync_sync(other, slug)
                latencies.append(self.wait_for_content(os.path.join(watched, relative),
                                                       content, index))
        finally:
            self.stop_watch(process)
        latencies.sort()
        p99 = latencies[min(len(latencies) - 1, int(round(0.99 * (len(latencies) - 1))))]
        self.record("remote_latency", f"steadysync p50 ({kind})",
                    [statistics.median(latencies)], "s", "lower", target=5, changes=changes)
        self.record("remote_latency", f"steadysync p99 ({kind})", [p99], "s", "lower",
                    changes=changes)
        if idle_rate is not None:
            self.record("remote_latency", f"idle requests/s ({kind})", [idle_rate], "req/s",
                        "lower", target=1)

    def wait_for_content(self, target, content, index):
        started = time.perf_counter()
        deadline = started + 120
        while True:
            try:
                with open(target, "rb") as source:
                    if source.read() == content:
                        return time.perf_counter() - started
            except OSError:
                pass
            if time.perf_counter() > deadline:
                raise Failure(f"remote change {index} did not arrive within 120 s")
            time.sleep(0.01)

    def scenario_idle(self):
        seconds = 60
        log(f"scenario idle_watch: watch of the huge tree, {seconds} s")
        if not self.huge_pair:
            local = self.fresh_local("huge-steadysync", "huge")
            self.fresh_remote("huge-steadysync")
            self.steadysync_sync(local, "huge-steadysync")
            self.huge_pair = (local, "huge-steadysync")
        local, slug = self.huge_pair
        previous_sync = self.status(local).get("last_sync")
        process = self.start_watch(local, slug)
        ticks = os.sysconf("SC_CLK_TCK")
        try:
            self.wait_idle(local, process, previous_sync)

            def cpu_ticks():
                with open(f"/proc/{process.pid}/stat") as source:
                    fields = source.read().rsplit(")", 1)[1].split()
                return int(fields[11]) + int(fields[12])

            def rss_mb():
                with open(f"/proc/{process.pid}/status") as source:
                    for line in source:
                        if line.startswith("VmRSS:"):
                            return int(line.split()[1]) / 1024
                return 0.0

            start_ticks, started = cpu_ticks(), time.monotonic()
            rss = []
            while time.monotonic() - started < seconds:
                rss.append(rss_mb())
                time.sleep(1)
            cpu_percent = 100 * (cpu_ticks() - start_ticks) / ticks / (time.monotonic() - started)
        finally:
            self.stop_watch(process)
        self.record("idle_watch", "steadysync RSS (max)", [max(rss)], "MB", "lower", target=150)
        self.record("idle_watch", "steadysync CPU", [cpu_percent], "% of a core", "lower",
                    target=1.0)

    def scenario_sha256(self):
        path = os.path.join(self.workload("large"), "l0.bin")
        size = os.path.getsize(path)
        log(f"scenario sha256 on {size / MB:.0f} MB in page cache")
        subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=True)
        steadysync, sha256sum, openssl = [], [], []
        for _ in range(self.args.runs):
            _, _, completed = self.run([self.hashbench, path, "1"])
            steadysync.append(json.loads(completed.stdout)["mb_per_s"])
            seconds, _, _ = self.run(["sha256sum", path])
            sha256sum.append(size / MB / seconds)
            # -elapsed: wall-clock time like the other two; by default openssl speed divides
            # by its CPU time, which on a loaded machine overstates the limit.
            _, _, completed = self.run(["openssl", "speed", "-elapsed", "-evp", "sha256",
                                        "-seconds", "2", "-bytes", "16384"])
            line = [l for l in completed.stdout.splitlines() if l.startswith("sha256")][-1]
            openssl.append(float(line.split()[-1].rstrip("k")) * 1000 / MB)
        self.record("sha256", "steadysync", steadysync, "MB/s", "higher")
        self.record("sha256", "sha256sum", sha256sum, "MB/s", "higher")
        self.record("sha256", "openssl speed -evp sha256 (limit)", openssl, "MB/s", "higher")

    # ---- report ---------------------------------------------------------------------------

    def ratios(self):
        result = []
        by_scenario = {}
        for row in self.rows:
            by_scenario.setdefault(row["scenario"], []).append(row)
        for scenario, rows in by_scenario.items():
            ours = next((r for r in rows if r["tool"] == "steadysync"), None)
            if not ours or not ours["median"]:
                continue
            for row in rows:
                if row is ours or not row["median"] or row["tool"].startswith("steadysync"):
                    continue  # only peers get a ratio (not Steadysync's own part-timings)
                advantage = (row["median"] / ours["median"] if row["better"] == "lower"
                             else ours["median"] / row["median"])
                result.append(dict(scenario=scenario, peer=row["tool"],
                                   advantage=round(advantage, 3)))
        return result

    def targets(self):
        """DESIGN §9's targets, checked against this run's medians."""
        median = {(r["scenario"], r["tool"]): r["median"] for r in self.rows}

        def ratio_target(name, scenario, peer, limit, higher_better=False,
                         ours_tool="steadysync"):
            ours, theirs = median.get((scenario, ours_tool)), median.get((scenario, peer))
            if not ours or not theirs:
                return None
            value = ours / theirs
            met = value >= limit if higher_better else value <= limit
            return dict(target=name, value=f"{value:.3g}x {peer}", met=met)

        def absolute_target(name, scenario, tool, limit, unit):
            value = median.get((scenario, tool))
            if value is None:
                return None
            return dict(target=name, value=f"{value:.4g} {unit}", met=value < limit)

        found = [
            ratio_target("first upload of small files within 1.5x of curl's time",
                         "upload_small", "curl keep-alive", 1.5),
            ratio_target("first upload of small files within 1.25x of curl with the same "
                         "parallelism (4)", "upload_small", "curl --parallel 4", 1.25),
            ratio_target("large files: time at most rclone copy's", "upload_large",
                         "rclone copy --transfers 4", 1.0),
            absolute_target("100,000-file no-change re-sync under 1 s (local side)",
                            "rescan_huge", "steadysync local side", 1.0, "s"),
            ratio_target("100,000-file re-sync (local side) within 1.5x of find", "rescan_huge",
                         "find (local limit)", 1.5, ours_tool="steadysync local side"),
            absolute_target("100,000-file no-change sync, whole, under 1 s against Apache "
                            "(DavDepthInfinity On)", "rescan_huge", "steadysync", 1.0, "s"),
            ratio_target("100,000-file no-change sync at most nextcloudcmd's time",
                         "rescan_huge", "nextcloudcmd", 1.0),
            absolute_target(f"save-to-remote p50 under debounce + 200 ms "
                            f"({(DEFAULT_DEBOUNCE_MS + 200) / 1000} s)", "latency_watch",
                            "steadysync p50", (DEFAULT_DEBOUNCE_MS + 200) / 1000, "s"),
            ratio_target("SHA-256 at least 80% of openssl speed", "sha256",
                         "openssl speed -evp sha256 (limit)", 0.8, higher_better=True),
            absolute_target("idle RSS watching 100,000 files under 150 MB", "idle_watch",
                            "steadysync RSS (max)", 150, "MB"),
            absolute_target("idle CPU watching 100,000 files under 1% of a core",
                            "idle_watch", "steadysync CPU", 1.0, "%"),
            *[absolute_target(f"remote change p50 under 5 s ({kind})", "remote_latency",
                              f"steadysync p50 ({kind})", 5.0, "s")
              for kind in ("apache", "nginx", "rclone")],
            # A window of N seconds holds N or N + 1 one-second ticks.
            *[absolute_target(f"idle watch at most 1 request/s ({kind})", "remote_latency",
                              f"idle requests/s ({kind})",
                              1.0001 + 1 / self.IDLE_WINDOW_SECONDS, "req/s")
              for kind in ("apache", "nginx")],
            absolute_target("idle RSS watching 1,000,000 files under 400 MB", "million",
                            "watch RSS (max after the first 2 s)", 400, "MB"),
            absolute_target("idle CPU watching 1,000,000 files under 1% of a core", "million",
                            "watch CPU", 1.0, "%"),
        ]
        return [target for target in found if target]

    def write_results(self, started, show=True, keep=None):
        os.makedirs(self.args.results, exist_ok=True)
        ratios = self.ratios()
        document = dict(
            date=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            runs=self.args.runs, quick=self.args.quick, seconds=round(time.time() - started),
            machine=dict(host=platform.node(), cpus=os.cpu_count(),
                         load=os.getloadavg(), kernel=platform.release()),
            server="Apache mod_dav_fs on 127.0.0.1 (bench/benchserver.py)",
            revision=subprocess.run(["git", "-C", os.path.dirname(os.path.abspath(__file__)),
                                     "rev-parse", "--short", "HEAD"], capture_output=True,
                                    text=True).stdout.strip(),
            workload_digests=self.digests, rows=self.rows, ratios=ratios,
            targets=self.targets(), notes=self.notes)
        document.update(keep or {})
        with open(os.path.join(self.args.results, "results.json"), "w") as out:
            json.dump(document, out, indent=1)
        markdown = self.markdown(document)
        with open(os.path.join(self.args.results, "results.md"), "w") as out:
            out.write(markdown)
        if show:
            print(markdown)

    def markdown(self, document):
        advantage = {(r["scenario"], r["peer"]): r["advantage"] for r in document["ratios"]}
        lines = [f"# Steadysync benchmarks ({document['date']})", "",
                 f"Commit {document['revision']} (plus the working tree's changes). "
                 f"Median of {document['runs']} run(s) per tool, tools in alternation; "
                 f"{document['machine']['cpus']} CPUs, load average at the end "
                 f"{', '.join(f'{l:.1f}' for l in document['machine']['load'])}. "
                 "Ratio = how many times better Steadysync is than that row (> 1: Steadysync "
                 "wins). See bench/README.md for what each scenario measures.", "",
                 "| scenario | tool | median | rate | Steadysync ratio | target |",
                 "|---|---|---|---|---|---|"]
        for row in document["rows"]:
            if row["median"] is None:
                median = f"failed: {row.get('error', '')[:80]}"
            else:
                median = f"{row['median']:.4g} {row['unit']}"
            rate = ""
            if "files_per_s" in row:
                rate = f"{row['files_per_s']:.4g} files/s, {row['mb_per_s']:.3g} MB/s"
            if "engine_seconds" in row:
                rate = f"engine's own: {row['engine_seconds']} s"
            if "journal_mb" in row:
                rate = f"journal {row['journal_mb']} MB"
            if "per_client" in row:
                rate = f"{row['per_client']} req/s per client"
            ratio = advantage.get((row["scenario"], row["tool"]))
            target = row.get("target", "")
            lines.append(f"| {row['scenario']} | {row['tool']} | {median} | {rate} | "
                         f"{'' if ratio is None else f'{ratio:.3g}x'} | {target} |")
        if document.get("targets"):
            lines += ["", "Targets of DESIGN §9 in this run:", "", "| target | measured | met |",
                      "|---|---|---|"]
            lines += [f"| {t['target']} | {t['value']} | {'yes' if t['met'] else '**no**'} |"
                      for t in document["targets"]]
        if document["notes"]:
            lines += ["", *[f"- {note}" for note in document["notes"]]]
        return "\n".join(lines) + "\n"


def rewrite_report(arguments):
    with open(os.path.join(arguments.results, "results.json")) as source:
        document = json.load(source)
    bench = Bench(arguments)
    bench.rows, bench.notes = document["rows"], document["notes"]
    bench.digests = document.get("workload_digests", {})
    arguments.runs, arguments.quick = document["runs"], document["quick"]
    keep = {key: document[key] for key in ("date", "seconds", "machine", "revision")
            if key in document}
    bench.write_results(time.time(), keep=keep)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", required=True, help="build directory with steadysync-cli")
    parser.add_argument("--data", default="/work/bench-data")
    parser.add_argument("--results", default=os.path.join(os.path.dirname(__file__), "results"))
    parser.add_argument("--runs", type=int, help="runs per tool (default 3, 1 with --quick)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="")
    parser.add_argument("--seed", default="steadysync-bench-1")
    parser.add_argument("--remote-servers", default="apache,nginx,rclone",
                        help="servers of the remote_latency scenario")
    parser.add_argument("--tools", default="",
                        help="only these peers, e.g. steadysync,curl (the local limits "
                             "cp/find always run)")
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite results.md/json from RESULTS/results.json, no runs")
    arguments = parser.parse_args()
    if arguments.runs is None:
        arguments.runs = 1 if arguments.quick else 3
    selected = [s for s in arguments.only.split(",") if s] or [
        s for s in SCENARIOS if not (arguments.quick and s in QUICK_SKIPS)]
    unknown = set(selected) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s) {', '.join(sorted(unknown))}; "
                     f"known: {', '.join(SCENARIOS)}")

    if arguments.report_only:
        return rewrite_report(arguments)
    # A terminated run still stops Apache and removes its scratch trees (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    bench = Bench(arguments)
    os.makedirs(bench.home, exist_ok=True)
    bench.rclone_pass = subprocess.run(["rclone", "obscure", benchserver.PASSWORD],
                                       capture_output=True, text=True,
                                       check=True).stdout.strip()
    bench.server = benchserver.BenchServer(os.path.join(bench.data, "server"))
    started = time.time()
    try:
        bench.server.start()
        log(f"Apache at {bench.server.root_url}, storage {bench.server.storage}")
        actions = {
            "upload_small": lambda: bench.scenario_upload("small"),
            "upload_mixed": lambda: bench.scenario_upload("mixed"),
            "upload_large": lambda: bench.scenario_upload("large"),
            "resync_nochange": lambda: bench.scenario_resync(change=False),
            "one_change": lambda: bench.scenario_resync(change=True),
            "rescan_huge": bench.scenario_rescan_huge,
            "latency_watch": bench.scenario_latency,
            "remote_latency": bench.scenario_remote_latency,
            "idle_watch": bench.scenario_idle,
            "sha256": bench.scenario_sha256,
            "team": lambda: scale.scenario_team(bench),
            "million": lambda: scale.scenario_million(bench),
        }
        for scenario in selected:
            try:
                actions[scenario]()
            except (Failure, scale.ScaleFailure) as failure:
                bench.notes.append(f"{scenario} failed: {failure}")
                log(f"scenario {scenario} failed: {failure}")
            bench.write_results(started, show=False)  # a partial report survives an abort
    finally:
        bench.server.stop()
        shutil.rmtree(os.path.join(bench.data, "work"), ignore_errors=True)
        shutil.rmtree(bench.server.storage, ignore_errors=True)
    bench.write_results(started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
