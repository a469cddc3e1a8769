#pragma once

#include "entry.h"

#include <QVector>

#include <optional>

namespace steadysync {

enum class ConflictPolicy { KeepBoth, Ask, LocalWins, RemoteWins };

QString conflictPolicyName(ConflictPolicy policy);
std::optional<ConflictPolicy> conflictPolicyFromName(const QString &name);

enum class ActionKind {
    Upload,        // local file -> remote (new or changed)
    Download,      // remote file -> local (new or changed)
    MakeRemoteDir, // local directory is new
    MakeLocalDir,  // remote directory is new
    DeleteRemote,  // local deleted, remote unchanged (file, or directory after its contents)
    DeleteLocal,   // remote deleted, local unchanged: the local item goes to the trash
    MoveRemote,    // local rename detected (same inode and content): MOVE sourcePath -> path
    MoveLocal,     // remote rename detected (same ETag and size): rename sourcePath -> path
    Conflict,      // both sides changed, content not known to be equal: resolved by policy
    UpdateJournal, // both sides agree (or only metadata changed): record, no transfer
    VerifyRemote,  // the remote signature may hide a same-second rewrite: compare content
    Forget,        // gone on both sides: drop the record
};

QString actionKindName(ActionKind kind);

struct SyncAction;
// True for a DeleteRemote, and for a VerifyRemote of a file deleted locally (it turns into a
// DeleteRemote once the content is confirmed): the deletion guards count both.
bool mayDeleteRemote(const SyncAction &action);

struct SyncAction
{
    ActionKind kind = ActionKind::UpdateJournal;
    QString path;
    QString sourcePath; // MoveRemote and MoveLocal only: where the item was
    ItemType type = ItemType::File;
    std::optional<LocalEntry> local;
    std::optional<RemoteEntry> remote;
    std::optional<JournalRecord> base;
    // UpdateJournal only: true when a local change turned out to be metadata only
    // (counted as skipped-unchanged, DESIGN §6).
    bool metadataOnly = false;

    friend bool operator==(const SyncAction &, const SyncAction &) = default;
};

// The actions of one cycle, in an order that is valid to execute front to back:
// moves and directory creations (parents first, so that a move into a new directory comes
// after that directory's creation; at equal depth, by path), then file actions (by path),
// then directory deletions (deepest first). See Reconciler for where type changes go.
struct SyncPlan
{
    QVector<SyncAction> actions;

    int count(ActionKind kind) const;
    const SyncAction *find(const QString &path) const;
};

} // namespace steadysync
