#pragma once

#include <QtGlobal>

#ifdef Q_OS_LINUX

#include "local/localwatcher.h"

#include <QByteArray>
#include <QHash>
#include <QMap>
#include <QPair>
#include <QSocketNotifier>
#include <QVector>

namespace steadysync {

// Native Linux watcher: one inotify watch per directory below the root. Unlike
// QFileSystemWatcher it sees in-place writes (IN_MODIFY, IN_CLOSE_WRITE) of every file with
// directory watches alone, and it reports queue overflows. A directory renamed inside the
// tree is reported under its old and its new path (its contents are not listed again);
// a directory created or moved in from outside is scanned and everything in it reported.
// Connect to the signals before start(): it may already report a watch limit.
class InotifyWatcher : public LocalWatcher
{
    Q_OBJECT
public:
    InotifyWatcher(const QString &localRoot, const IgnoreRules &ignore, QObject *parent = nullptr);
    ~InotifyWatcher() override;

    Status start() override;
    void stop() override;
    QString backendName() const override { return QStringLiteral("inotify"); }
    int watchedDirectoryCount() const override { return int(m_pathByWd.size()); }
    void pollUnwatched() override;

private:
    using Snapshot = QHash<QString, DirectoryEntry>; // path -> entry, of one unwatched subtree

    void readEvents();
    void handleEvent(int wd, quint32 mask, quint32 cookie, const QString &name);
    void directoryMovedTo(const QString &path, quint32 cookie, bool ignored);
    // Watches relativeDir and every directory below it; with reportContents, also emits
    // pathChanged for everything found (entries that appeared before the watch existed).
    void watchTree(const QString &relativeDir, bool reportContents);
    bool addWatch(const QString &relativeDir);
    struct DetachedTree
    {
        QVector<QPair<QString, int>> watches; // path suffix below the moved directory, wd
    };
    // Takes the watches of relativeDir and below out of the maps (a rename in progress).
    DetachedTree detachTree(const QString &relativeDir);
    void attachTree(const QString &relativeDir, const DetachedTree &tree);
    void removeWatches(const DetachedTree &tree);
    void forgetWatch(int wd);
    // Rebuilds the watch maps from the tree on disk, after events were lost.
    void resyncWatches();
    void finishBatch();
    // inotifyunwatched.cpp: the polled part of the tree.
    void rememberUnwatched(const QString &relativeDir);
    Snapshot snapshotOf(const QString &relativeDir) const;
    void reportDifferences(const Snapshot &before, const Snapshot &now);
    void report(const QString &path);
    QString absolutePath(const QString &relativePath) const;

    QString m_configuredRoot;
    QString m_root; // canonical, watched
    IgnoreRules m_ignore;
    int m_fd = -1;
    QSocketNotifier *m_notifier = nullptr;
    QHash<int, QString> m_pathByWd;
    QMap<QString, int> m_wdByPath; // ordered, so a subtree is one contiguous range
    // Directories renamed away whose IN_MOVED_TO has not been read yet, by cookie; those
    // still unmatched at the end of a read left the tree.
    QHash<quint32, DetachedTree> m_pendingDirectoryMoves;
    bool m_watchLimitHit = false;
    bool m_watchLimitReported = false; // the warning and full rescan happen once per start()
    // Subtrees without watches (the limit was hit), each with its last look.
    QMap<QString, Snapshot> m_unwatched;
    bool m_resyncNeeded = false;
    bool m_unmounted = false;
    QByteArray m_buffer;
};

} // namespace steadysync

#endif
