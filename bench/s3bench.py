#!/usr/bin/env python3
"""First-upload benchmark on S3 (issue 22, deliverable 5): steadysync-cli beside `rclone copy`
with the same parallelism and `s3cmd put` (one object at a time), on one Ceph RADOS Gateway
started for the run (scripts/ceph-rgw.sh, memstore: the store's own speed is RAM speed).

Workloads: `small` (N files of 1-16 KiB in 50 directories; N = 5,000 by default) and `large`
(4 files of M MiB; M = 256 by default). Each tool uploads into a bucket of its own, which is
emptied afterwards (memstore keeps everything in RAM). Each run is checked: the bucket must
hold every file with its size. Results: a table on stdout and bench/results/s3.md.
"""

import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
KIB, MIB = 1024, 1024 * 1024


def log(message):
    print(message, file=sys.stderr, flush=True)


def free_port_pair():
    for _ in range(50):
        with socket.socket() as first:
            first.bind(("127.0.0.1", 0))
            port = first.getsockname()[1]
            with socket.socket() as second:
                try:
                    second.bind(("127.0.0.1", port + 1))
                    return port
                except OSError:
                    continue
    raise SystemExit("no free port pair")


def generate(kind, root, count, large_mib):
    rng = random.Random(f"steadysync-s3-bench:{kind}")
    os.makedirs(root)
    if kind == "small":
        for index in range(count):
            directory = os.path.join(root, f"d{index % 50:04d}")
            os.makedirs(directory, exist_ok=True)
            with open(os.path.join(directory, f"f{index:06d}.dat"), "wb") as out:
                out.write(rng.randbytes(rng.randint(1 * KIB, 16 * KIB)))
    else:
        block = rng.randbytes(MIB)
        for index in range(4):
            with open(os.path.join(root, f"l{index}.bin"), "wb") as out:
                for part in range(large_mib):
                    out.write(part.to_bytes(8, "little") + block[8:])


def tree_sizes(root):
    sizes = {}
    for directory, _, files in os.walk(root):
        if ".steadysync" in directory.split(os.sep):
            continue
        for name in files:
            path = os.path.join(directory, name)
            sizes[os.path.relpath(path, root)] = os.path.getsize(path)
    return sizes


class Bench:
    def __init__(self, args):
        self.args = args
        self.work = tempfile.mkdtemp(prefix="steadysync-s3bench-")
        self.cluster = os.path.join(self.work, "cluster")
        self.endpoint = self.key = self.secret = None
        self.rows = []

    def start_gateway(self):
        port = free_port_pair()
        out = subprocess.run(["bash", os.path.join(REPO, "scripts/ceph-rgw.sh"), "start",
                              self.cluster, str(port)], check=True, capture_output=True,
                             text=True).stdout
        values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
        self.endpoint, self.key, self.secret = (values["endpoint"], values["access_key"],
                                                values["secret_key"])
        log(f"Ceph RGW at {self.endpoint}")

    def stop_gateway(self):
        subprocess.run(["bash", os.path.join(REPO, "scripts/ceph-rgw.sh"), "stop", self.cluster],
                       capture_output=True)
        shutil.rmtree(self.work, ignore_errors=True)

    def boto(self):
        import boto3
        from botocore.config import Config
        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=self.key,
                            aws_secret_access_key=self.secret, region_name="us-east-1",
                            config=Config(s3={"addressing_style": "path"}))

    def bucket_sizes(self, bucket):
        sizes = {}
        for page in self.boto().get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for entry in page.get("Contents", []):
                if not entry["Key"].endswith("/"):
                    sizes[entry["Key"]] = entry["Size"]
        return sizes

    def empty_bucket(self, bucket):
        s3 = self.boto()
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            keys = [{"Key": entry["Key"]} for entry in page.get("Contents", [])]
            if keys:
                s3.delete_objects(Bucket=bucket, Delete={"Objects": keys})

    def commands(self, local, bucket):
        parallel = str(self.args.parallel)
        host = self.endpoint.split("//", 1)[1]
        # AWS_CA_BUNDLE (set for https elsewhere) makes rclone refuse a plain-http endpoint.
        env = {name: value for name, value in os.environ.items() if name != "AWS_CA_BUNDLE"}
        env.update(STEADYSYNC_PASSWORD=self.secret, RCLONE_CONFIG_RGW_TYPE="s3",
                   RCLONE_CONFIG_RGW_PROVIDER="Ceph", RCLONE_CONFIG_RGW_ENDPOINT=self.endpoint,
                   RCLONE_CONFIG_RGW_ACCESS_KEY_ID=self.key,
                   RCLONE_CONFIG_RGW_SECRET_ACCESS_KEY=self.secret)
        return env, {
            f"steadysync-cli --parallel {parallel}": [
                self.args.cli, "sync", local, f"s3+{self.endpoint}/{bucket}", "--quiet",
                "--access-key-id", self.key, "--parallel", parallel],
            f"rclone copy --transfers {parallel}": [
                "rclone", "copy", local, f"rgw:{bucket}", "--transfers", parallel,
                "--exclude", ".steadysync/**"],
            "s3cmd put (one at a time)": [
                "s3cmd", "put", "--recursive", "--no-ssl", f"--host={host}",
                f"--host-bucket={host}", f"--access_key={self.key}",
                f"--secret_key={self.secret}", "--no-progress", "--quiet", "--exclude",
                ".steadysync/*", local + "/", f"s3://{bucket}/"],
        }

    def run_tool(self, workload, source, tool, index):
        bucket = f"bench-{workload}-{index}"
        self.boto().create_bucket(Bucket=bucket)
        local = os.path.join(self.work, f"{workload}-{index}")
        subprocess.run(["cp", "-al", source, local], check=True)
        env, commands = self.commands(local, bucket)
        started = time.monotonic()
        done = subprocess.run(commands[tool], env=env, capture_output=True, text=True)
        seconds = time.monotonic() - started
        expected = tree_sizes(source)
        complete = done.returncode == 0 and self.bucket_sizes(bucket) == expected
        self.rows.append((workload, tool, seconds, complete, len(expected),
                          sum(expected.values())))
        log(f"  {workload} / {tool}: {seconds:.2f} s{'' if complete else ' INCOMPLETE'}"
            f"{'' if done.returncode == 0 else ' exit ' + str(done.returncode) + ': ' + done.stderr[-300:]}")
        self.empty_bucket(bucket)
        shutil.rmtree(local, ignore_errors=True)

    def report(self):
        lines = ["# First upload to S3 (one-node Ceph RGW, memstore, loopback)", "",
                 f"{self.args.small_count} small files; 4 x {self.args.large_mib} MiB; "
                 f"parallelism {self.args.parallel}. {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
                 f"load average {os.getloadavg()[0]:.1f} at the end.", "",
                 "| workload | tool | seconds | MB/s | files/s | complete |",
                 "|---|---|---|---|---|---|"]
        for workload, tool, seconds, complete, files, total in self.rows:
            lines.append(f"| {workload} | {tool} | {seconds:.2f} | {total / MIB / seconds:.1f} | "
                         f"{files / seconds:.0f} | {'yes' if complete else 'NO'} |")
        text = "\n".join(lines) + "\n"
        print(text)
        os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
        with open(os.path.join(HERE, "results", "s3.md"), "w") as out:
            out.write(text)

    def main(self):
        self.start_gateway()
        try:
            for workload in ("small", "large"):
                source = os.path.join(self.work, f"source-{workload}")
                generate(workload, source, self.args.small_count, self.args.large_mib)
                log(f"workload {workload}: {len(tree_sizes(source))} files")
                for index, tool in enumerate(self.commands("", "")[1]):
                    if any(tool.startswith(name) for name in self.args.tools.split(",")):
                        self.run_tool(workload, source, tool, index)
                shutil.rmtree(source, ignore_errors=True)
            self.report()
        finally:
            self.stop_gateway()


def main():
    # Ctrl+C or SIGTERM: stop the gateway and remove the scratch trees (Bench.main's finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", default=os.path.join(REPO, "build-bench/app/steadysync-cli"))
    parser.add_argument("--small-count", type=int, default=5000)
    parser.add_argument("--large-mib", type=int, default=256)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--tools", default="steadysync,rclone,s3cmd")
    Bench(parser.parse_args()).main()


if __name__ == "__main__":
    main()
