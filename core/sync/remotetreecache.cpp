#include "sync/remotetreecache.h"

namespace steadysync {

void RemoteTreeCache::clear()
{
    m_withSubdirectories.reset();
    m_entries.clear();
    m_children.clear();
    m_rejected.clear();
    m_lastFullWalkMs.reset();
    m_rootEtag.clear();
}

const RemoteEntry *RemoteTreeCache::entry(const QString &path) const
{
    const auto it = m_entries.constFind(path);
    return it == m_entries.constEnd() ? nullptr : &*it;
}

const QSet<QString> &RemoteTreeCache::withSubdirectories() const
{
    if (!m_withSubdirectories) {
        m_withSubdirectories.emplace();
        for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it)
            if (it->isDir() && !it.key().isEmpty())
                m_withSubdirectories->insert(parentPath(it.key()));
    }
    return *m_withSubdirectories;
}

bool RemoteTreeCache::hasSubdirectories(const QString &directory) const
{
    return withSubdirectories().contains(directory);
}

int RemoteTreeCache::collectionsWithSubdirectories() const
{
    return int(withSubdirectories().size());
}

void RemoteTreeCache::copySubtree(const QString &directory, RemoteSnapshot *snapshot,
                                  QHash<QString, RejectedMembers> *rejectedByDirectory) const
{
    QStringList pending{directory};
    while (!pending.isEmpty()) {
        const QString current = pending.takeLast();
        if (const auto rejected = m_rejected.constFind(current); rejected != m_rejected.constEnd())
            rejectedByDirectory->insert(current, *rejected);
        const auto children = m_children.constFind(current);
        if (children == m_children.constEnd())
            continue;
        for (const QString &child : *children) {
            const RemoteEntry &entry = *m_entries.constFind(child);
            snapshot->insert(child, entry);
            if (entry.isDir())
                pending.append(child);
        }
    }
}

void RemoteTreeCache::update(const QStringList &scopes, const RemoteSnapshot &walked,
                             const QHash<QString, RejectedMembers> &rejectedByDirectory,
                             std::optional<qint64> fullWalkStartedMs)
{
    m_withSubdirectories.reset();
    if (scopes.contains(QString())) {
        const std::optional<qint64> lastFullWalkMs = m_lastFullWalkMs;
        clear();
        m_lastFullWalkMs = lastFullWalkMs;
        m_entries = walked; // shared, not copied
        for (auto it = walked.cbegin(); it != walked.cend(); ++it) {
            if (!it.key().isEmpty())
                m_children[parentPath(it.key())].append(it.key());
        }
    } else {
        for (const QString &scope : scopes) {
            removeSubtree(scope);
            forgetAncestorEtags(scope);
        }
        for (const RemoteEntry &entry : walked)
            insert(entry);
    }
    for (auto it = rejectedByDirectory.cbegin(); it != rejectedByDirectory.cend(); ++it)
        m_rejected.insert(it.key(), it.value());
    if (fullWalkStartedMs)
        m_lastFullWalkMs = fullWalkStartedMs;
}

void RemoteTreeCache::removeSubtree(const QString &path)
{
    if (path.isEmpty())
        return clear();
    if (const auto siblings = m_children.find(parentPath(path)); siblings != m_children.end()) {
        siblings->removeOne(path);
        if (siblings->isEmpty())
            m_children.erase(siblings);
    }
    QStringList pending{path};
    while (!pending.isEmpty()) {
        const QString current = pending.takeLast();
        m_entries.remove(current);
        m_rejected.remove(current);
        pending.append(m_children.take(current));
    }
}

// An ancestor's cached subtree now holds newer content than its cached ETag stands for; a
// server whose ETags can repeat (content hashes) could otherwise match the old ETag again.
void RemoteTreeCache::forgetAncestorEtags(const QString &path)
{
    m_rootEtag.clear();
    for (QString ancestor = parentPath(path); !ancestor.isEmpty();
         ancestor = parentPath(ancestor)) {
        if (const auto it = m_entries.find(ancestor); it != m_entries.end())
            it->etag.clear();
    }
}

void RemoteTreeCache::insert(const RemoteEntry &entry)
{
    if (entry.path.isEmpty())
        return;
    const bool known = m_entries.contains(entry.path);
    m_entries.insert(entry.path, entry);
    if (!known)
        m_children[parentPath(entry.path)].append(entry.path);
}

} // namespace steadysync
