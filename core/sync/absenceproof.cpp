#include "sync/absenceproof.h"

#include "remote/remotebackend.h"

#include <QSet>

#include <algorithm>

namespace steadysync {

namespace {

// The folder whose Depth-1 listing tells whether path is there: its parent, or the nearest
// ancestor above ancestors the walk saw as files (a folder replaced by a file on the remote).
QString folderToList(const QString &path, const RemoteSnapshot &walked)
{
    QString folder = parentPath(path);
    while (!folder.isEmpty()) {
        const auto it = walked.constFind(folder);
        if (it == walked.cend() || it->isDir())
            break;
        folder = parentPath(folder);
    }
    return folder;
}

// The member of folder that path is, or lies below.
QString memberOnTheWay(const QString &folder, const QString &path)
{
    const qsizetype start = folder.isEmpty() ? 0 : folder.size() + 1;
    const qsizetype slash = path.indexOf(QLatin1Char('/'), start);
    return slash < 0 ? path : path.left(slash);
}

bool stopsTheRemote(ErrorKind kind)
{
    return kind == ErrorKind::Auth || kind == ErrorKind::Offline ||
           kind == ErrorKind::RootMissing || kind == ErrorKind::Cancelled;
}

} // namespace

AbsenceProof::AbsenceProof(RemoteBackend *backend, int concurrency, QObject *parent)
    : QObject(parent), m_backend(backend), m_concurrency(qMax(1, concurrency))
{}

void AbsenceProof::start(const SyncPlan &plan, const RemoteSnapshot &walked)
{
    QSet<QString> deleted;
    for (const SyncAction &action : plan.actions) {
        if (action.kind == ActionKind::DeleteLocal)
            deleted.insert(action.path);
    }
    for (const QString &path : std::as_const(deleted)) {
        bool belowAnother = false;
        for (QString up = parentPath(path); !up.isEmpty() && !belowAnother; up = parentPath(up))
            belowAnother = deleted.contains(up);
        if (!belowAnother)
            m_byFolder[folderToList(path, walked)].append(path);
    }
    m_pendingFolders = m_byFolder.keys();
    m_pendingFolders.sort();
    pump();
    finishIfDone();
}

void AbsenceProof::pump()
{
    while (!m_done && m_inFlight < m_concurrency && !m_pendingFolders.isEmpty()) {
        const QString folder = m_pendingFolders.takeLast();
        ++m_inFlight;
        ++m_listingsMade;
        ListJob *job = m_backend->list(folder);
        connect(job, &RemoteJob::finished, this,
                [this, folder](RemoteJob *finished) { onListed(folder, finished); });
    }
}

void AbsenceProof::onListed(const QString &folder, RemoteJob *finishedJob)
{
    --m_inFlight;
    if (m_done)
        return;
    auto *job = static_cast<ListJob *>(finishedJob);
    const QStringList paths = m_byFolder.value(folder);
    if (job->succeeded()) {
        QHash<QString, bool> members; // path -> is a collection
        for (const RemoteEntry &entry : job->entries())
            members.insert(entry.path, entry.isDir());
        for (const QString &path : paths)
            judge(folder, path, members, job->rejectedPaths(), job->hasUnnamedMembers());
    } else if (stopsTheRemote(job->error()->kind)) {
        m_fatal = job->error();
        m_done = true;
        Q_EMIT finished();
        return;
    } else if (job->error()->kind != ErrorKind::NotFound || folder.isEmpty()) {
        // A folder that is gone (404) holds nothing; any other failure proves nothing.
        for (const QString &path : paths)
            m_unproven.append({path,
                               makeError(job->error()->kind,
                                         tr("not deleted: its absence on the remote could not be "
                                            "confirmed (%1)")
                                             .arg(job->error()->message)),
                               false});
    }
    pump();
    finishIfDone();
}

// path is proven absent when folder's fresh listing has no member at or above it, or has a
// file where the walk saw one (the item below it went with the folder it was in).
void AbsenceProof::judge(const QString &folder, const QString &path,
                         const QHash<QString, bool> &members, const QStringList &refused,
                         bool unnamedMembers)
{
    const QString member = memberOnTheWay(folder, path);
    const auto it = members.constFind(member);
    const bool present = it != members.cend() && (member == path || it.value());
    // A name the server lists but we refuse may be this very item: nothing is proven.
    const bool refusedThere = std::any_of(refused.cbegin(), refused.cend(), [&](const QString &r) {
        return isSameOrBelow(path, r) || isSameOrBelow(r, path);
    });
    const QString where = folder.isEmpty() ? tr("the remote root") : folder;
    if (!present && !refusedThere && unnamedMembers) {
        m_unproven.append({path,
                           makeError(ErrorKind::Transient,
                                     tr("not deleted: the remote listing of %1 has a member "
                                        "without a usable name, which may be this one")
                                         .arg(where)),
                           false});
        return;
    }
    if (!present && !refusedThere)
        return;
    m_unproven.append(
        {path,
         makeError(ErrorKind::Transient,
                   tr("not deleted: the remote listing left it out, but a second listing "
                      "of %1 shows it")
                       .arg(where)),
         true});
}

void AbsenceProof::finishIfDone()
{
    if (m_done || m_inFlight > 0 || !m_pendingFolders.isEmpty())
        return;
    m_done = true;
    Q_EMIT finished();
}

} // namespace steadysync
