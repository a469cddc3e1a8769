#pragma once

#include "clock.h"
#include "entry.h"
#include "local/ignorerules.h"
#include "result.h"
#include "sync/remotetreecache.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <optional>

namespace steadysync {

class RemoteBackend;
class ListJob;
class RemoteJob;

// Builds a RemoteSnapshot of some scopes (subtrees) of the remote: one listing of each whole
// scope where the remote allows it (RemoteBackend::listTree), else Depth-1 listings, several
// collections at a time. A listing that fails fails the whole walk: a half-listed tree would
// make the unlisted part look deleted. Where the remote propagates directory ETags and a
// RemoteTreeCache is given, a collection whose ETag equals the cached one is not listed: its
// cached subtree is copied instead, so only the paths to what changed are walked. Where ETags
// follow only direct members, the same holds for collections without subcollections (leaves);
// every other collection is listed so that its members' ETags are fresh. Those ETags miss
// in-place writes on the server's disk, so such walks reuse nothing when the cache is empty or
// its last full walk is FullRemoteWalkIntervalMs old.
// A tree answer is used only as far as it proves itself (DESIGN.md, "Deletions need proof"): a
// collection it shows without members is listed again with Depth 1, and when that finds
// members the remote's tree listings are distrusted for good (distrustTreeListing()).
class RemoteWalker : public QObject
{
    Q_OBJECT
public:
    RemoteWalker(RemoteBackend *backend, const IgnoreRules &ignore, int concurrency,
                 QObject *parent = nullptr);

    static constexpr qint64 FullRemoteWalkIntervalMs = 3600LL * 1000;

    // Whether walks of this backend's remote may skip collections they have seen (their ETags
    // tell changes below them, or in their direct members). Where not (a mounted folder,
    // rclone), every walk of the whole remote lists all of it, a poll's as a cycle's.
    static bool mayReuseTreeCache(const RemoteBackend &backend);

    // One Depth-1 listing costs about what this many entries of a tree answer cost (Apache on
    // loopback: a round trip of ~5 ms against ~25 us an entry to write and parse, bench
    // rescan_huge).
    static constexpr qint64 EntriesPerListing = 200;
    // Whether a walk of the whole remote that may reuse the cache should list collection by
    // collection (skipping what is unchanged) rather than ask for the whole tree at once:
    // where ETags propagate, always; where they follow direct members only, when the
    // collections that must be listed (those with subcollections) cost less than the tree.
    static constexpr bool listingsBeatTreeAnswer(bool subtreesReusable, qint64 cachedEntries,
                                                 qint64 collectionsToList)
    {
        return cachedEntries > 0 &&
               (subtreesReusable || collectionsToList * EntriesPerListing <= cachedEntries);
    }

    // The previous walks, used only when the backend's directory ETags tell about changes; it
    // must outlive the walk and stay unchanged during it. clock tells when a full walk is due.
    // Call before start().
    void setTreeCache(const RemoteTreeCache *cache, const Clock *clock = SystemClock::instance())
    {
        m_cache = cache;
        m_clock = clock;
    }

    // The remote root as stat'ed just before this walk, where the remote's ETag propagation
    // to the root was verified (EtagPropagationProbe): when the cache was filled under the
    // same root ETag, the whole remote is taken from it without a request. The cache takes
    // this ETag on its next update from this walk.
    void setRoot(const RemoteEntry &root) { m_root = root; }
    const std::optional<RemoteEntry> &root() const { return m_root; }

    // Walks every scope ("" = the whole remote). Emits finished() once.
    void start(const QStringList &scopes);

    const RemoteSnapshot &snapshot() const { return m_snapshot; }
    const std::optional<Error> &error() const { return m_error; }
    const QStringList &rejectedNames() const { return m_rejected; }
    // Where those names would lie (ListJob::rejectedPaths): to be left alone by the cycle.
    const QStringList &rejectedPaths() const { return m_rejectedPaths; }
    // The same by the collection whose listing carried them (for RemoteTreeCache).
    const QHash<QString, RejectedMembers> &rejectedByDirectory() const
    {
        return m_rejectedByDirectory;
    }
    // How many listing requests the walk made, and how many of them were whole-tree listings.
    int listingsMade() const { return m_listingsMade; }
    int treeListingsMade() const { return m_treeListingsMade; }
    // How many collections were taken from the cache instead of being listed.
    int subtreesReused() const { return m_subtreesReused; }
    // When this walk started, if it walked the whole remote reusing nothing where it could
    // have reused leaves: for RemoteTreeCache::update.
    std::optional<qint64> fullWalkStartedMs() const { return m_fullWalkStartedMs; }

Q_SIGNALS:
    void finished();

private:
    enum class Reuse { Nothing, Subtrees, Leaves };

    Reuse reuseFor(const QStringList &scopes);
    void statScope(const QString &scope);
    void enqueueDirectory(const QString &path);
    void enqueueTree(const QString &path);
    void pump();
    bool startTreeListing(const QString &scope);
    void onListed(const QString &directory, RemoteJob *job);
    void onTreeListed(const QString &scope, RemoteJob *job);
    std::optional<QStringList> addTree(const QString &scope, const ListJob &job);
    bool reuseCachedSubtree(const RemoteEntry &directory);
    bool reuseWholeTree();
    void addRejected(const QString &directory, const ListJob &job);
    void addRejected(const QString &directory, const RejectedMembers &rejected);
    void fail(const Error &error);
    void finishIfDone();

    RemoteBackend *m_backend;
    IgnoreRules m_ignore;
    int m_concurrency;
    const RemoteTreeCache *m_cache = nullptr;
    const Clock *m_clock = SystemClock::instance();
    std::optional<RemoteEntry> m_root;
    Reuse m_reuse = Reuse::Nothing;
    std::optional<qint64> m_fullWalkStartedMs;
    QStringList m_pendingDirectories;
    QStringList m_pendingTrees;
    // Collections a tree answer showed without members, listed again with Depth 1.
    QSet<QString> m_unprovenCollections;
    int m_listingsMade = 0;
    int m_treeListingsMade = 0;
    int m_subtreesReused = 0;
    int m_inFlight = 0;
    bool m_done = false;
    RemoteSnapshot m_snapshot;
    QStringList m_rejected;
    QStringList m_rejectedPaths;
    QHash<QString, RejectedMembers> m_rejectedByDirectory;
    std::optional<Error> m_error;
};

} // namespace steadysync
