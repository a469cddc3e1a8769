#include "remote/webdavwritelock.h"

#include "remote/webdavhttp.h"
#include "remote/webdavjob.h"

#include <QXmlStreamReader>

namespace steadysync {

using webdav::Method;
using webdav::WriteGuard;
using webdav::WriteLock;

namespace webdav {

namespace {

bool signatureMatches(const RemoteEntry &current, const QByteArray &expected)
{
    return current.signature() == expected ||
           (!current.etag.isEmpty() && etagsMatchWeakly(current.etag, expected));
}

} // namespace

std::optional<Error> checkPrecondition(const Precondition &precondition,
                                       const std::optional<RemoteEntry> &current,
                                       const QString &path)
{
    switch (precondition.kind) {
    case Precondition::Kind::None:
        return std::nullopt;
    case Precondition::Kind::MustNotExist:
        if (!current)
            return std::nullopt;
        return makeError(ErrorKind::PreconditionFailed,
                         QStringLiteral("%1: already exists on the remote").arg(path));
    case Precondition::Kind::MustMatch:
        if (!current)
            return makeError(ErrorKind::PreconditionFailed,
                             QStringLiteral("%1: no longer exists on the remote").arg(path));
        if (signatureMatches(*current, precondition.signature))
            return std::nullopt;
        return makeError(ErrorKind::PreconditionFailed,
                         QStringLiteral("%1: changed on the remote meanwhile").arg(path));
    }
    return std::nullopt;
}

QByteArray ifMatchFor(const std::optional<RemoteEntry> &entry)
{
    if (!entry)
        return {};
    const QByteArray tag = entry->hasWeakEtag() ? entry->etag.mid(2) : entry->etag;
    return isStrongEtag(tag) ? tag : QByteArray();
}

void WriteGuard::addHeadersTo(WebDavSession::Request *request) const
{
    if (!lockToken.isEmpty() && untagged)
        request->headers.append(std::pair<QByteArray, QByteArray>("If", "(<" + lockToken + ">)"));
    else if (!lockToken.isEmpty())
        request->headers.append(std::pair<QByteArray, QByteArray>(
            "If", "<" + request->url.toEncoded() + "> (<" + lockToken + ">)"));
    else if (!ifMatch.isEmpty())
        request->headers.append(std::pair<QByteArray, QByteArray>("If-Match", ifMatch));
}

std::optional<RemoteEntry> withoutOwnLockNull(std::optional<RemoteEntry> current,
                                              const WriteLock &lock)
{
    if (!lock.token.isEmpty() && current && !current->isDir() && current->size == 0 &&
        (lock.created || current->etag.isEmpty()))
        return std::nullopt;
    return current;
}

WriteGuard guardFor(const WebDavSession &session, const WriteLock &lock,
                    const std::optional<RemoteEntry> &current)
{
    return WriteGuard{lock.token, ifMatchFor(current), !session.capabilities().tagsLockTokens()};
}

} // namespace webdav

namespace {

using LockDone = std::function<void(Result<WriteLock>)>;

// How often, and how far apart, a LOCK refused because another client holds the file is
// tried again before the session gives up on locks (see onLockRefused).
constexpr int lockBusyRetries = 40;
// Short, so a lock left behind (a client killed mid-write, a LOCK answer lost to a reset and
// the request resent) blocks writers for less than lockBusyRetries * lockBusyPauseMs; the lock
// matters between the check and the start of the write.
constexpr char lockTimeout[] = "Second-5";
constexpr int lockBusyPauseMs = 250;

const QByteArray lockRequestBody = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                                   "<D:lockinfo xmlns:D=\"DAV:\">"
                                   "<D:lockscope><D:exclusive/></D:lockscope>"
                                   "<D:locktype><D:write/></D:locktype>"
                                   "<D:owner>steadysync</D:owner>"
                                   "</D:lockinfo>";

const QByteArray lockDiscoveryBody = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                                     "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:lockdiscovery/>"
                                     "</D:prop></D:propfind>";

// Whether a PROPFIND answer for DAV:lockdiscovery shows the resource free of locks: the
// property answered (200) with no DAV:activelock in it. Anything else (the property unknown to
// the server, as to rclone's; an unreadable answer) does not tell.
bool listsNoLock(const QByteArray &multistatus)
{
    QXmlStreamReader xml(multistatus);
    bool discovery = false;
    bool activeLock = false;
    QString status;
    bool free = false;
    while (!xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (xml.namespaceUri() != QLatin1String("DAV:"))
            continue;
        if (token == QXmlStreamReader::StartElement) {
            if (xml.name() == QLatin1String("propstat")) {
                discovery = activeLock = false;
                status.clear();
            }
            discovery |= xml.name() == QLatin1String("lockdiscovery");
            activeLock |= xml.name() == QLatin1String("activelock");
            if (xml.name() == QLatin1String("status"))
                status = xml.readElementText();
        } else if (token == QXmlStreamReader::EndElement &&
                   xml.name() == QLatin1String("propstat") && discovery) {
            if (activeLock || !status.contains(QLatin1String(" 200")))
                return false;
            free = true;
        }
    }
    return free && !xml.hasError();
}

// Asks whether any lock is held on path. done(false) only on an answer that lists none; no
// answer, or one that does not tell, counts as "held" (the caller then waits as for a lock).
void askWhetherLocked(WebDavRequests *job, const QString &path, std::function<void(bool)> done)
{
    WebDavSession::Request request;
    request.verb = "PROPFIND";
    request.url = job->session()->urlFor(path, false);
    request.headers = {{"Depth", "0"}, {"Content-Type", "application/xml; charset=utf-8"}};
    request.body = lockDiscoveryBody;
    job->send(request, [done](QNetworkReply *reply) {
        const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();
        const bool listed = reply->error() == QNetworkReply::NoError && statusOf(reply) == 207;
        done(!listed || !listsNoLock(body));
    });
}

// How long a create waits for a lock held on its new path: another client's create there
// ends within milliseconds; a lock whose answer was lost (ours, token unknown) holds for the
// lock's 5 s. It fails as Transient instead and is tried again later.
constexpr int createLockBusyRetries = 4;
enum class WhenStillLocked { StopLocking, FailTransiently };

void acquireWriteLock(WebDavRequests *job, const QString &path, int busyRetriesLeft, LockDone done,
                      WhenStillLocked whenStillLocked = WhenStillLocked::StopLocking);

// A LOCK answered 423 (Locked). Another client's lock clears: the LOCK is tried again a little
// later. A 423 never clears where no lock is listed on the file (the server's lock database is
// broken) or where it outlasts the whole wait: then the session writes without locks (the
// server itself still refuses a write to a file that is really locked, with a 423 on the PUT,
// which fails the write as Transient).
void onLockRefused(WebDavRequests *job, const QString &path, int busyRetriesLeft, LockDone done,
                   WhenStillLocked whenStillLocked)
{
    if (busyRetriesLeft <= 0 && whenStillLocked == WhenStillLocked::FailTransiently)
        return done(makeError(ErrorKind::Transient,
                              QStringLiteral("%1: locked on the remote (HTTP 423)").arg(path)));
    if (busyRetriesLeft <= 0) {
        job->session()->stopLocking(QStringLiteral("%1 stayed locked (HTTP 423) for %2 s")
                                        .arg(path)
                                        .arg(lockBusyRetries * lockBusyPauseMs / 1000.0));
        return done(WriteLock{});
    }
    askWhetherLocked(job, path, [job, path, busyRetriesLeft, done, whenStillLocked](bool locked) {
        if (!locked) {
            job->session()->stopLocking(
                QStringLiteral("LOCK of %1 answered HTTP 423 while no lock is held on it")
                    .arg(path));
            return done(WriteLock{});
        }
        retryWhenSettled(job, lockBusyPauseMs, [job, path, busyRetriesLeft, done, whenStillLocked] {
            acquireWriteLock(job, path, busyRetriesLeft - 1, done, whenStillLocked);
        });
    });
}

// What a LOCK's answer gives: the lock, or an empty one where the session stops locking.
void onLockAnswered(WebDavRequests *job, QNetworkReply *reply, const QString &path,
                    int busyRetriesLeft, const LockDone &done, WhenStillLocked whenStillLocked)
{
    const int status = statusOf(reply);
    // Apache answers 500 on every LOCK once its lock database is damaged or full (seen
    // under a flaky link).
    if (status == 400 || status == 405 || status == 500 || status == 501) {
        job->session()->stopLocking(
            QStringLiteral("LOCK of %1 answered HTTP %2").arg(path).arg(status));
        return done(WriteLock{});
    }
    if (status == 423)
        return onLockRefused(job, path, busyRetriesLeft, done, whenStillLocked);
    if (auto error = job->session()->errorOf(reply, Method::Lock, path))
        return done(*error);
    QByteArray token = reply->rawHeader("Lock-Token").trimmed();
    if (token.startsWith('<') && token.endsWith('>'))
        token = token.mid(1, token.size() - 2);
    if (token.isEmpty()) {
        job->session()->stopLocking(
            QStringLiteral("LOCK of %1 was answered without a lock token").arg(path));
        return done(WriteLock{});
    }
    done(WriteLock{token, status == 201});
}

// Takes an exclusive write lock on an existing file. done() gets the lock token, or an empty
// one where the session writes without locks (then the write is guarded by If-Match alone):
// servers that do not advertise DAV class 2, and those whose LOCK failed with 400, 405, 500,
// 501, no token or a 423 that never clears (the whole session then stops locking).
void acquireWriteLock(WebDavRequests *job, const QString &path, int busyRetriesLeft, LockDone done,
                      WhenStillLocked whenStillLocked)
{
    WebDavSession *session = job->session();
    if (session->capabilities().locks == WebDavSession::Support::Unknown)
        return session->probeLockSupport(
            job->context(), [job, path, busyRetriesLeft, done, whenStillLocked](Status probed) {
                if (job->done())
                    return;
                if (!probed.ok())
                    return done(probed.error());
                acquireWriteLock(job, path, busyRetriesLeft, done, whenStillLocked);
            });
    if (session->capabilities().locks == WebDavSession::Support::No)
        return done(WriteLock{});
    WebDavSession::Request request;
    request.verb = "LOCK";
    request.url = session->urlFor(path, false);
    request.headers = {{"Depth", "0"},
                       {"Timeout", lockTimeout},
                       {"Content-Type", "application/xml; charset=utf-8"}};
    request.body = lockRequestBody;
    job->send(request, [job, path, busyRetriesLeft, done, whenStillLocked](QNetworkReply *reply) {
        onLockAnswered(job, reply, path, busyRetriesLeft, done, whenStillLocked);
    });
}

// Releases a lock taken by acquireWriteLock (if any), then runs then(). A failed UNLOCK is
// not an error of the write: the lock times out on the server. Waited for, so that a process
// ending right after its last write leaves no lock behind to block other clients.
void releaseWriteLock(WebDavRequests *job, const QString &path, const QByteArray &token,
                      std::function<void()> then)
{
    if (token.isEmpty())
        return then();
    WebDavSession::Request request;
    request.verb = "UNLOCK";
    request.url = job->session()->urlFor(path, false);
    request.headers = {{"Lock-Token", "<" + token + ">"}};
    job->send(request, [then](QNetworkReply *) { then(); });
}

// Removes the empty resource our LOCK created where the write under it did not happen, then
// releases the lock. The DELETE carries the lock token: once the lock has run out (another
// client may have written since), the server refuses it and nothing of theirs goes.
void removeLockNullThenRelease(WebDavRequests *job, const QString &path, const WriteLock &lock,
                               std::function<void()> then)
{
    WebDavSession::Request request;
    request.verb = "DELETE";
    request.url = job->session()->urlFor(path, false);
    WriteGuard{lock.token, {}, !job->session()->capabilities().tagsLockTokens()}.addHeadersTo(
        &request);
    job->send(request, [job, path, token = lock.token, then](QNetworkReply *) {
        releaseWriteLock(job, path, token, then);
    });
}

} // namespace

WebDavWriteSequence::WebDavWriteSequence(WebDavRequests *job, QString path,
                                         Precondition precondition, Write write, End end)
    : QObject(job->context()), m_job(job), m_path(std::move(path)),
      m_precondition(std::move(precondition)), m_write(std::move(write)), m_end(std::move(end))
{}

void WebDavWriteSequence::start(bool withLock)
{
    if (!withLock || m_precondition.kind == Precondition::Kind::None)
        return m_write(WriteLock{});
    const bool create = m_precondition.kind == Precondition::Kind::MustNotExist;
    acquireWriteLock(
        m_job, m_path, create ? createLockBusyRetries : lockBusyRetries,
        [this](Result<WriteLock> taken) { onLockTaken(std::move(taken)); },
        create ? WhenStillLocked::FailTransiently : WhenStillLocked::StopLocking);
}

void WebDavWriteSequence::onLockTaken(Result<WriteLock> taken)
{
    if (!taken.ok())
        return m_end(taken.error());
    m_lock = taken.value();
    m_write(m_lock);
}

void WebDavWriteSequence::written(Status outcome)
{
    const auto end = [this, outcome] {
        m_end(outcome);
    };
    if (m_lock.created && !outcome.ok())
        return removeLockNullThenRelease(m_job, m_path, m_lock, end);
    releaseWriteLock(m_job, m_path, m_lock.token, end);
}

} // namespace steadysync
