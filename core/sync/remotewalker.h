#pragma once

#include "entry.h"
#include "local/ignorerules.h"
#include "result.h"

#include <QHash>
#include <QObject>
#include <QStringList>

#include <optional>

namespace steadysync {

class RemoteBackend;
class RemoteJob;
class RemoteTreeCache;

// Builds a RemoteSnapshot of some scopes (subtrees) of the remote: one listing of each whole
// scope where the remote allows it (RemoteBackend::listTree), else Depth-1 listings, several
// collections at a time. A listing that fails fails the whole walk: a half-listed tree would
// make the unlisted part look deleted. Where the remote propagates directory ETags and a
// RemoteTreeCache is given, a collection whose ETag equals the cached one is not listed: its
// cached subtree is copied instead, so only the paths to what changed are walked.
class RemoteWalker : public QObject
{
    Q_OBJECT
public:
    RemoteWalker(RemoteBackend *backend, const IgnoreRules &ignore, int concurrency,
                 QObject *parent = nullptr);

    // The previous walks, used only when the backend propagates directory ETags; it must
    // outlive the walk and stay unchanged during it. Call before start().
    void setTreeCache(const RemoteTreeCache *cache) { m_cache = cache; }

    // Walks every scope ("" = the whole remote). Emits finished() once.
    void start(const QStringList &scopes);

    const RemoteSnapshot &snapshot() const { return m_snapshot; }
    const std::optional<Error> &error() const { return m_error; }
    const QStringList &rejectedNames() const { return m_rejected; }
    // The same names by the collection whose listing carried them (for RemoteTreeCache).
    const QHash<QString, QStringList> &rejectedByDirectory() const { return m_rejectedByDirectory; }
    // How many listing requests the walk made, and how many of them were whole-tree listings.
    int listingsMade() const { return m_listingsMade; }
    int treeListingsMade() const { return m_treeListingsMade; }
    // How many collections were taken from the cache instead of being listed.
    int subtreesReused() const { return m_subtreesReused; }

Q_SIGNALS:
    void finished();

private:
    void statScope(const QString &scope);
    void enqueueDirectory(const QString &path);
    void enqueueTree(const QString &path);
    void pump();
    bool startTreeListing(const QString &scope);
    void onListed(const QString &directory, RemoteJob *job);
    void onTreeListed(const QString &scope, RemoteJob *job);
    bool addTree(const QString &scope, QVector<RemoteEntry> entries);
    bool reuseCachedSubtree(const RemoteEntry &directory);
    void addRejected(const QString &directory, const QStringList &names);
    void fail(const Error &error);
    void finishIfDone();

    RemoteBackend *m_backend;
    IgnoreRules m_ignore;
    int m_concurrency;
    const RemoteTreeCache *m_cache = nullptr;
    bool m_skipUnchanged = false;
    QStringList m_pendingDirectories;
    QStringList m_pendingTrees;
    int m_listingsMade = 0;
    int m_treeListingsMade = 0;
    int m_subtreesReused = 0;
    int m_inFlight = 0;
    bool m_done = false;
    RemoteSnapshot m_snapshot;
    QStringList m_rejected;
    QHash<QString, QStringList> m_rejectedByDirectory;
    std::optional<Error> m_error;
};

} // namespace steadysync
