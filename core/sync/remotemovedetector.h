#pragma once

#include "entry.h"

#include <QVector>

namespace steadysync {

struct PathMove
{
    QString from;
    QString to;
};

// Renames made on the remote (DESIGN §4 "Moves are not deletions"), found by identity: a
// tracked file that is missing remotely and a new remote file with the recorded server file
// id (oc:fileid, ownCloud and Nextcloud), or, on a remote whose ETags survive a MOVE
// (etagsSurviveMoves, RemoteBackend::etagsSurviveMoves), with the recorded ETag and size,
// are one file that moved. Pure, like the reconciler that calls it.
//
// - A file match needs an identity (a file id, or a strong ETag: a weak one names no version
//   for sure) that names exactly one vanished record and exactly one new remote file, a
//   target that is free locally and in the journal, and a local file with the recorded
//   content: a local edit falls back to the normal rows (upload and download, nothing lost).
//   A file matched by id may have changed on the remote too: the move keeps the recorded
//   version, so the change is then downloaded as usual (Propagator::moveLocal).
// - A directory moves as a whole when every tracked file below it matched to the same
//   relative place below one new remote directory that is free locally; its local children
//   move with it whatever their state and are compared at their new place.
// Returned in no particular order; directory moves exclude the file moves inside them.
QVector<PathMove> detectRemoteMoves(const JournalSnapshot &journal, const LocalSnapshot &local,
                                    const RemoteSnapshot &remote, bool etagsSurviveMoves);

} // namespace steadysync
