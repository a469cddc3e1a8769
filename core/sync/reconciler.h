#pragma once

#include "sync/syncplan.h"

namespace steadysync {

// The three-way comparison of DESIGN §4, as a pure function.
//
// Inputs cover the same scope (the whole tree, or one subtree for an incremental cycle):
// the journal's records, the local snapshot (files carry sha256: reused from the journal
// when size, mtime and inode match, hashed otherwise) and the remote snapshot.
//
// Row by row (local vs journal / remote vs journal -> action):
//   changed|new  / unchanged|absent   -> Upload (MakeRemoteDir for directories)
//   unchanged    / changed|new        -> Download (MakeLocalDir)
//   changed      / changed, same hash -> UpdateJournal
//   changed      / changed, different -> Conflict
//   deleted      / unchanged          -> DeleteRemote
//   unchanged    / deleted            -> DeleteLocal
//   deleted      / changed            -> Download (modification wins)
//   changed      / deleted            -> Upload (modification wins)
//   deleted      / deleted            -> Forget
// A local file or directory that is new at one path while a journal record with the same
// inode (and, for files, the same sha256) is gone locally and unchanged remotely becomes one
// MoveRemote; the children of a moved directory move with it.
//
// Details the executor relies on:
// - "Changed" is a change of type or of content (sha256 locally, RemoteEntry::signature()
//   remotely); a directory only changes by changing type. A local file whose stat differs
//   from its record but whose sha256 does not gives UpdateJournal with metadataOnly (or the
//   remote's action when the remote changed). Unchanged on both sides with the recorded stat
//   gives no action at all.
// - A local file with an empty sha256 (could not be read) gives no action, whatever the
//   other side did; it keeps its parent directories alive.
// - Both sides new or both changed: UpdateJournal when the remote's sha256 is known and equals
//   the local one (directories: always), Conflict otherwise.
// - A directory removed on one side and unchanged on the other is removed (DeleteRemote or
//   DeleteLocal, after everything below it) only when nothing below it survives; when
//   something below it is still to be created on the side that removed it (a changed file,
//   a new file), it is re-created there instead (MakeLocalDir or MakeRemoteDir).
// - Type changes (file <-> directory against the record), the changed side winning:
//   * becoming a directory on one side, other side unchanged: MakeRemoteDir/MakeLocalDir
//     while the other side still holds the recorded file (action.remote/.local is that
//     file, unchanged since the journal): the executor removes it (remote DELETE, local to
//     the trash) and creates the directory. Runs before the uploads/downloads below it.
//   * becoming a file on one side, other side an unchanged directory: Upload/Download in the
//     directory-removal phase, after the deletions below the directory; action.remote/.local
//     is that directory, by then empty, which the executor removes before the transfer.
//     If something below that directory survives (changed or new on the other side), it
//     is a Conflict instead.
//   * both sides changed (or both new) and holding different types, or the survival case
//     above: Conflict with type Directory, in the creation phase, before the actions below
//     it. The directory keeps the name; the file is renamed to its conflict copy name on its
//     side and the directory is created there, so that the actions below the path find a
//     directory on both sides.
//   * a type change on one side and a deletion on the other: as for any change against a
//     deletion (modification wins).
//   A Conflict between two files has type File; type Directory always means a type conflict.
// - Moves: a MoveRemote's remote and base describe the source (sourcePath); the executor
//   records the item under path with the stat of action.local. Actions below a moved
//   directory use the new paths, their remote and base rewritten to the new paths as they
//   will be after the move: unchanged children need no action, a changed child is an Upload,
//   a child deleted locally a DeleteRemote, a child changed remotely a Download, all under
//   the new path. No move when an inode names several candidates on either side, when the
//   inode is 0, or when the move would land on a path already recorded or present remotely.
struct ReconcileOptions
{
    // The remote's ETags name a file across a MOVE (RemoteBackend::etagsSurviveMoves): a
    // remote rename then becomes one MoveLocal (see detectRemoteMoves), not delete + download.
    bool remoteEtagsSurviveMoves = false;
};

class Reconciler
{
public:
    static SyncPlan reconcile(const JournalSnapshot &journal, const LocalSnapshot &local,
                              const RemoteSnapshot &remote, const ReconcileOptions &options = {});

    // Takes every path at or below one of untouchable out of all three inputs, so that no
    // action touches it: what cannot be seen as it is this cycle (an unreadable folder, a
    // name the remote lists in a form that is refused, an item waiting for the user) must
    // not look deleted on either side. Call before reconcile().
    static void setAside(const QStringList &untouchable, JournalSnapshot *journal,
                         LocalSnapshot *local, RemoteSnapshot *remote);
};

} // namespace steadysync
