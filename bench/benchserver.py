#!/usr/bin/env python3
"""Apache mod_dav on loopback for the benchmarks, also dressed as a Nextcloud for nextcloudcmd.

One storage directory (BASE/www/dav) is served under three URL paths (bench/README.md):
  /dav/                          plain WebDAV: steadysync-cli, rclone, curl
  /remote.php/dav/files/USER/    the Nextcloud WebDAV tree: nextcloudcmd
  /remote.php/webdav/            the legacy Nextcloud WebDAV path
plus static JSON for status.php and the OCS calls nextcloudcmd makes (no PHP anywhere).
As root, Apache runs inside a user namespace as an ordinary user that still writes as root
outside (the approach of tests/support/webdavserver.cpp).

Standalone: `benchserver.py BASE` starts it, prints the URLs and runs until Ctrl+C.
"""

import base64
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

USER = "bench"
PASSWORD = "bench-pw"
UNPRIVILEGED_UID = 33  # www-data on Debian

MODULES = [
    ("mpm_event_module", "mod_mpm_event.so"),
    ("authz_core_module", "mod_authz_core.so"),
    ("authn_core_module", "mod_authn_core.so"),
    ("authn_file_module", "mod_authn_file.so"),
    ("authz_user_module", "mod_authz_user.so"),
    ("auth_basic_module", "mod_auth_basic.so"),
    ("dav_module", "mod_dav.so"),
    ("dav_fs_module", "mod_dav_fs.so"),
    ("alias_module", "mod_alias.so"),
    ("mime_module", "mod_mime.so"),
    ("headers_module", "mod_headers.so"),
]

NEXTCLOUD_VERSION = {"major": 25, "minor": 0, "micro": 0, "string": "25.0.0",
                     "edition": "", "extendedSupport": False}

# Path below BASE/www -> JSON body. The query strings (?format=json) do not matter to Apache.
STATIC_ANSWERS = {
    "status.php": {"installed": True, "maintenance": False, "needsDbUpgrade": False,
                   "version": "25.0.0.0", "versionstring": "25.0.0", "edition": "",
                   "productname": "Nextcloud", "extendedSupport": False},
    "ocs/v1.php/cloud/capabilities": {"ocs": {
        "meta": {"status": "ok", "statuscode": 100, "message": "OK"},
        "data": {"version": NEXTCLOUD_VERSION,
                 "capabilities": {"core": {"pollinterval": 60, "webdav-root": "remote.php/webdav"},
                                  "files": {"bigfilechunking": False, "undelete": False,
                                            "versioning": False},
                                  "dav": {}}}}},
    "ocs/v1.php/cloud/user": {"ocs": {
        "meta": {"status": "ok", "statuscode": 100, "message": "OK"},
        "data": {"id": USER, "display-name": USER, "email": None}}},
    "ocs/v2.php/cloud/user": {"ocs": {
        "meta": {"status": "ok", "statuscode": 200, "message": "OK"},
        "data": {"id": USER, "display-name": USER, "email": None}}},
    "ocs/v2.php/cloud/capabilities": {"ocs": {
        "meta": {"status": "ok", "statuscode": 200, "message": "OK"},
        "data": {"version": NEXTCLOUD_VERSION,
                 "capabilities": {"core": {"pollinterval": 60, "webdav-root": "remote.php/webdav"},
                                  "files": {"bigfilechunking": False}, "dav": {}}}}},
}


def terminate_with_parent():
    """No Apache outlives a benchmark that is killed outright (PR_SET_PDEATHSIG)."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def user_namespaces_work():
    return subprocess.run(["unshare", "--user", f"--map-user={UNPRIVILEGED_UID}",
                           f"--map-group={UNPRIVILEGED_UID}", "true"],
                          capture_output=True).returncode == 0


def apache_config(base, port, user_directive, depth_infinity=True):
    modules = "".join(f"LoadModule {name} /usr/lib/apache2/modules/{file}\n"
                      for name, file in MODULES)
    # DavDepthInfinity On: PROPFIND Depth: infinity answered with the whole tree, a setting
    # users can turn on (bench/README.md); Off is mod_dav's default (403).
    # FileETag INode MTime Size: ETags that name one file (a setting users can turn on; Apache's
    # default "SIZE-MTIME" is shared by files of one size written in one clock tick), which
    # lets Steadysync prove its creates by a MOVE instead of reading them back (DESIGN.md, "Two
    # writers"). BENCH_APACHE_ETAGS=default measures with Apache's default.
    file_etags = ("" if os.environ.get("BENCH_APACHE_ETAGS") == "default"
                  else "    FileETag INode MTime Size\n")
    dav_block = (f"    Dav On\n    AuthType Basic\n    AuthName bench\n"
                 f"    AuthUserFile {base}/htpasswd\n    Require valid-user\n"
                 f"    DavDepthInfinity {'On' if depth_infinity else 'Off'}\n{file_etags}")
    return f"""ServerRoot {base}
Listen 127.0.0.1:{port}
ServerName 127.0.0.1
PidFile {base}/run/apache.pid
DefaultRuntimeDir {base}/run
ErrorLog {base}/logs/error.log
LogLevel warn
{modules}{user_directive}
LogFormat "%h %t \\"%r\\" %>s %b %D" timed
CustomLog {base}/logs/access.log timed
StartServers 2
ServerLimit 4
ThreadsPerChild 25
MaxRequestWorkers 100
MinSpareThreads 25
MaxSpareThreads 75
KeepAlive On
MaxKeepAliveRequests 0
KeepAliveTimeout 15
LimitRequestBody 0
TypesConfig /etc/mime.types
DocumentRoot {base}/www
DavLockDB {base}/lock/davlock
Alias /remote.php/dav/files/{USER} {base}/www/dav
Alias /remote.php/webdav {base}/www/dav
<Directory {base}/www>
    ForceType application/json
</Directory>
<Directory {base}/www/dav>
    ForceType None
{dav_block}</Directory>
# mod_dav answers PUT without an ETag; nextcloudcmd refuses an upload without one. A made-up
# one (bench/README.md): the next PROPFIND shows the real ETag, so nextcloudcmd's first sync
# after an upload re-fetches the files once.
<LocationMatch "^/remote\\.php/">
    Header always set ETag "expr=%{{md5:%{{REQUEST_URI}}%{{TIME}}}}" "expr=%{{REQUEST_METHOD}} == 'PUT'"
</LocationMatch>
"""


class LoopbackServer:
    """What every bench server shares: a base directory holding www/dav, a loopback port, and
    its process group (stopped with it)."""

    def __init__(self, base):
        self.base = os.path.abspath(base)
        self.port = 0
        self.process = None

    @property
    def storage(self):
        return f"{self.base}/www/dav"

    @property
    def dav_url(self):
        return f"http://127.0.0.1:{self.port}/dav/"

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            request = urllib.request.Request(self.dav_url, method="PROPFIND",
                                             headers={"Depth": "0",
                                                      "Authorization": f"Basic {token}"})
            try:
                with urllib.request.urlopen(request, timeout=2) as reply:
                    if reply.status == 207:
                        return True
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.05)
        return False


class BenchServer(LoopbackServer):
    def __init__(self, base, depth_infinity=True):
        super().__init__(base)
        self.depth_infinity = depth_infinity

    def restart(self, depth_infinity):
        """The same storage on the same port (the pairs' URLs stay valid), with
        DavDepthInfinity On or Off."""
        self.stop()
        self.depth_infinity = depth_infinity
        return self.start()

    @property
    def root_url(self):
        return f"http://127.0.0.1:{self.port}/"

    def access_log(self):
        return f"{self.base}/logs/access.log"

    def prepare(self):
        for sub in ("www/dav", "run", "lock", "logs"):
            os.makedirs(f"{self.base}/{sub}", exist_ok=True)
        for path, body in STATIC_ANSWERS.items():
            full = f"{self.base}/www/{path}"
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as out:
                json.dump(body, out)
        subprocess.run(["htpasswd", "-cbm", f"{self.base}/htpasswd", USER, PASSWORD],
                       check=True, capture_output=True)

    def clear_storage(self):
        """A fresh, empty remote (first-upload runs)."""
        shutil.rmtree(self.storage, ignore_errors=True)
        os.makedirs(self.storage)
        if os.geteuid() == 0 and not self.in_namespace:
            os.chown(self.storage, UNPRIVILEGED_UID, UNPRIVILEGED_UID)

    def start(self):
        self.prepare()
        apache = shutil.which("apache2") or "/usr/sbin/apache2"
        self.in_namespace = os.geteuid() == 0 and user_namespaces_work()
        for attempt in range(5):
            # A restart keeps its port if it can.
            self.port = self.port if attempt == 0 and self.port else free_port()
            config = f"{self.base}/apache.conf"
            user_directive = ""
            command = [apache, "-f", config, "-DFOREGROUND"]
            if self.in_namespace:
                command = ["unshare", "--user", f"--map-user={UNPRIVILEGED_UID}",
                           f"--map-group={UNPRIVILEGED_UID}"] + command
            elif os.geteuid() == 0:
                # No user namespaces: Apache drops to www-data and needs its files.
                user_directive = f"User #{UNPRIVILEGED_UID}\nGroup #{UNPRIVILEGED_UID}\n"
                for sub in ("www", "lock", "logs", "run"):
                    subprocess.run(["chown", "-R", f"{UNPRIVILEGED_UID}:{UNPRIVILEGED_UID}",
                                    f"{self.base}/{sub}"], check=True)
            if os.path.exists(f"{self.base}/run/apache.pid"):
                os.remove(f"{self.base}/run/apache.pid")
            with open(config, "w") as out:
                out.write(apache_config(self.base, self.port, user_directive,
                                        self.depth_infinity))
            output = open(f"{self.base}/logs/output.log", "w")
            self.process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT,
                                            start_new_session=True,
                                            preexec_fn=terminate_with_parent)
            if self.wait_ready():
                return self
            self.stop()
        raise RuntimeError(f"Apache did not start; see {self.base}/logs/")

    def add_nextcloud_properties(self, folder):
        """Gives every file and directory under storage/FOLDER the oc:id and oc:permissions
        dead properties a Nextcloud reports (nextcloudcmd refuses entries without them), with
        one keep-alive curl of PROPPATCHes. Returns the number of entries."""
        base = f"{self.root_url}remote.php/dav/files/{USER}/{folder}"
        storage = os.path.join(self.storage, folder)
        count = 0
        with tempfile.NamedTemporaryFile("w", suffix=".curl", delete=False) as config:
            for directory, subdirectories, files in os.walk(storage):
                subdirectories[:] = [d for d in subdirectories if d != ".DAV"]
                relative = os.path.relpath(directory, storage)
                prefix = "" if relative == "." else relative + "/"
                entries = [(prefix, "RDNVCK")] + [(prefix + f, "RDNVW") for f in files]
                for path, permissions in entries:
                    count += 1
                    body = ("<?xml version='1.0'?><d:propertyupdate xmlns:d='DAV:' "
                            "xmlns:oc='http://owncloud.org/ns'><d:set><d:prop>"
                            f"<oc:id>{count:08d}ocbench</oc:id><oc:fileid>{count}</oc:fileid>"
                            f"<oc:permissions>{permissions}</oc:permissions>"
                            "</d:prop></d:set></d:propertyupdate>")
                    if count > 1:
                        config.write("next\n")
                    # `next` resets every option: the credentials go in each group.
                    config.write(f'url = "{base}/{path}"\nrequest = "PROPPATCH"\n'
                                 f'user = "{USER}:{PASSWORD}"\nfail\n'
                                 f'header = "Content-Type: application/xml"\n'
                                 f'data = "{body}"\noutput = "/dev/null"\n')
        try:
            subprocess.run(["curl", "-sS", "-K", config.name], check=True, capture_output=True)
        finally:
            os.unlink(config.name)
        return count

    def pids(self):
        """Apache's processes (the parent and its children): for CPU accounting."""
        if not self.process:
            return []
        found = []
        pending = [self.process.pid]
        while pending:
            pid = pending.pop()
            found.append(pid)
            try:
                with open(f"/proc/{pid}/task/{pid}/children") as children:
                    pending.extend(int(child) for child in children.read().split())
            except OSError:
                pass
        return found

def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server = BenchServer(sys.argv[1]).start()
    print(f"WebDAV:     {server.dav_url}  (user {USER}, password {PASSWORD})")
    print(f"Nextcloud:  {server.root_url}")
    print(f"storage:    {server.storage}")
    print(f"access log: {server.access_log()}")
    try:
        signal.pause()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
