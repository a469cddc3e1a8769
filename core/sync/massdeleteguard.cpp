#include "sync/massdeleteguard.h"

#include <QHash>

#include <algorithm>

namespace steadysync {
namespace {

QString fileNameOf(const QString &path)
{
    return path.mid(path.lastIndexOf(QLatin1Char('/')) + 1);
}

// What a deleted file and a new one must share to be one file moved (DESIGN §4 "Moves are not
// deletions"): its name and size, and its content hash where the side that shows the new file
// knows it (local files always; remote ones where the server gives a checksum).
QByteArray moveKey(const QString &path, qint64 size, const QByteArray &sha256)
{
    return fileNameOf(path).toUtf8() + '\0' + QByteArray::number(size) + '\0' + sha256;
}

// The new files of the plan that a deletion on the same side may have moved to, by moveKey;
// a key shared by two new files names neither.
struct NewFiles
{
    QHash<QByteArray, int> remote; // downloaded here: appeared remotely
    QHash<QByteArray, int> local;  // uploaded from here: appeared locally
};

NewFiles newFilesOf(const SyncPlan &plan)
{
    NewFiles found;
    for (const SyncAction &action : plan.actions) {
        if (action.type != ItemType::File || action.base)
            continue;
        if (action.kind == ActionKind::Download && action.remote && !action.local)
            ++found.remote[moveKey(action.path, action.remote->size, action.remote->sha256)];
        else if (action.kind == ActionKind::Upload && action.local && !action.remote)
            ++found.local[moveKey(action.path, action.local->size, action.local->sha256)];
    }
    return found;
}

// A deletion whose file reappears, under the same name with the same size (and content hash
// where known), exactly once elsewhere on the same side: a move the side's identity could not
// show. It is carried out as trash + download (or remote delete + upload), which loses nothing.
bool isMoveSeenAsDeletion(const SyncAction &action, NewFiles &newFiles)
{
    if (!action.base)
        return false;
    const JournalRecord &record = *action.base;
    QHash<QByteArray, int> *candidates = nullptr;
    QByteArray key;
    if (action.kind == ActionKind::DeleteLocal) {
        candidates = &newFiles.remote;
        key = moveKey(action.path, record.remoteSize, {});
        if (!candidates->contains(key))
            key = moveKey(action.path, record.remoteSize, record.sha256);
    } else {
        candidates = &newFiles.local;
        key = moveKey(action.path, record.localSize, record.sha256);
    }
    const auto it = candidates->find(key);
    if (it == candidates->end() || it.value() != 1)
        return false;
    it.value() = 0; // taken: one new file accounts for one deletion
    return true;
}

} // namespace

MassDeleteVerdict checkMassDelete(const SyncPlan &plan, qint64 trackedFiles)
{
    MassDeleteVerdict verdict;
    verdict.trackedFiles = trackedFiles;
    NewFiles newFiles = newFilesOf(plan);
    for (const SyncAction &action : plan.actions) {
        if (action.type != ItemType::File)
            continue;
        const bool local = action.kind == ActionKind::DeleteLocal;
        if (!local && !mayDeleteRemote(action))
            continue;
        if (isMoveSeenAsDeletion(action, newFiles))
            ++verdict.moves;
        else if (local)
            ++verdict.localDeletes;
        else
            ++verdict.remoteDeletes;
    }
    verdict.blocked = trackedFiles >= 10 && (verdict.localDeletes * 2 > trackedFiles ||
                                             verdict.remoteDeletes * 2 > trackedFiles);
    return verdict;
}

MassDeleteVerdict checkDeletionGuards(const SyncPlan &plan, const DeletionGuardInput &input)
{
    if (input.fullCycle && input.syncedFiles > 0) {
        const bool localEmpty =
            input.localEmpty && std::any_of(plan.actions.cbegin(), plan.actions.cend(),
                                            [](const SyncAction &a) { return mayDeleteRemote(a); });
        const bool remoteEmpty = input.remoteEmpty && plan.count(ActionKind::DeleteLocal) > 0;
        if (localEmpty || remoteEmpty) {
            MassDeleteVerdict verdict;
            verdict.blocked = true;
            verdict.trackedFiles = input.syncedFiles;
            verdict.localDeletes = localEmpty ? 0 : input.syncedFiles;
            verdict.remoteDeletes = localEmpty ? input.syncedFiles : 0;
            verdict.emptySide = localEmpty ? MassDeleteVerdict::EmptySide::Local
                                           : MassDeleteVerdict::EmptySide::Remote;
            return verdict;
        }
    }
    return checkMassDelete(plan, input.trackedFiles);
}

} // namespace steadysync
