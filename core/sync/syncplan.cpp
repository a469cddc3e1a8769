#include "sync/syncplan.h"

#include <algorithm>

namespace steadysync {

QString conflictPolicyName(ConflictPolicy policy)
{
    switch (policy) {
    case ConflictPolicy::KeepBoth:
        return QStringLiteral("keep-both");
    case ConflictPolicy::Ask:
        return QStringLiteral("ask");
    case ConflictPolicy::LocalWins:
        return QStringLiteral("local-wins");
    case ConflictPolicy::RemoteWins:
        return QStringLiteral("remote-wins");
    }
    return QStringLiteral("keep-both");
}

std::optional<ConflictPolicy> conflictPolicyFromName(const QString &name)
{
    for (ConflictPolicy policy : {ConflictPolicy::KeepBoth, ConflictPolicy::Ask,
                                  ConflictPolicy::LocalWins, ConflictPolicy::RemoteWins}) {
        if (name == conflictPolicyName(policy))
            return policy;
    }
    return std::nullopt;
}

QString actionKindName(ActionKind kind)
{
    switch (kind) {
    case ActionKind::Upload:
        return QStringLiteral("upload");
    case ActionKind::Download:
        return QStringLiteral("download");
    case ActionKind::MakeRemoteDir:
        return QStringLiteral("make-remote-dir");
    case ActionKind::MakeLocalDir:
        return QStringLiteral("make-local-dir");
    case ActionKind::DeleteRemote:
        return QStringLiteral("delete-remote");
    case ActionKind::DeleteLocal:
        return QStringLiteral("delete-local");
    case ActionKind::MoveRemote:
        return QStringLiteral("move-remote");
    case ActionKind::MoveLocal:
        return QStringLiteral("move-local");
    case ActionKind::Conflict:
        return QStringLiteral("conflict");
    case ActionKind::UpdateJournal:
        return QStringLiteral("update-journal");
    case ActionKind::VerifyRemote:
        return QStringLiteral("verify-remote");
    case ActionKind::Forget:
        return QStringLiteral("forget");
    }
    return QStringLiteral("unknown");
}

bool mayDeleteRemote(const SyncAction &action)
{
    return action.kind == ActionKind::DeleteRemote ||
           (action.kind == ActionKind::VerifyRemote && !action.local);
}

int SyncPlan::count(ActionKind kind) const
{
    return static_cast<int>(std::count_if(actions.cbegin(), actions.cend(),
                                          [kind](const SyncAction &a) { return a.kind == kind; }));
}

const SyncAction *SyncPlan::find(const QString &path) const
{
    for (const SyncAction &action : actions) {
        if (action.path == path)
            return &action;
    }
    return nullptr;
}

} // namespace steadysync
