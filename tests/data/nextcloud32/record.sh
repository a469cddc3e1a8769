#!/usr/bin/env bash
# Records the answers of a real Nextcloud 32 that tests/support/scriptednextcloudhistory.* replays
# (issue 19 item 8). Run against a fresh server of ../../../shared/nextcloud (user u), e.g.
#   bash record.sh http://127.0.0.1:28810 u nc-User-pw-1
# Each NAME.http is the answer as received (status line, headers without Date/Set-Cookie/
# request ids, body); NAME.request says what was asked.
set -euo pipefail
base=$1 user=$2 password=$3
out=$(dirname "$0")
auth=(-u "$user:$password")
files=$base/remote.php/dav/files/$user
record() { # NAME then curl arguments
    local name=$1; shift
    printf '%s\n' "$*" | sed "s/$password/PASSWORD/g" > "$out/$name.request"
    curl -s -i "${auth[@]}" "$@" | tr -d '\r' |
        grep -v -i -E '^(date|set-cookie|x-request-id|x-debug-token|etag: "[0-9a-f]{32}"|content-security-policy):' \
        > "$out/$name.http"
}
put() { printf '%s' "$2" | curl -s -o /dev/null "${auth[@]}" -T - "$files/$1"; }
props='<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns" xmlns:nc="http://nextcloud.org/ns"><d:prop>'
stat_body="$props<oc:fileid/><d:getlastmodified/><d:getcontentlength/><d:resourcetype/></d:prop></d:propfind>"
versions_body="$props<d:getlastmodified/><d:getcontentlength/><d:getetag/><nc:version-label/><nc:version-author/></d:prop></d:propfind>"
trash_body="$props<nc:trashbin-filename/><nc:trashbin-original-location/><nc:trashbin-deletion-time/><d:getcontentlength/><d:resourcetype/><oc:fileid/></d:prop></d:propfind>"

# notes.txt uploaded three times (a second apart: versions are named by their mtime).
for n in 1 2 3; do put notes.txt "content v$n
"; sleep 1.2; done
curl -s -o /dev/null "${auth[@]}" -X MKCOL "$files/sub"
put sub/gone.txt "trashed content
"
curl -s -o /dev/null "${auth[@]}" -X DELETE "$files/sub/gone.txt"
put sub/taken.txt "first taken
"
curl -s -o /dev/null "${auth[@]}" -X DELETE "$files/sub/taken.txt"
put sub/taken.txt "a new file at the same place
"

record capabilities -H 'OCS-APIRequest: true' "$base/ocs/v2.php/cloud/capabilities?format=json"
# Without credentials the capabilities are public, and files.versioning/undelete are missing.
printf '%s\n' "-H OCS-APIRequest: true $base/ocs/v2.php/cloud/capabilities?format=json (no credentials)" \
    > "$out/capabilities-anonymous.request"
curl -s -i -H 'OCS-APIRequest: true' "$base/ocs/v2.php/cloud/capabilities?format=json" | tr -d '\r' |
    grep -v -i -E '^(date|set-cookie|x-request-id|x-debug-token|etag: "[0-9a-f]{32}"|content-security-policy):' \
    > "$out/capabilities-anonymous.http"
record stat-notes -X PROPFIND -H 'Depth: 0' --data "$stat_body" "$files/notes.txt"
fileid=$(sed -n 's:.*<oc\:fileid>\([0-9]*\)</oc\:fileid>.*:\1:p' "$out/stat-notes.http")
record versions-notes -X PROPFIND -H 'Depth: 1' --data "$versions_body" \
    "$base/remote.php/dav/versions/$user/versions/$fileid"
first=$(grep -o "versions/$fileid/[0-9][0-9]*" "$out/versions-notes.http" | head -1 | cut -d/ -f3)
last=$(grep -o "versions/$fileid/[0-9][0-9]*" "$out/versions-notes.http" | tail -1 | cut -d/ -f3)
record version-get -X GET "$base/remote.php/dav/versions/$user/versions/$fileid/$first"
record version-get-current -X GET "$base/remote.php/dav/versions/$user/versions/$fileid/$last"
record versions-unknown-fileid -X PROPFIND -H 'Depth: 1' --data "$versions_body" \
    "$base/remote.php/dav/versions/$user/versions/999999"
record trash -X PROPFIND -H 'Depth: 1' --data "$trash_body" "$base/remote.php/dav/trashbin/$user/trash"
gone=$(grep -o 'trash/gone.txt.d[0-9]*' "$out/trash.http" | head -1 | cut -d/ -f2)
taken=$(grep -o 'trash/taken.txt.d[0-9]*' "$out/trash.http" | head -1 | cut -d/ -f2)
record trash-get -X GET "$base/remote.php/dav/trashbin/$user/trash/$gone"
# With Overwrite: F the restore is refused (412): the restore collection claims every name.
record trash-restore-overwrite-f -X MOVE -H 'Overwrite: F' \
    -H "Destination: $base/remote.php/dav/trashbin/$user/restore/$gone" \
    "$base/remote.php/dav/trashbin/$user/trash/$gone"
record trash-restore -X MOVE -H "Destination: $base/remote.php/dav/trashbin/$user/restore/$gone" \
    "$base/remote.php/dav/trashbin/$user/trash/$gone"
record stat-restored -X PROPFIND -H 'Depth: 0' --data "$stat_body" "$files/sub/gone.txt"
# Nextcloud restores onto an occupied place under another name ("taken (restored).txt"):
# recorded to show why the client checks the place first.
record trash-restore-occupied -X MOVE \
    -H "Destination: $base/remote.php/dav/trashbin/$user/restore/$taken" \
    "$base/remote.php/dav/trashbin/$user/trash/$taken"
record list-sub-after -X PROPFIND -H 'Depth: 1' --data "$stat_body" "$files/sub"
record trash-unauthenticated -X PROPFIND -H 'Depth: 1' -u nobody:wrong "$base/remote.php/dav/trashbin/$user/trash"
record status -X GET "$base/status.php"
