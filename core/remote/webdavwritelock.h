#pragma once

#include "remote/remotebackend.h"
#include "remote/webdavsession.h"

#include <QObject>

#include <functional>
#include <optional>

namespace steadysync {

class WebDavRequests;

namespace webdav {

// Checks a precondition against what a fresh stat found (nullopt: nothing there).
[[nodiscard]] std::optional<Error> checkPrecondition(const Precondition &precondition,
                                                     const std::optional<RemoteEntry> &current,
                                                     const QString &path);

// The ETag to send in If-Match for an entry. A weak one is sent as its strong form: Apache
// hands out W/ tags for files changed within the last second and compares If-Match strongly,
// so the write fails with 412 until the file is a second old, then goes ahead if the file
// is still that version (see retryWhenSettled). Sending nothing instead would leave a window
// between the check and the write in which another client's version could be overwritten.
QByteArray ifMatchFor(const std::optional<RemoteEntry> &entry);

// How often, and how far apart, a write refused because its file was "too young" (see
// ifMatchFor) is tried again; each try checks afresh that the file is the expected version.
constexpr int youngFileRetries = 12;
constexpr int youngFilePauseMs = 250;

// What makes a write conditional: an exclusive WebDAV lock taken before the check (the check
// and the write then cannot interleave with another client's write), else If-Match with the
// ETag the check found. The lock token goes in a tagged If list: Apache applies an untagged
// one to the parent collection too on DELETE, and fails it there.
struct WriteGuard
{
    QByteArray lockToken;
    QByteArray ifMatch;
    // rclone skips a tagged list whose host is not the Host it received (a reverse proxy that
    // rewrites Host): there the token goes untagged, which it applies to the request's URL.
    bool untagged = false;

    void addHeadersTo(WebDavSession::Request *request) const;
    // Whether a 412 may be the "too young" refusal of an unlocked If-Match (see ifMatchFor).
    bool mayBeTooYoung() const { return !ifMatch.isEmpty() && lockToken.isEmpty(); }
};

// An exclusive write lock (empty token: the session writes without locks). A LOCK of a path
// that does not exist leaves a "lock-null" resource there: rclone and lighttpd create an
// empty file and answer 201 (`created`); Apache answers 200 and lists an empty member without
// an ETag until the UNLOCK removes it. The write treats that resource as absent and, where the
// LOCK created a file and nothing was written, removes it (else it would stay as a new empty
// file that other clients download, and that wins the name over a real edit).
struct WriteLock
{
    QByteArray token;
    bool created = false;
};

// What a stat under our own lock shows: the empty resource our LOCK left is nothing. A real
// file always has an ETag on a server that has locks (Apache, rclone, lighttpd).
std::optional<RemoteEntry> withoutOwnLockNull(std::optional<RemoteEntry> current,
                                              const WriteLock &lock);

// The guard of a write checked against `current` under `lock`.
WriteGuard guardFor(const WebDavSession &session, const WriteLock &lock,
                    const std::optional<RemoteEntry> &current);

} // namespace webdav

// The write sequence of one conditional write: LOCK (where the precondition needs the remote
// file to be a given version or to be absent: DESIGN §4 "Two writers", a concurrent creator then
// waits for the lock and finds this client's file) → the write step (its own check just
// before the write, then PUT or DELETE) → UNLOCK, after removing the empty resource the LOCK
// created where nothing was written → end(). Lives as a child of its job.
class WebDavWriteSequence final : public QObject
{
public:
    // The write step: check and write under `lock` (empty where none is held), then call
    // written() with the outcome.
    using Write = std::function<void(const webdav::WriteLock &lock)>;
    using End = std::function<void(Status)>;

    WebDavWriteSequence(WebDavRequests *job, QString path, Precondition precondition, Write write,
                        End end);
    // withLock false: the write goes ahead without a lock whatever the precondition.
    void start(bool withLock = true);
    // For a write step that needs the sequence itself (to call written()).
    void setWrite(Write write) { m_write = std::move(write); }
    void written(Status outcome);

private:
    void onLockTaken(Result<webdav::WriteLock> taken);

    WebDavRequests *m_job;
    QString m_path;
    Precondition m_precondition;
    Write m_write;
    End m_end;
    webdav::WriteLock m_lock;
};

} // namespace steadysync
