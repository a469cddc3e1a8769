#!/usr/bin/env python3
"""nginx (with dav_ext) and rclone serve webdav on loopback for the benchmark scenarios that
are measured on more servers than Apache (remote_latency). Each offers what bench.py uses of
benchserver.BenchServer: storage, dav_url, access_log(), start(), stop(), pids(), and the same
user and password. The configurations follow tests/support/webdavserver.cpp.
"""

import os
import shutil
import subprocess

import benchserver
from benchserver import PASSWORD, USER, free_port, terminate_with_parent


def nginx_config(base, port):
    temp_paths = "".join(f"    {kind}_temp_path {base}/run/{kind};\n"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""daemon off;
master_process off;
worker_processes 1;
pid {base}/run/nginx.pid;
error_log {base}/logs/error.log warn;
load_module /usr/lib/nginx/modules/ngx_http_dav_ext_module.so;
events {{ worker_connections 256; }}
http {{
    log_format timed '$remote_addr [$time_local] "$request" $status $body_bytes_sent';
    access_log {base}/logs/access.log timed;
{temp_paths}    client_max_body_size 0;
    server {{
        listen 127.0.0.1:{port};
        root {base}/www;
        location /dav/ {{
            dav_methods PUT DELETE MKCOL COPY MOVE;
            dav_ext_methods PROPFIND OPTIONS;
            dav_access user:rw group:rw all:r;
            create_full_put_path on;
            auth_basic steadysync;
            auth_basic_user_file {base}/htpasswd;
        }}
    }}
}}
"""


class PeerServer(benchserver.LoopbackServer):
    """What the nginx and rclone servers share beyond a bench server's basics."""

    name = "peer"

    def access_log(self):
        """None where the server keeps no per-request log."""
        return None

    def prepare(self):
        for sub in ("www/dav", "run", "logs"):
            os.makedirs(f"{self.base}/{sub}", exist_ok=True)
        subprocess.run(["htpasswd", "-cbm", f"{self.base}/htpasswd", USER, PASSWORD],
                       check=True, capture_output=True)

    def command(self):
        raise NotImplementedError

    def start(self):
        self.prepare()
        for _ in range(5):
            self.port = free_port()
            output = open(f"{self.base}/logs/output.log", "w")
            self.process = subprocess.Popen(self.command(), stdout=output,
                                            stderr=subprocess.STDOUT, start_new_session=True,
                                            preexec_fn=terminate_with_parent)
            if self.wait_ready():
                return self
            self.stop()
        raise RuntimeError(f"{self.name} did not start; see {self.base}/logs/")

    def pids(self):
        return [self.process.pid] if self.process else []


class NginxServer(PeerServer):
    name = "nginx"

    def access_log(self):
        return f"{self.base}/logs/access.log"

    def command(self):
        config = f"{self.base}/nginx.conf"
        with open(config, "w") as out:
            out.write(nginx_config(self.base, self.port))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        return [nginx, "-p", self.base, "-e", f"{self.base}/logs/error.log", "-c", config]


class RcloneServer(PeerServer):
    name = "rclone"

    def command(self):
        # Every change in the bench goes through the server, which keeps its directory cache
        # up to date (measured: a PUT, MOVE and DELETE show in the next listing with the
        # default 5 min cache). Without a cache (0s) rclone stats every ancestor of every member
        # it lists: a listing of 5,000 files took ~7 s of its CPU, which is what remote_latency
        # measured on rclone then. 1 s still shows changes made on its disk within a second.
        return ["rclone", "serve", "webdav", self.storage, "--addr", f"127.0.0.1:{self.port}",
                "--htpasswd", f"{self.base}/htpasswd", "--baseurl", "/dav",
                "--dir-cache-time", "1s", "--config", "/dev/null"]


def start(kind, base):
    """The server of `kind` (apache, nginx, rclone) under `base`, started."""
    servers = {"apache": benchserver.BenchServer, "nginx": NginxServer, "rclone": RcloneServer}
    return servers[kind](base).start()
