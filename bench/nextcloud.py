#!/usr/bin/env python3
"""Steadysync beside nextcloudcmd against a real Nextcloud (issue 19): one after the other, on
the same server, each tool in a folder of its own:

  1. first upload of the `small` workload (5,000 files of 1-16 KiB in 50 folders),
  2. a no-change sync of those files, twice (the first after an upload lists the folders it
     changed; the second is the steady no-op),
  3. first upload of the `large` workload (4 x 256 MiB).

For each step: wall time, and from the server's access log (one line per request, Apache's
"%D" duration in microseconds, as /work/shared/nextcloud/ writes STATE_DIR/server.log) the
requests by method, how many were answered 401, and the server's summed time. Usage:

  bench/nextcloud.py --url http://127.0.0.1:28600 --user u --password PW \\
      --server-log /tmp/nc-state/server.log --cli build/app/steadysync-cli \\
      [--only small,noop,large] [--tools steadysync,nextcloudcmd] [--out bench/results/nextcloud.md]

Workloads are generated with bench/genworkload.py under --data (default /tmp/nc-bench-data).
"""

import argparse
import base64
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
LOG_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[0-9.]+" (?P<status>\d{3}) \S+ (?P<us>\d+)us')


def dav_request(args, method, path):
    request = urllib.request.Request(f"{args.url}/remote.php/dav/files/{args.user}/{path}", method=method)
    token = base64.b64encode(f"{args.user}:{args.password}".encode()).decode()
    request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def workload(args, name):
    path = os.path.join(args.data, name)
    if not os.path.isdir(path):
        subprocess.run([sys.executable, os.path.join(HERE, "genworkload.py"), name, path], check=True,
                       stdout=subprocess.DEVNULL)
    return path


def log_size(args):
    return os.path.getsize(args.server_log) if args.server_log else 0


def requests_since(args, offset):
    """Requests logged since offset: by method, 401s, server time."""
    counts = collections.Counter()
    challenges = 0
    server_us = 0
    if not args.server_log:
        return {}
    with open(args.server_log, "rb") as log:
        log.seek(offset)
        for line in log.read().decode(errors="replace").splitlines():
            match = LOG_LINE.search(line)
            if not match:
                continue
            counts[match["method"]] += 1
            challenges += match["status"] == "401"
            server_us += int(match["us"])
    return {"requests": sum(counts.values()), "by_method": dict(counts), "answered_401": challenges,
            "server_seconds": round(server_us / 1e6, 1)}


def copy_tree(source, target):
    if os.path.exists(target):
        shutil.rmtree(target)
    shutil.copytree(source, target)


def run_tool(args, tool, local, remote_folder, home):
    url = f"{args.url}/remote.php/dav/files/{args.user}/{remote_folder}/"
    if tool == "steadysync":
        env = dict(os.environ, HOME=home, STEADYSYNC_PASSWORD=args.password, QT_QPA_PLATFORM="offscreen")
        command = [args.cli, "sync", local, url, "--user", args.user, "--json"]
    else:
        env = dict(os.environ, HOME=home)
        command = ["nextcloudcmd", "--non-interactive", "-u", args.user, "-p", args.password,
                   "--path", f"/{remote_folder}", local, args.url]
    started = time.monotonic()
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        print(f"{tool} exited {done.returncode}: {done.stderr[-2000:]}", file=sys.stderr)
    return seconds, done.returncode


def measure(args, tool, step, local, remote_folder, home):
    offset = log_size(args)
    seconds, code = run_tool(args, tool, local, remote_folder, home)
    time.sleep(1)  # the access log is written as each request ends
    row = {"tool": tool, "step": step, "seconds": round(seconds, 1), "exit": code,
           "load": os.getloadavg()[0]}
    row.update(requests_since(args, offset))
    print(json.dumps(row), flush=True)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="the server's base URL, e.g. http://127.0.0.1:28600")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", default=os.environ.get("NC_PASSWORD"))
    parser.add_argument("--server-log", help="the server's access log (request counts)")
    parser.add_argument("--cli", default="build/app/steadysync-cli")
    parser.add_argument("--data", default=os.environ.get("NC_BENCH_DATA", "/tmp/nc-bench-data"))
    parser.add_argument("--only", default="small,noop,large")
    parser.add_argument("--tools", default="steadysync,nextcloudcmd")
    parser.add_argument("--tag", default=time.strftime("%H%M%S"), help="suffix of the remote folders")
    parser.add_argument("--out", help="append the rows as JSON lines to this file")
    args = parser.parse_args()
    args.cli = os.path.abspath(args.cli)
    steps = args.only.split(",")
    tools = args.tools.split(",")
    rows = []
    scratch = tempfile.mkdtemp(prefix="nc-bench-")
    # Step by step, the tools one after the other within a step: both see the same load.
    # The first no-change sync after an upload lists the folders the upload changed (their
    # ETags are newer than the walk before it saw); the second one is the steady no-op.
    plan = [("upload_small", "small"), ("nochange_small", "small"), ("nochange_again", "small"),
            ("upload_large", "large")]
    wanted = {"upload_small": "small", "nochange_small": "noop", "nochange_again": "noop",
              "upload_large": "large"}
    try:
        for step, name in plan:
            if wanted[step] not in steps:
                continue
            for tool in tools:
                home = os.path.join(scratch, f"home-{tool}")
                os.makedirs(home, exist_ok=True)
                folder = f"bench-{tool}-{name}-{args.tag}"
                local = os.path.join(scratch, f"{tool}-{name}")
                if step.startswith("upload_"):
                    status = dav_request(args, "MKCOL", folder)
                    if status not in (201, 405):
                        sys.exit(f"MKCOL {folder}: HTTP {status}")
                    copy_tree(workload(args, name), local)
                rows.append(measure(args, tool, step, local, folder, home))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if args.out:
        with open(args.out, "a") as out:
            for row in rows:
                out.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
