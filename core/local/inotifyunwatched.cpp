// The part of InotifyWatcher that stands in for watches the kernel refused (the inotify watch
// limit): those subtrees are looked at on the owner's timer and compared with the last look.
#include "local/inotifywatcher.h"

#ifdef Q_OS_LINUX

#include "entry.h"

#include <QFileInfo>

#include <utility>

namespace steadysync {

void InotifyWatcher::rememberUnwatched(const QString &relativeDir)
{
    if (!m_unwatched.contains(relativeDir))
        m_unwatched.insert(relativeDir, snapshotOf(relativeDir));
}

InotifyWatcher::Snapshot InotifyWatcher::snapshotOf(const QString &relativeDir) const
{
    Snapshot snapshot;
    QStringList pending{relativeDir};
    while (!pending.isEmpty()) {
        const QString dir = pending.takeLast();
        const auto entries = listDirectory(absolutePath(dir), true);
        if (!entries)
            continue; // gone or unreadable: its entries count as removed
        for (const DirectoryEntry &entry : *entries) {
            const QString path = joinPath(dir, entry.name);
            if (m_ignore.isIgnored(path, entry.isDir))
                continue;
            snapshot.insert(path, entry);
            if (entry.isDir && !entry.isSymlink)
                pending.append(path);
        }
    }
    return snapshot;
}

void InotifyWatcher::reportDifferences(const Snapshot &before, const Snapshot &now)
{
    const auto sameEntry = [](const DirectoryEntry &a, const DirectoryEntry &b) {
        return a.isDir == b.isDir && a.isSymlink == b.isSymlink && a.size == b.size &&
               a.mtimeNs == b.mtimeNs && a.inode == b.inode;
    };
    for (auto it = now.cbegin(); it != now.cend(); ++it) {
        const auto old = before.constFind(it.key());
        if (old == before.cend() || !sameEntry(old.value(), it.value()))
            report(it.key());
    }
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        if (!now.contains(it.key()))
            report(it.key());
    }
}

void InotifyWatcher::pollUnwatched()
{
    if (m_fd < 0 || m_unwatched.isEmpty())
        return;
    const QMap<QString, Snapshot> previous = std::exchange(m_unwatched, {});
    for (auto it = previous.cbegin(); it != previous.cend() && m_fd >= 0; ++it) {
        const QString &dir = it.key();
        if (m_wdByPath.contains(dir))
            continue; // watched meanwhile (a resync after lost events)
        const bool present = QFileInfo(absolutePath(dir)).isDir();
        if (present && !m_ignore.isIgnored(dir, true))
            watchTree(dir, false); // a freed or raised limit makes watching whole again;
                                   // what still has no watch is remembered afresh
        // Changes made while nobody watched: against the last look, once more.
        const auto now = m_unwatched.constFind(dir);
        reportDifferences(it.value(), now != m_unwatched.cend() ? now.value() : snapshotOf(dir));
    }
    m_watchLimitHit = false; // known misses: not a new warning
}

} // namespace steadysync

#endif
