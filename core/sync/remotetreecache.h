#pragma once

#include "entry.h"

#include <QHash>
#include <QSet>
#include <QStringList>

#include <optional>

namespace steadysync {

// What one collection's listing refused (ListJob::rejectedNames and rejectedPaths).
struct RejectedMembers
{
    QStringList names;
    QStringList paths;
    friend bool operator==(const RejectedMembers &, const RejectedMembers &) = default;
};

// What the previous remote walks saw, for servers whose directory ETags tell about changes
// (RemoteBackend::propagatesDirectoryEtags: a collection whose ETag is the one cached here has
// the cached subtree below it; directoryEtagsFollowChildren: the same for its direct members),
// so a walk can copy that instead of listing it again. Sound because every entry below a
// cached collection was listed after that collection's ETag was read. Kept in memory only,
// for one set of ignore rules (the walks filter with them).
class RemoteTreeCache
{
public:
    bool isEmpty() const { return m_entries.isEmpty(); }
    int size() const { return int(m_entries.size()); }
    void clear();

    // The cached entry at path, or nullptr.
    const RemoteEntry *entry(const QString &path) const;
    // Whether the cached listing of directory has a collection in it.
    bool hasSubdirectories(const QString &directory) const;
    // How many cached collections have a collection among their members.
    int collectionsWithSubdirectories() const;
    // The root's ETag as read before the walk of the whole remote that filled the cache
    // (empty: unknown, or a later partial walk changed the cache). Where ETags propagate to
    // the root (verified: EtagPropagationProbe), the same ETag again means the whole cache is
    // still what is there: a no-change sync is one request.
    const QByteArray &rootEtag() const { return m_rootEtag; }
    void setRootEtag(const QByteArray &etag) { m_rootEtag = etag; }
    // What is cached (for RemoteTreeCacheFile).
    const RemoteSnapshot &entries() const { return m_entries; }
    const QHash<QString, RejectedMembers> &rejected() const { return m_rejected; }
    // When the last walk of the whole remote that reused nothing started (nullopt: none since
    // the cache was last emptied).
    std::optional<qint64> lastFullWalkMs() const { return m_lastFullWalkMs; }
    // Adds everything strictly below directory to *snapshot, and the names the listings of
    // those collections rejected to *rejectedByDirectory (listed collection -> names).
    void copySubtree(const QString &directory, RemoteSnapshot *snapshot,
                     QHash<QString, RejectedMembers> *rejectedByDirectory) const;

    // After a successful walk of scopes: what was cached at and below each scope is replaced by
    // what the walk found there (nothing, when a scope is gone). The scopes' ancestors lose
    // their cached ETags, so the next walk lists them again. fullWalkStartedMs: the walk
    // listed the whole remote without reusing anything (RemoteWalker::fullWalkStartedMs).
    void update(const QStringList &scopes, const RemoteSnapshot &walked,
                const QHash<QString, RejectedMembers> &rejectedByDirectory,
                std::optional<qint64> fullWalkStartedMs = std::nullopt);

private:
    const QSet<QString> &withSubdirectories() const;
    void removeSubtree(const QString &path);
    void forgetAncestorEtags(const QString &path);
    void insert(const RemoteEntry &entry);

    RemoteSnapshot m_entries;
    QHash<QString, QStringList> m_children;     // directory -> paths of its cached members
    QHash<QString, RejectedMembers> m_rejected; // listed collection -> what it refused
    std::optional<qint64> m_lastFullWalkMs;
    QByteArray m_rootEtag;
    // Collections with a collection among their cached members: asked for every collection of
    // every poll, computed once per state of the cache.
    mutable std::optional<QSet<QString>> m_withSubdirectories;
};

} // namespace steadysync
