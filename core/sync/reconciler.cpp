#include "sync/reconciler.h"

#include "sync/localmovedetector.h"
#include "sync/reconcilerstate.h"
#include "sync/remotemovedetector.h"

#include <QSet>
#include <QStringList>

#include <algorithm>

namespace steadysync {
namespace {

// The order in which a plan runs: creations (parents first), files, then directory removals
// (deepest first).
enum class Phase { Create, Files, RemoveDirs };

// A provisional directory action that depends on what happens below the directory.
enum class Pending {
    None,
    DeleteRemoteDir,  // local directory gone, remote unchanged
    DeleteLocalDir,   // remote directory gone, local unchanged
    ReplaceRemoteDir, // local directory became a file, remote directory unchanged
    ReplaceLocalDir,  // remote directory became a file, local directory unchanged
};

struct Planned
{
    SyncAction action;
    Phase phase = Phase::Files;
    Pending pending = Pending::None;
};

using namespace reconcile;

SyncAction makeAction(ActionKind kind, const QString &path, ItemType type, const LocalEntry *local,
                      const RemoteEntry *remote, const JournalRecord *base)
{
    SyncAction action;
    action.kind = kind;
    action.path = path;
    action.type = type;
    if (local)
        action.local = *local;
    if (remote)
        action.remote = *remote;
    if (base)
        action.base = *base;
    return action;
}

// A move runs with the creations, before everything below its target. local is the item as
// it is on disk (MoveRemote: at the target; MoveLocal: at the source).
Planned plannedMove(ActionKind kind, const Move &move, const LocalEntry &local,
                    const RemoteEntry *remote, const JournalRecord *base)
{
    Planned planned{makeAction(kind, move.to, local.type, &local, remote, base), Phase::Create,
                    Pending::None};
    planned.action.sourcePath = move.from;
    return planned;
}

// The three sides of one path, and the planned action they make.
struct Sides
{
    const QString &path;
    const JournalRecord *base;
    const LocalEntry *local;
    const RemoteEntry *remote;

    Planned plan(ActionKind kind, ItemType type, Phase phase, Pending pending = Pending::None) const
    {
        return Planned{makeAction(kind, path, type, local, remote, base), phase, pending};
    }
};

// Deleted locally, unchanged remotely: the remote goes too (a directory once its subtree is
// decided).
Planned deleteRemotely(const Sides &sides)
{
    if (sides.remote->isDir())
        return sides.plan(ActionKind::DeleteRemote, ItemType::Directory, Phase::RemoveDirs,
                          Pending::DeleteRemoteDir);
    return sides.plan(ActionKind::DeleteRemote, ItemType::File, Phase::Files);
}

Planned deleteLocally(const Sides &sides)
{
    if (sides.local->isDir())
        return sides.plan(ActionKind::DeleteLocal, ItemType::Directory, Phase::RemoveDirs,
                          Pending::DeleteLocalDir);
    return sides.plan(ActionKind::DeleteLocal, ItemType::File, Phase::Files);
}

// Neither side changed its content: nothing to do, or the journal learns what it lacks.
std::optional<Planned> refreshRecord(const Sides &sides, State localSide)
{
    // A record from before the server's file ids were kept learns the id, which finds a
    // later remote rename (detectRemoteMoves).
    if (localSide == State::Unchanged && sides.base->remoteId.isEmpty() &&
        !sides.remote->fileId.isEmpty())
        return sides.plan(ActionKind::UpdateJournal, sides.base->type, Phase::Files);
    if (localSide == State::Unchanged)
        return std::nullopt;
    Planned refresh = sides.plan(ActionKind::UpdateJournal, ItemType::File, Phase::Files);
    refresh.action.metadataOnly = true;
    return refresh;
}

// Changed remotely only: the local side follows, a type change through its directory phase.
Planned replaceLocally(const Sides &sides)
{
    if (sides.remote->type == sides.base->type)
        return sides.plan(ActionKind::Download, ItemType::File, Phase::Files);
    if (sides.remote->isDir())
        return sides.plan(ActionKind::MakeLocalDir, ItemType::Directory, Phase::Create);
    return sides.plan(ActionKind::Download, ItemType::File, Phase::RemoveDirs,
                      Pending::ReplaceLocalDir);
}

Planned replaceRemotely(const Sides &sides)
{
    if (sides.local->type == sides.base->type)
        return sides.plan(ActionKind::Upload, ItemType::File, Phase::Files);
    if (sides.local->isDir())
        return sides.plan(ActionKind::MakeRemoteDir, ItemType::Directory, Phase::Create);
    return sides.plan(ActionKind::Upload, ItemType::File, Phase::RemoveDirs,
                      Pending::ReplaceRemoteDir);
}

// Both sides modified (or both new).
Planned bothModified(const Sides &sides)
{
    const LocalEntry *local = sides.local;
    const RemoteEntry *remote = sides.remote;
    if (local->type != remote->type)
        return sides.plan(ActionKind::Conflict, ItemType::Directory, Phase::Create);
    if (local->isDir())
        return sides.plan(ActionKind::UpdateJournal, ItemType::Directory, Phase::Files);
    if (!remote->sha256.isEmpty() && remote->sha256 == local->sha256)
        return sides.plan(ActionKind::UpdateJournal, ItemType::File, Phase::Files);
    return sides.plan(ActionKind::Conflict, ItemType::File, Phase::Files);
}

// New on the remote (or changed there while gone here): the local side gets it.
Planned createLocally(const Sides &sides)
{
    if (sides.remote->isDir())
        return sides.plan(ActionKind::MakeLocalDir, ItemType::Directory, Phase::Create);
    return sides.plan(ActionKind::Download, ItemType::File, Phase::Files);
}

Planned createRemotely(const Sides &sides)
{
    if (sides.local->isDir())
        return sides.plan(ActionKind::MakeRemoteDir, ItemType::Directory, Phase::Create);
    return sides.plan(ActionKind::Upload, ItemType::File, Phase::Files);
}

// The two sides' states, in the groups the decision rows are written in.
struct SideStates
{
    State local;
    State remote;

    bool localModified() const { return local == State::New || local == State::Changed; }
    bool localKept() const { return local == State::Unchanged || local == State::MetadataOnly; }
    bool localGone() const { return local == State::Absent || local == State::Deleted; }
    bool remoteModified() const { return remote == State::New || remote == State::Changed; }
    bool remoteGone() const { return remote == State::Absent || remote == State::Deleted; }
};

// The decision table's rows, once decide() has set aside an unreadable local side, a path
// absent on both sides and an unverified remote signature.
std::optional<Planned> decideRows(const Sides &sides, const SideStates &states)
{
    if (states.local == State::Deleted && states.remote == State::Deleted)
        return sides.plan(ActionKind::Forget, sides.base->type, Phase::Files);
    if (states.local == State::Deleted && states.remote == State::Unchanged)
        return deleteRemotely(sides);
    if (states.localGone() && states.remoteModified())
        return createLocally(sides);
    if (states.localModified() && states.remoteGone())
        return createRemotely(sides);
    if (states.localKept() && states.remote == State::Deleted)
        return deleteLocally(sides);
    if (states.localKept() && states.remote == State::Unchanged)
        return refreshRecord(sides, states.local);
    if (states.localKept() && states.remote == State::Changed)
        return replaceLocally(sides);
    if (states.localModified() && states.remote == State::Unchanged)
        return replaceRemotely(sides);
    return bothModified(sides);
}

std::optional<Planned> decide(const QString &path, const JournalRecord *base,
                              const LocalEntry *local, const RemoteEntry *remote)
{
    const SideStates states{localState(local, base), remoteState(remote, base)};
    const Sides sides{path, base, local, remote};
    if (states.local == State::Unreadable ||
        (states.local == State::Absent && states.remote == State::Absent))
        return std::nullopt;
    // Nothing is decided on a signature that may hide a same-second rewrite (no ETag).
    if (states.remote == State::Unverified)
        return sides.plan(ActionKind::VerifyRemote, ItemType::File, Phase::Files);
    return decideRows(sides, states);
}

// Settles a directory action that depends on its subtree, now that everything below it is
// decided. Returns false when the directory needs no action after all.
bool settle(Planned &planned, bool localBelow, bool remoteBelow)
{
    SyncAction &action = planned.action;
    switch (planned.pending) {
    case Pending::None:
        return true;
    case Pending::DeleteRemoteDir:
        if (localBelow) {
            action.kind = ActionKind::MakeLocalDir;
            planned.phase = Phase::Create;
            return true;
        }
        return !remoteBelow;
    case Pending::DeleteLocalDir:
        if (remoteBelow) {
            action.kind = ActionKind::MakeRemoteDir;
            planned.phase = Phase::Create;
            return true;
        }
        return !localBelow;
    case Pending::ReplaceRemoteDir:
        if (remoteBelow) {
            action.kind = ActionKind::Conflict;
            action.type = ItemType::Directory;
            planned.phase = Phase::Create;
        }
        return true;
    case Pending::ReplaceLocalDir:
        if (localBelow) {
            action.kind = ActionKind::Conflict;
            action.type = ItemType::Directory;
            planned.phase = Phase::Create;
        }
        return true;
    }
    return true;
}

QVector<SyncAction> ordered(QVector<Planned> planned)
{
    // Sorting keys computed once: a first sync may plan every file of a large tree.
    struct Key
    {
        Phase phase;
        int depth;
        const QString *path;
        qsizetype index;
    };
    QVector<Key> keys;
    keys.reserve(planned.size());
    for (qsizetype i = 0; i < planned.size(); ++i) {
        const QString &path = planned.at(i).action.path;
        const Phase phase = planned.at(i).phase;
        const int depth = phase == Phase::Files ? 0 : depthOf(path);
        keys.append(Key{phase, phase == Phase::RemoveDirs ? -depth : depth, &path, i});
    }
    std::sort(keys.begin(), keys.end(), [](const Key &a, const Key &b) {
        if (a.phase != b.phase)
            return a.phase < b.phase;
        if (a.depth != b.depth)
            return a.depth < b.depth;
        return *a.path < *b.path;
    });
    QVector<SyncAction> actions;
    actions.reserve(planned.size());
    for (const Key &key : keys)
        actions.append(std::move(planned[key.index].action));
    return actions;
}

// Decides every path, then settles the directories whose action depends on their subtree,
// deepest first.
class PlanBuilder
{
public:
    PlanBuilder(const JournalSnapshot &journal, const LocalSnapshot &local,
                const RemoteSnapshot &remote, const QSet<QString> &moveTargets)
        : m_journal(journal), m_local(local), m_remote(remote), m_moveTargets(moveTargets)
    {}

    QVector<Planned> build()
    {
        forEachPath(
            [this](const QString &path, const LocalEntry *local, const RemoteEntry *remote) {
                std::optional<Planned> decision;
                if (!m_moveTargets.contains(path))
                    decision = decide(path, entryAt(m_journal, path), local, remote);
                if (!decision)
                    return;
                if (decision->pending != Pending::None)
                    m_pending.append({depthOf(path), m_planned.size()});
                m_planned.append(std::move(*decision));
            });
        if (!m_pending.isEmpty())
            settlePending();
        return std::move(m_planned);
    }

private:
    // Every path of the union of the three snapshots, once.
    template<typename Visit> void forEachPath(const Visit &visit) const
    {
        for (auto it = m_local.cbegin(); it != m_local.cend(); ++it)
            visit(it.key(), &it.value(), entryAt(m_remote, it.key()));
        for (auto it = m_journal.cbegin(); it != m_journal.cend(); ++it) {
            if (!m_local.contains(it.key()))
                visit(it.key(), nullptr, entryAt(m_remote, it.key()));
        }
        for (auto it = m_remote.cbegin(); it != m_remote.cend(); ++it) {
            if (!m_local.contains(it.key()) && !m_journal.contains(it.key()))
                visit(it.key(), nullptr, &it.value());
        }
    }

    // Only needed when some directory's action depends on its subtree, which is rare, so the
    // common cycle does not pay for walking every path's ancestors.
    void settlePending()
    {
        QHash<QString, qsizetype> actionAt;
        actionAt.reserve(m_planned.size());
        for (qsizetype i = 0; i < m_planned.size(); ++i)
            actionAt.insert(m_planned.at(i).action.path, i);
        forEachPath([&](const QString &path, const LocalEntry *local, const RemoteEntry *remote) {
            const qsizetype index = actionAt.value(path, -1);
            if (index < 0) {
                markExisting(path, local != nullptr, remote != nullptr);
                return;
            }
            const Planned &planned = m_planned.at(index);
            if (planned.pending == Pending::None)
                markExisting(path, existsLocallyAfter(planned.action),
                             existsRemotelyAfter(planned.action));
        });

        std::sort(m_pending.begin(), m_pending.end(),
                  [](const auto &a, const auto &b) { return a.first > b.first; });
        QVector<bool> dropped(m_planned.size(), false);
        bool anyDropped = false;
        for (const auto &[depth, index] : std::as_const(m_pending)) {
            Planned &planned = m_planned[index];
            const QString &path = planned.action.path;
            if (settle(planned, m_localBelow.contains(path), m_remoteBelow.contains(path))) {
                markExisting(path, existsLocallyAfter(planned.action),
                             existsRemotelyAfter(planned.action));
            } else {
                markExisting(path, planned.action.local.has_value(),
                             planned.action.remote.has_value());
                dropped[index] = true;
                anyDropped = true;
            }
        }
        if (!anyDropped)
            return;
        QVector<Planned> kept;
        kept.reserve(m_planned.size());
        for (qsizetype i = 0; i < m_planned.size(); ++i) {
            if (!dropped.at(i))
                kept.append(std::move(m_planned[i]));
        }
        m_planned = std::move(kept);
    }

    static bool existsLocallyAfter(const SyncAction &action)
    {
        switch (action.kind) {
        case ActionKind::Download:
        case ActionKind::MakeLocalDir:
        case ActionKind::MoveLocal:
        case ActionKind::Conflict:
            return true;
        case ActionKind::DeleteLocal:
            return false;
        default:
            return action.local.has_value();
        }
    }

    static bool existsRemotelyAfter(const SyncAction &action)
    {
        switch (action.kind) {
        case ActionKind::Upload:
        case ActionKind::MakeRemoteDir:
        case ActionKind::MoveRemote:
        case ActionKind::Conflict:
            return true;
        case ActionKind::DeleteRemote:
            return false;
        default:
            return action.remote.has_value();
        }
    }

    void markExisting(const QString &path, bool locally, bool remotely)
    {
        if (locally)
            markAncestors(m_localBelow, path);
        if (remotely)
            markAncestors(m_remoteBelow, path);
    }

    // Marks every ancestor of path; stops at the first one already marked, whose own
    // ancestors were marked with it.
    static void markAncestors(QSet<QString> &marked, const QString &path)
    {
        QString dir = path;
        while (!dir.isEmpty()) {
            dir = parentPath(dir);
            if (marked.contains(dir))
                return;
            marked.insert(dir);
        }
    }

    const JournalSnapshot &m_journal;
    const LocalSnapshot &m_local;
    const RemoteSnapshot &m_remote;
    const QSet<QString> &m_moveTargets;
    QVector<Planned> m_planned;
    QVector<std::pair<int, qsizetype>> m_pending; // depth, index in m_planned
    QSet<QString> m_localBelow;                   // directories with something below after the plan
    QSet<QString> m_remoteBelow;
};

} // namespace

SyncPlan Reconciler::reconcile(const JournalSnapshot &journal, const LocalSnapshot &local,
                               const RemoteSnapshot &remote, const ReconcileOptions &options)
{
    LocalMoveDetector detector(journal, local, remote);
    const QVector<Move> moves = detector.detect();
    const QVector<Move> remoteMoves = apartFrom(
        detectRemoteMoves(journal, local, remote, options.remoteEtagsSurviveMoves), moves);

    // Below a moved item everything is compared at its new place, as it will be after the move.
    JournalSnapshot movedJournal;
    RemoteSnapshot movedRemote;
    LocalSnapshot movedLocal;
    const JournalSnapshot *base = &journal;
    const RemoteSnapshot *remoteSide = &remote;
    const LocalSnapshot *localSide = &local;
    QSet<QString> moveTargets;
    QVector<Planned> moveActions;
    if (!moves.isEmpty() || !remoteMoves.isEmpty()) {
        movedJournal = journal;
        applyMoves(movedJournal, detector.sortedJournalKeys(), moves);
        applyMoves(movedJournal, detector.sortedJournalKeys(), remoteMoves);
        base = &movedJournal;
    }
    if (!moves.isEmpty()) {
        movedRemote = remote;
        applyMoves(movedRemote, detector.sortedRemoteKeys(), moves);
        remoteSide = &movedRemote;
        for (const Move &move : moves) {
            moveActions.append(plannedMove(ActionKind::MoveRemote, move, *entryAt(local, move.to),
                                           entryAt(remote, move.from),
                                           entryAt(journal, move.from)));
            moveTargets.insert(move.to);
        }
    }
    if (!remoteMoves.isEmpty()) {
        movedLocal = local;
        QStringList localKeys = local.keys();
        localKeys.sort();
        applyMoves(movedLocal, localKeys, remoteMoves);
        localSide = &movedLocal;
        for (const Move &move : remoteMoves) {
            moveActions.append(plannedMove(ActionKind::MoveLocal, move, *entryAt(local, move.from),
                                           entryAt(remote, move.to), entryAt(journal, move.from)));
            moveTargets.insert(move.to);
        }
    }

    QVector<Planned> all = PlanBuilder(*base, *localSide, *remoteSide, moveTargets).build();
    all += moveActions;

    SyncPlan plan;
    plan.actions = ordered(std::move(all));
    return plan;
}

namespace {

template<typename Map> void removeUnder(Map *map, const QString &dir)
{
    for (auto it = map->begin(); it != map->end();) {
        if (isSameOrBelow(it.key(), dir))
            it = map->erase(it);
        else
            ++it;
    }
}

} // namespace

void Reconciler::setAside(const QStringList &untouchable, JournalSnapshot *journal,
                          LocalSnapshot *local, RemoteSnapshot *remote)
{
    for (const QString &path : untouchable) {
        removeUnder(journal, path);
        removeUnder(local, path);
        removeUnder(remote, path);
    }
}

} // namespace steadysync
