#pragma once

#include "local/ignorerules.h"
#include "result.h"

#include <QObject>
#include <QString>
#include <QVector>

#include <memory>
#include <optional>

namespace steadysync {

// Reports changes below a local root (DESIGN §3). Two implementations: native inotify
// (sees in-place writes through IN_CLOSE_WRITE/IN_MODIFY) and QFileSystemWatcher (portable;
// watches directories and files). Both watch new subdirectories as they appear.
class LocalWatcher : public QObject
{
    Q_OBJECT
public:
    enum class Backend { Auto, Inotify, QtFileSystemWatcher };

    // Auto picks inotify on Linux.
    static std::unique_ptr<LocalWatcher> create(Backend backend, const QString &localRoot,
                                                const IgnoreRules &ignore);
    ~LocalWatcher() override = default;

    virtual Status start() = 0;
    virtual void stop() = 0;
    virtual QString backendName() const = 0;
    virtual int watchedDirectoryCount() const = 0;
    // Where the watch limit left folders unwatched, the owner calls this on a timer: it tries
    // to watch them again (a raised or freed limit makes watching whole) and compares the rest
    // with their last look (size, mtime, inode of every entry), reporting what differs through
    // pathChanged. Local stats only: no event, no full rescan, no request to the server.
    virtual void pollUnwatched() {}

Q_SIGNALS:
    // Something at this path (relative, '/'-separated) was created, written, renamed away
    // or to, or deleted. For a rename both the old and the new path are reported.
    void pathChanged(const QString &path);
    // Events were lost (queue overflow, watch limit exhausted): the owner must do a full
    // rescan, and should show the reason as a warning.
    void rescanNeeded(const QString &reason);

protected:
    using QObject::QObject;

    struct DirectoryEntry
    {
        QString name;
        bool isDir = false;
        bool isSymlink = false; // never followed, never watched
        qint64 size = 0;        // size, mtime and inode only when statted
        qint64 mtimeNs = 0;
        quint64 inode = 0;
    };
    // Lists one directory without following symlinks. Names that are not valid UTF-8 are left
    // out (the scanner reports them). nullopt when the directory cannot be read.
    static std::optional<QVector<DirectoryEntry>> listDirectory(const QString &absoluteDir,
                                                                bool statEntries);
    // lstat of one path; nullopt when it does not exist.
    static std::optional<DirectoryEntry> statPath(const QString &absolutePath);
    // The root to watch, symlinks resolved; RootMissing when it is absent or not a folder.
    static Result<QString> canonicalRoot(const QString &configuredRoot);
};

} // namespace steadysync
