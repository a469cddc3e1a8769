#include "sync/remotewalker.h"

#include "remote/remotebackend.h"
#include "sync/remotetreecache.h"

#include <QSet>

#include <algorithm>

namespace steadysync {

RemoteWalker::RemoteWalker(RemoteBackend *backend, const IgnoreRules &ignore, int concurrency,
                           QObject *parent)
    : QObject(parent), m_backend(backend), m_ignore(ignore), m_concurrency(qMax(1, concurrency))
{}

void RemoteWalker::start(const QStringList &scopes)
{
    m_reuse = reuseFor(scopes);
    // Most of a walk that reuses the cache is copied from it: one allocation, not many.
    if (m_reuse != Reuse::Nothing && scopes.contains(QString()))
        m_snapshot.reserve(m_cache->size() + 64);
    for (const QString &scope : scopes) {
        if (scope.isEmpty() && reuseWholeTree())
            continue;
        if (scope.isEmpty() && m_reuse != Reuse::Nothing &&
            listingsBeatTreeAnswer(m_reuse == Reuse::Subtrees, m_cache->size(),
                                   m_cache->collectionsWithSubdirectories()))
            enqueueDirectory(QString());
        else if (scope.isEmpty())
            enqueueTree(QString());
        else
            statScope(scope);
    }
    pump();
    finishIfDone();
}

bool RemoteWalker::mayReuseTreeCache(const RemoteBackend &backend)
{
    return backend.propagatesDirectoryEtags() || backend.directoryEtagsFollowChildren();
}

RemoteWalker::Reuse RemoteWalker::reuseFor(const QStringList &scopes)
{
    if (!m_cache || !mayReuseTreeCache(*m_backend))
        return Reuse::Nothing;
    if (m_backend->propagatesDirectoryEtags())
        return Reuse::Subtrees;
    const qint64 now = m_clock->nowMs();
    const std::optional<qint64> lastFull = m_cache->lastFullWalkMs();
    // A clock set back since (the time is kept between runs) makes the full walk due now.
    if (!m_cache->isEmpty() && lastFull && now >= *lastFull &&
        now - *lastFull < FullRemoteWalkIntervalMs)
        return Reuse::Leaves;
    if (scopes.contains(QString()))
        m_fullWalkStartedMs = now;
    return Reuse::Nothing;
}

void RemoteWalker::statScope(const QString &scope)
{
    ++m_inFlight;
    EntryJob *job = m_backend->stat(scope);
    connect(job, &RemoteJob::finished, this, [this, job, scope] {
        --m_inFlight;
        if (m_done)
            return;
        if (job->succeeded()) {
            RemoteEntry entry = job->entry();
            entry.path = scope;
            if (!m_ignore.isIgnored(scope, entry.isDir())) {
                m_snapshot.insert(scope, entry);
                if (entry.isDir() && !reuseCachedSubtree(entry))
                    enqueueTree(scope);
            }
        } else if (job->error()->kind == ErrorKind::InvalidName) {
            // Named by the server in a way that cannot be read back: left alone and reported,
            // as a refused member of a listing is, never taken for absent.
            addRejected(parentPath(scope), RejectedMembers{{job->error()->message}, {scope}});
        } else if (job->error()->kind != ErrorKind::NotFound &&
                   job->error()->kind != ErrorKind::ParentMissing) {
            fail(*job->error());
            return;
        }
        pump();
        finishIfDone();
    });
}

void RemoteWalker::enqueueDirectory(const QString &path)
{
    m_pendingDirectories.append(path);
}

void RemoteWalker::enqueueTree(const QString &path)
{
    m_pendingTrees.append(path);
}

void RemoteWalker::pump()
{
    while (!m_done && m_inFlight < m_concurrency && !m_pendingTrees.isEmpty()) {
        const QString scope = m_pendingTrees.takeLast();
        if (!startTreeListing(scope))
            enqueueDirectory(scope);
    }
    while (!m_done && m_inFlight < m_concurrency && !m_pendingDirectories.isEmpty()) {
        const QString directory = m_pendingDirectories.takeLast();
        ++m_inFlight;
        ++m_listingsMade;
        ListJob *job = m_backend->list(directory);
        connect(job, &RemoteJob::finished, this,
                [this, directory](RemoteJob *finishedJob) { onListed(directory, finishedJob); });
    }
}

void RemoteWalker::onListed(const QString &directory, RemoteJob *finishedJob)
{
    --m_inFlight;
    if (m_done)
        return;
    auto *job = static_cast<ListJob *>(finishedJob);
    if (!job->succeeded()) {
        if (job->error()->kind == ErrorKind::NotFound && !directory.isEmpty()) {
            // Deleted while we walked: it is simply gone.
            m_snapshot.remove(directory);
        } else {
            fail(*job->error());
            return;
        }
    } else {
        // A collection a tree answer showed empty has members after all: that server does
        // not expand Depth: infinity, so its tree answers are not used again.
        if (m_unprovenCollections.remove(directory) &&
            (!job->entries().isEmpty() || !job->rejectedPaths().isEmpty()))
            m_backend->distrustTreeListing();
        addRejected(directory, *job);
        for (const RemoteEntry &child : job->entries()) {
            if (m_ignore.isIgnored(child.path, child.isDir()))
                continue;
            m_snapshot.insert(child.path, child);
            if (child.isDir() && !reuseCachedSubtree(child))
                enqueueDirectory(child.path);
        }
    }
    pump();
    finishIfDone();
}

bool RemoteWalker::startTreeListing(const QString &scope)
{
    ListJob *job = m_backend->listTree(scope);
    if (!job)
        return false;
    ++m_inFlight;
    ++m_listingsMade;
    ++m_treeListingsMade;
    connect(job, &RemoteJob::finished, this,
            [this, scope](RemoteJob *finishedJob) { onTreeListed(scope, finishedJob); });
    return true;
}

void RemoteWalker::onTreeListed(const QString &scope, RemoteJob *finishedJob)
{
    --m_inFlight;
    if (m_done)
        return;
    auto *job = static_cast<ListJob *>(finishedJob);
    if (job->succeeded()) {
        addRejected(scope, *job);
        if (const std::optional<QStringList> unproven = addTree(scope, *job)) {
            // Listed again with Depth 1: covered, or the walk goes on from there.
            for (const QString &collection : *unproven) {
                m_unprovenCollections.insert(collection);
                enqueueDirectory(collection);
            }
        } else {
            enqueueDirectory(scope);
        }
    } else {
        switch (job->error()->kind) {
        case ErrorKind::Auth:
        case ErrorKind::Offline:
        case ErrorKind::RootMissing:
        case ErrorKind::Cancelled:
            return fail(*job->error());
        case ErrorKind::NotFound:
            if (!scope.isEmpty()) {
                m_snapshot.remove(scope);
                break;
            }
            [[fallthrough]];
        default:
            // Refused (403 on Apache and nginx) or too large: walk collection by collection.
            enqueueDirectory(scope);
        }
    }
    pump();
    finishIfDone();
}

// Keeps what the ignore rules allow, and nothing below an ignored directory (a tree listing
// has everything, where a Depth-1 walk would never have descended). Nullopt, and nothing kept,
// when an entry's parent is missing from the listing: the listing is not whole, and a part
// left out would look deleted. Else the kept collections the answer shows without any member:
// nothing in the answer proves them expanded (a server may silently answer Depth: infinity
// with a Depth-1 listing), so they are still to be listed (DESIGN.md, "Deletions need proof").
std::optional<QStringList> RemoteWalker::addTree(const QString &scope, const ListJob &job)
{
    QVector<RemoteEntry> entries = job.entries();
    std::sort(entries.begin(), entries.end(),
              [](const RemoteEntry &a, const RemoteEntry &b) { return a.path < b.path; });
    QSet<QString> withMembers;
    for (const RemoteEntry &entry : std::as_const(entries))
        withMembers.insert(parentPath(entry.path));
    for (const QString &path : job.rejectedPaths())
        withMembers.insert(parentPath(path));
    QSet<QString> keptDirectories{scope};
    QSet<QString> ignoredDirectories;
    QStringList unproven;
    if (!withMembers.contains(scope))
        unproven.append(scope);
    RemoteSnapshot kept;
    for (RemoteEntry &entry : entries) {
        const QString parent = parentPath(entry.path);
        if (ignoredDirectories.contains(parent)) {
            if (entry.isDir())
                ignoredDirectories.insert(entry.path);
            continue;
        }
        if (!keptDirectories.contains(parent))
            return std::nullopt;
        if (m_ignore.isIgnored(entry.path, entry.isDir())) {
            if (entry.isDir())
                ignoredDirectories.insert(entry.path);
            continue;
        }
        if (entry.isDir()) {
            keptDirectories.insert(entry.path);
            if (!withMembers.contains(entry.path))
                unproven.append(entry.path);
        }
        kept.insert(entry.path, entry);
    }
    m_snapshot.insert(kept);
    return unproven;
}

// A collection's ETag on a propagating server changes with anything below it, so an ETag
// equal to the cached one means the cached subtree is still what is there. Where ETags follow
// direct members only, that holds for a collection whose cached listing has no collections.
bool RemoteWalker::reuseCachedSubtree(const RemoteEntry &directory)
{
    if (m_reuse == Reuse::Nothing || directory.etag.isEmpty())
        return false;
    const RemoteEntry *cached = m_cache->entry(directory.path);
    // A weak ETag (Apache's, within a second of a change) may stay the same across a second
    // change in that second: it proves nothing about what was listed under it.
    if (!cached || !cached->isDir() || cached->etag != directory.etag || cached->hasWeakEtag())
        return false;
    // A share's permissions change without its ETag (Nextcloud 32, measured): its members'
    // permissions are read again.
    if (cached->permissions != directory.permissions)
        return false;
    if (m_reuse == Reuse::Leaves && m_cache->hasSubdirectories(directory.path))
        return false;
    QHash<QString, RejectedMembers> rejected;
    m_cache->copySubtree(directory.path, &m_snapshot, &rejected);
    for (auto it = rejected.cbegin(); it != rejected.cend(); ++it)
        addRejected(it.key(), it.value());
    ++m_subtreesReused;
    return true;
}

// The root's ETag is the one the cache was filled under: on a remote verified to propagate
// ETags to the root, nothing below it changed since (DESIGN.md, "Deletions need proof": what
// is copied is proven unchanged by that ETag; a planned deletion is still proven by a fresh
// listing, AbsenceProof).
bool RemoteWalker::reuseWholeTree()
{
    if (m_reuse != Reuse::Subtrees || !m_root || m_root->etag.isEmpty() ||
        m_cache->rootEtag() != m_root->etag)
        return false;
    if (m_snapshot.isEmpty())
        m_snapshot = m_cache->entries(); // shared, not copied
    else
        m_snapshot.insert(m_cache->entries());
    for (auto it = m_cache->rejected().cbegin(); it != m_cache->rejected().cend(); ++it)
        addRejected(it.key(), it.value());
    ++m_subtreesReused;
    return true;
}

void RemoteWalker::addRejected(const QString &directory, const ListJob &job)
{
    addRejected(directory, RejectedMembers{job.rejectedNames(), job.rejectedPaths()});
}

// rejected.names name whole paths (ListJob::rejectedNames), as reports and the cache keep them.
void RemoteWalker::addRejected(const QString &directory, const RejectedMembers &rejected)
{
    if (rejected.names.isEmpty() && rejected.paths.isEmpty())
        return;
    m_rejected.append(rejected.names);
    m_rejectedPaths.append(rejected.paths);
    RejectedMembers &byDirectory = m_rejectedByDirectory[directory];
    byDirectory.names.append(rejected.names);
    byDirectory.paths.append(rejected.paths);
}

void RemoteWalker::fail(const Error &error)
{
    m_error = error;
    m_done = true;
    Q_EMIT finished();
}

void RemoteWalker::finishIfDone()
{
    if (m_done || m_inFlight > 0 || !m_pendingDirectories.isEmpty() || !m_pendingTrees.isEmpty())
        return;
    m_done = true;
    Q_EMIT finished();
}

} // namespace steadysync
