#pragma once

#include "local/localwatcher.h"

#include <QFileSystemWatcher>
#include <QHash>
#include <QMap>
#include <QSet>
#include <QStringList>
#include <QTimer>

#include <optional>

namespace steadysync {

// Portable watcher on QFileSystemWatcher. A watched directory only says that something in it
// changed and reports no in-place writes to its files, so every directory AND every file is
// watched; each directory's listing is cached and diffed to tell which child was created,
// deleted or renamed (a rename shows as one delete plus one create). A file replaced by an
// atomic save drops out of QFileSystemWatcher and is watched again. Queue overflows cannot be
// detected through QFileSystemWatcher; the periodic rescan covers them.
// Connect to the signals before start(): it may already report a watch limit.
class QtFsWatcher : public LocalWatcher
{
    Q_OBJECT
public:
    QtFsWatcher(const QString &localRoot, const IgnoreRules &ignore, QObject *parent = nullptr);
    ~QtFsWatcher() override;

    Status start() override;
    void stop() override;
    QString backendName() const override { return QStringLiteral("QFileSystemWatcher"); }
    int watchedDirectoryCount() const override { return int(m_listings.size()); }

private:
    struct EntryState
    {
        bool isDir = false;
        bool isSymlink = false;
        qint64 size = 0;
        qint64 mtimeNs = 0;
        quint64 inode = 0;
    };
    using Listing = QHash<QString, EntryState>; // name -> state; ignored names left out

    void onDirectoryChanged(const QString &absolutePath);
    void onFileChanged(const QString &absolutePath);
    // Signals arrive one per inotify event; they are handled together once the burst is read.
    void processPending();
    void rescanDirectory(const QString &relativeDir);
    // What a directory's fresh listing changed against the one kept (rescanDirectory).
    struct ListingChanges
    {
        QSet<QString> changed; // names
        QStringList removedDirectories;
        QStringList unwatchFiles; // absolute paths
        QStringList watchFiles;
        QSet<QString> newDirectories; // names
    };
    ListingChanges compareListings(const QString &relativeDir, const Listing &old,
                                   const Listing &fresh) const;
    void refreshFiles(const QStringList &relativePaths);
    // Watches relativeDir, its files and everything below; with reportContents, also emits
    // pathChanged for everything found.
    void watchTree(const QString &relativeDir, bool reportContents);
    // Watches dir and its files and keeps its listing; appends its subdirectories to pending
    // (the first last) and returns its names, sorted; nullopt where dir cannot be watched or read.
    std::optional<QStringList> watchDirectory(const QString &dir, QStringList *pending);
    // Emits pathChanged for each name in dir; false when a receiver stopped the watcher.
    bool reportNames(const QString &dir, const QStringList &names);
    void forgetTree(const QString &relativeDir);
    void addWatches(const QStringList &absolutePaths);
    std::optional<Listing> readListing(const QString &relativeDir) const;
    void reportWatchFailures();
    std::optional<QString> relativePath(const QString &absolutePath) const;
    QString absolutePath(const QString &relativePath) const;
    static bool isWatchableFile(const EntryState &state)
    {
        return !state.isDir && !state.isSymlink;
    }

    QString m_configuredRoot;
    QString m_root; // canonical
    IgnoreRules m_ignore;
    QFileSystemWatcher *m_watcher = nullptr;
    QMap<QString, Listing> m_listings; // ordered, so a subtree is one contiguous range
    QSet<QString> m_pendingDirectories;
    QSet<QString> m_pendingFiles;
    QTimer m_batchTimer;
    int m_failedWatches = 0;
};

} // namespace steadysync
