#pragma once

#include "entry.h"
#include "result.h"

#include <QObject>
#include <QVector>

#include <optional>

namespace steadysync {

// One asynchronous remote operation. Emits finished() exactly once (never from inside the
// call that created it), then deletes itself with deleteLater(): read results in the slot.
// cancel() finishes it promptly with ErrorKind::Cancelled.
class RemoteJob : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    bool succeeded() const { return !m_error.has_value(); }
    const std::optional<Error> &error() const { return m_error; }
    virtual void cancel();

    // For upload and download jobs: bytes moved so far.
    qint64 bytesTransferred() const { return m_bytesTransferred; }

Q_SIGNALS:
    void finished(steadysync::RemoteJob *job);
    void progress(qint64 bytesTransferred);

protected:
    // Call once; emits finished() and schedules deletion.
    void finish(const std::optional<Error> &error = std::nullopt);
    void setBytesTransferred(qint64 bytes);
    bool isFinished() const { return m_finished; }

private:
    std::optional<Error> m_error;
    qint64 m_bytesTransferred = 0;
    bool m_finished = false;
};

// list(): the direct children of a collection.
class ListJob : public RemoteJob
{
    Q_OBJECT
public:
    using RemoteJob::RemoteJob;
    const QVector<RemoteEntry> &entries() const { return m_entries; }
    // Names the server sent that were refused (would escape the root, invalid): "path: why",
    // the path as the backend knows it (a WebDAV href, a path below the local root).
    const QStringList &rejectedNames() const { return m_rejected; }
    // Where the refused names would lie, relative to the remote root, for those that name
    // something inside it: what is there must not be read as deleted on either side.
    const QStringList &rejectedPaths() const { return m_rejectedPaths; }
    // Some member came with no name at all: nothing is proven absent by this listing.
    bool hasUnnamedMembers() const { return m_unnamedMembers; }

protected:
    QVector<RemoteEntry> m_entries;
    QStringList m_rejected;
    QStringList m_rejectedPaths;
    bool m_unnamedMembers = false;
};

// stat(), upload(), download(), makeDirectory(): one entry as it is on the remote afterwards.
class EntryJob : public RemoteJob
{
    Q_OBJECT
public:
    using RemoteJob::RemoteJob;
    const RemoteEntry &entry() const { return m_entry; }
    // upload() with UploadHashing::SentBytes: the SHA-256 (lowercase hex) of the bytes sent,
    // once the whole file went out, also when the answer then failed (it may have been lost);
    // empty otherwise.
    const QByteArray &sentSha256() const { return m_sentSha256; }
    // Uploads: the version entry() describes may be another client's written in the same
    // instant (no lock held, the server enforces no condition atomically); the content on the
    // remote is to be compared before it is taken as this client's (DESIGN §4 "Two writers").
    bool writeUnproven() const { return m_writeUnproven; }

protected:
    RemoteEntry m_entry;
    QByteArray m_sentSha256;
    bool m_writeUnproven = false;
};

} // namespace steadysync
