#pragma once

#include "entry.h"

#include <QVector>

#include <optional>

namespace steadysync {

enum class ConflictPolicy { KeepBoth, Ask, LocalWins, RemoteWins };

QString conflictPolicyName(ConflictPolicy policy);
std::optional<ConflictPolicy> conflictPolicyFromName(const QString &name);

enum class ActionKind {
    Upload,          // local file -> remote (new or changed)
    Download,        // remote file -> local (new or changed)
    MakeRemoteDir,   // local directory is new
    MakeLocalDir,    // remote directory is new
    DeleteRemote,    // local deleted, remote unchanged (file, or directory after its contents)
    DeleteLocal,     // remote deleted, local unchanged: the local item goes to the trash
    MoveRemote,      // local rename detected (same inode and content): MOVE sourcePath -> path
    Conflict,        // both sides changed, content not known to be equal: resolved by policy
    UpdateJournal,   // both sides agree (or only metadata changed): record, no transfer
    Forget,          // gone on both sides: drop the record
};

QString actionKindName(ActionKind kind);

struct SyncAction
{
    ActionKind kind = ActionKind::UpdateJournal;
    QString path;
    QString sourcePath; // MoveRemote only: where the item was
    ItemType type = ItemType::File;
    std::optional<LocalEntry> local;
    std::optional<RemoteEntry> remote;
    std::optional<JournalRecord> base;
    // UpdateJournal only: true when a local change turned out to be metadata only
    // (counted as skipped-unchanged, SPEC §6).
    bool metadataOnly = false;

    friend bool operator==(const SyncAction &, const SyncAction &) = default;
};

// The actions of one cycle, in an order that is valid to execute front to back:
// moves, then directory creations (parents first), then file actions, then directory
// deletions (deepest first).
struct SyncPlan
{
    QVector<SyncAction> actions;

    int count(ActionKind kind) const;
    const SyncAction *find(const QString &path) const;
};

} // namespace steadysync
