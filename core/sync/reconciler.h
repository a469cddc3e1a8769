#pragma once

#include "sync/syncplan.h"

namespace steadysync {

// The three-way comparison of SPEC §4, as a pure function.
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
class Reconciler
{
public:
    static SyncPlan reconcile(const JournalSnapshot &journal, const LocalSnapshot &local,
                              const RemoteSnapshot &remote);
};

} // namespace steadysync
