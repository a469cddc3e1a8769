#!/usr/bin/env bash
# A one-node Ceph cluster with a RADOS Gateway (S3) on loopback, for tests (issue 22):
#   scripts/ceph-rgw.sh start DIR PORT [OWNER_PID]   # everything under DIR; S3 on 127.0.0.1:PORT
#                                               # (stopped when OWNER_PID ends, if given)
#   scripts/ceph-rgw.sh stop DIR
# memstore OSD, no mgr, short paxos intervals: ~2 s to a usable S3 user (docs: the section
# "A real S3 server here" of the environment notes). Prints, on success:
#   endpoint=http://127.0.0.1:PORT
#   access_key=...
#   secret_key=...
# Needs Debian 12's ceph-mon ceph-osd radosgw ceph-common; runs as any user.
set -euo pipefail

readonly ACCESS_KEY=steadysynctestaccesskey
readonly SECRET_KEY=steadysynctestsecretkey0123456789abcdefgh

usage() {
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
}

write_conf() {
    local dir=$1 port=$2 monport=$3
    cat >"$dir/ceph.conf" <<EOF
[global]
fsid = $(cat "$dir/fsid")
mon host = v2:127.0.0.1:$monport
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $dir/keyring
run dir = $dir/run
log file = $dir/log/\$name.log
admin socket = $dir/run/\$name.asok
pid file = $dir/run/\$name.pid
osd objectstore = memstore
memstore device bytes = 2147483648
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon allow pool delete = true
osd crush chooseleaf type = 0
paxos propose interval = 0.05
paxos min wait = 0.01
mon data avail warn = 1
mon data avail crit = 0
mon warn on pool no redundancy = false
ms bind ipv6 = false
[mon.a]
mon data = $dir/mon
keyring = $dir/mon.keyring
[osd.0]
osd data = $dir/osd
osd journal = $dir/osd/journal
keyring = $dir/osd/keyring
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$port tcp_nodelay=1
rgw data = $dir/rgw
# Deleted objects' data freed within seconds, not hours: memstore holds it in memory.
rgw gc obj min wait = 1
rgw gc processor period = 5
keyring = $dir/rgw.keyring
EOF
}

wait_for_port() {
    local port=$1
    for _ in $(seq 1 300); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        sleep 0.05
    done
    echo "ceph-rgw: nothing listens on port $port" >&2
    return 1
}

# A test that crashes must not leave a cluster behind: stop it once its owner is gone.
watch_owner() {
    local dir=$1 owner=$2
    (
        while kill -0 "$owner" 2>/dev/null; do sleep 1; done
        stop "$dir"
        rm -rf "$dir"
    ) </dev/null >/dev/null 2>&1 &
    disown
}

start() {
    local dir=$1 port=$2 owner=${3:-}
    local monport=$((port + 1))
    mkdir -p "$dir"/{mon,osd,rgw,run,log}
    dir=$(cd "$dir" && pwd)
    [ -s "$dir/fsid" ] || uuidgen >"$dir/fsid" 2>/dev/null || cat /proc/sys/kernel/random/uuid >"$dir/fsid"
    write_conf "$dir" "$port" "$monport"
    local conf=(-c "$dir/ceph.conf")
    ceph-authtool --create-keyring "$dir/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
    ceph-authtool --create-keyring "$dir/keyring" --gen-key -n client.admin \
        --cap mon 'allow *' --cap osd 'allow *' --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
    ceph-authtool "$dir/mon.keyring" --import-keyring "$dir/keyring" >/dev/null
    monmaptool --create --fsid "$(cat "$dir/fsid")" --addv a "[v2:127.0.0.1:$monport]" \
        "$dir/monmap" >/dev/null
    ceph-mon "${conf[@]}" --mkfs -i a --monmap "$dir/monmap" --keyring "$dir/mon.keyring"
    ceph-mon "${conf[@]}" -i a
    local uuid
    uuid=$(cat /proc/sys/kernel/random/uuid)
    ceph "${conf[@]}" osd new "$uuid" >/dev/null
    ceph-osd "${conf[@]}" --no-mon-config -i 0 --mkfs --mkkey --osd-uuid "$uuid" 2>>"$dir/log/mkfs.log"
    ceph "${conf[@]}" auth add osd.0 osd 'allow *' mon 'allow profile osd' -i "$dir/osd/keyring" \
        >/dev/null 2>&1
    ceph-osd "${conf[@]}" -i 0
    ceph "${conf[@]}" auth get-or-create client.rgw.a mon 'allow rw' osd 'allow rwx' \
        >"$dir/rgw.keyring"
    radosgw "${conf[@]}" -n client.rgw.a
    wait_for_port "$port"
    radosgw-admin "${conf[@]}" user create --uid=steadysync --display-name=steadysync \
        --access-key="$ACCESS_KEY" --secret="$SECRET_KEY" >/dev/null
    [ -n "$owner" ] && watch_owner "$dir" "$owner"
    echo "endpoint=http://127.0.0.1:$port"
    echo "access_key=$ACCESS_KEY"
    echo "secret_key=$SECRET_KEY"
}

stop() {
    local dir=$1 pids=() pid
    for name in client.rgw.a osd.0 mon.a; do
        [ -s "$dir/run/$name.pid" ] || continue
        pid=$(cat "$dir/run/$name.pid")
        kill "$pid" 2>/dev/null && pids+=("$pid")
    done
    # A test cluster holds nothing worth a clean shutdown: a second, then SIGKILL.
    for _ in $(seq 1 20); do
        local alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ $alive -eq 0 ] && return 0
        sleep 0.05
    done
    for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}

case "${1:-}" in
start) [ $# -eq 3 ] || [ $# -eq 4 ] || usage; start "$2" "$3" "${4:-}" ;;
stop) [ $# -eq 2 ] || usage; stop "$2" ;;
*) usage ;;
esac
