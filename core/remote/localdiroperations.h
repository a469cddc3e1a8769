#pragma once

#include "entry.h"
#include "remote/pacer.h"
#include "remote/remotebackend.h"
#include "result.h"

#include <QString>
#include <QStringList>
#include <QVector>

#include <atomic>
#include <functional>
#include <optional>

struct stat;

namespace steadysync {

// The blocking file-system work behind LocalDirBackend, callable from any thread (the
// instance is immutable apart from the thread-safe limiters). Every path is validated and
// resolved from the root one component at a time with O_NOFOLLOW, so neither a hostile
// name nor a symbolic link inside the remote can reach anything outside the root.
class LocalDirOperations
{
public:
    struct Outcome
    {
        std::optional<Error> error;
        RemoteEntry entry;
        QVector<RemoteEntry> entries;
        QStringList rejectedNames;
        QStringList rejectedPaths; // see ListJob::rejectedPaths
        qint64 bytesTransferred = 0;
    };

    // What a running operation needs from its job: the cancel flag, polled between chunks,
    // and a (throttled) progress sink.
    struct JobContext
    {
        const std::atomic<bool> &cancelled;
        std::function<void(qint64)> progress;
    };

    LocalDirOperations(QString rootDirectory, qint64 bwLimitUpKiB, qint64 bwLimitDownKiB);

    const QString &root() const { return m_root; }
    Pacer &upLimiter() const { return m_upLimiter; }
    Pacer &downLimiter() const { return m_downLimiter; }

    Outcome stat(const QString &path) const;
    Outcome list(const QString &directory) const;
    Outcome download(const QString &path, const QString &localTargetFile,
                     const JobContext &context) const;
    // Writes temporaryPath (in path's directory; a random name when empty), then renames it.
    Outcome upload(const QString &localFile, const QString &path, qint64 mtimeNs,
                   const Precondition &precondition, const QString &temporaryPath,
                   const JobContext &context) const;
    Outcome makeDirectory(const QString &path) const;
    Outcome move(const QString &from, const QString &to, const Precondition &precondition) const;
    // A file copied to `to` (created, never replaced), a reflink where possible
    // (localdircopy.cpp).
    Outcome copy(const QString &from, const QString &to, const Precondition &precondition) const;
    Outcome remove(const QString &path, const Precondition &precondition,
                   const JobContext &context) const;
    Outcome removeStalePartials(qint64 maxAgeS, const JobContext &context) const;
    // Removes the named partial files; names that are not partial files are left alone.
    Outcome removeTemporaries(const QStringList &paths) const;

    // InvalidName unless path is relative, '/'-separated, with no empty, ".", ".." or NUL
    // component, valid Unicode, and not one of the names the backend hides (partial files,
    // the root's .steadysync). The root "" is accepted only when allowRoot is set.
    static std::optional<Error> validatePath(const QString &path, bool allowRoot);
    // "<subject>: <action>: <strerror>", classified by the errno table (fs/errnokind.h).
    static Error errnoError(int errorNumber, const QString &subject, const QString &action);
    // Strong, "<inode hex>-<size hex>-<mtimeNs hex>" with the quotes.
    static RemoteEntry entryFromStat(const QString &path, const struct stat &status);

private:
    QString m_root;
    mutable Pacer m_upLimiter;
    mutable Pacer m_downLimiter;
};

} // namespace steadysync
