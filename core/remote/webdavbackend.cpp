#include "remote/webdavbackend.h"

#include "remote/nextcloudcapabilities.h"
#include "remote/stagingpath.h"
#include "remote/webdavdownload.h"
#include "remote/webdavhttp.h"
#include "remote/webdavjob.h"
#include "remote/webdavpropfind.h"
#include "remote/webdavserverprobe.h"
#include "remote/webdavsession.h"
#include "remote/webdavupload.h"
#include "remote/webdavuploadroute.h"
#include "remote/webdavwritelock.h"

#include <QNetworkReply>

namespace steadysync {

using webdav::Method;
using webdav::statItem;

namespace {

// How long a session walks with Depth 1 only after a tree listing failed without a refusal
// (ServerCapabilities::treeListingPause): long against a 30 s poll, short against a day.
constexpr qint64 treeListingPauseMs = 15 * 60 * 1000;

// Paths handed in by the engine are relative and clean; anything else is refused before it
// becomes a URL.
std::optional<Error> validatePath(const QString &path, bool allowRoot)
{
    if (path.isEmpty()) {
        if (allowRoot)
            return std::nullopt;
        return makeError(ErrorKind::InvalidName, QStringLiteral("the remote root cannot be used "
                                                                "here"));
    }
    for (const QString &segment : path.split(QLatin1Char('/'))) {
        if (segment.isEmpty() || segment == QLatin1String(".") || segment == QLatin1String("..") ||
            segment.contains(QChar(0)))
            return makeError(ErrorKind::InvalidName,
                             QStringLiteral("%1: not a valid relative path").arg(path));
    }
    return std::nullopt;
}

using StatusDone = std::function<void(Status)>;

// keepAt: not empty, a MOVE there instead of the DELETE (remote-side versions), same checks.
void checkThenDelete(WebDavJob<RemoteJob> *job, const QString &path,
                     const Precondition &precondition, const webdav::WriteLock &lock,
                     int youngRetriesLeft, StatusDone done, const QString &keepAt = {});

// The DELETE of what the check found at path, guarded where the precondition names a version.
void sendDelete(WebDavJob<RemoteJob> *job, const QString &path, const Precondition &precondition,
                const webdav::WriteLock &lock, const RemoteEntry &current, int youngRetriesLeft,
                StatusDone done, const QString &keepAt)
{
    const bool isDir = current.isDir();
    WebDavSession::Request request;
    request.verb = keepAt.isEmpty() ? "DELETE" : "MOVE";
    request.url = job->session()->urlFor(path, isDir);
    if (!keepAt.isEmpty())
        request.headers = {{"Destination", job->session()->urlFor(keepAt, isDir).toEncoded()},
                           {"Overwrite", "F"}};
    webdav::WriteGuard guard;
    if (!isDir && precondition.kind == Precondition::Kind::MustMatch) {
        if (auto error = webdav::checkPrecondition(precondition, current, path))
            return done(*error);
        guard = webdav::guardFor(*job->session(), lock, current);
        guard.addHeadersTo(&request);
    }
    const Method method = keepAt.isEmpty() ? Method::Delete : Method::Move;
    job->send(request, [job, path, precondition, guard, youngRetriesLeft, done, keepAt,
                        method](QNetworkReply *reply) {
        if (auto error = job->session()->errorOf(reply, method, path)) {
            if (error->kind == ErrorKind::PreconditionFailed && guard.mayBeTooYoung() &&
                youngRetriesLeft > 0)
                return retryWhenSettled(job, webdav::youngFilePauseMs,
                                        [job, path, precondition, youngRetriesLeft, done, keepAt] {
                                            checkThenDelete(job, path, precondition,
                                                            webdav::WriteLock{},
                                                            youngRetriesLeft - 1, done, keepAt);
                                        });
            return done(*error);
        }
        if (statusOf(reply) == 207)
            return done(makeError(
                ErrorKind::Transient,
                QStringLiteral("%1: the server could not remove everything in it").arg(path)));
        done(success());
    });
}

void checkThenDelete(WebDavJob<RemoteJob> *job, const QString &path,
                     const Precondition &precondition, const webdav::WriteLock &lock,
                     int youngRetriesLeft, StatusDone done, const QString &keepAt)
{
    statItem(job, path, false,
             [job, path, precondition, lock, youngRetriesLeft, done,
              keepAt](Result<std::optional<RemoteEntry>> stat) {
                 if (!stat.ok())
                     return done(stat.error());
                 const std::optional<RemoteEntry> current =
                     webdav::withoutOwnLockNull(stat.value(), lock);
                 if (!current)
                     return done(makeError(ErrorKind::NotFound,
                                           QStringLiteral("%1: not on the remote").arg(path)));
                 sendDelete(job, path, precondition, lock, *current, youngRetriesLeft, done,
                            keepAt);
             });
}

// stat(): PROPFIND Depth 0; a stat of the root also tells what the server's ETags mean.
void statItem(WebDavJob<EntryJob> *job, const QString &path)
{
    webdav::propfind(job, path, path.isEmpty(), 0, [job, path](Result<PropfindListing> listing) {
        if (!listing.ok())
            return job->fail(listing.error());
        if (!listing->self)
            return job->fail(webdav::undescribedItem(path, *listing));
        if (path.isEmpty())
            job->session()->capabilities().learnFromRootStat(*listing);
        RemoteEntry entry = *listing->self;
        entry.path = path;
        if (path.isEmpty() && !entry.isDir())
            return job->fail(makeError(ErrorKind::RootMissing,
                                       QStringLiteral("the remote root is not a collection")));
        // An ownCloud/Nextcloud under a URL that did not say so: what it offers is read now.
        if (path.isEmpty() && listing->ownCloudFileIdSeen &&
            !job->session()->capabilities().serverProbed)
            return webdav::probeServerOnce(job, [job, entry] { job->succeed(entry); });
        job->succeed(std::move(entry));
    });
}

// MKCOL said "exists" (405) but the folder's stat failed: lighttpd answers a PROPFIND of
// "file/" with 403. A file there is the remote changed meanwhile (PreconditionFailed,
// reconciled again), not a failure to show and never retry.
void failMakeDirectoryOverFile(WebDavJob<EntryJob> *job, const QString &path,
                               const Error &statError)
{
    webdav::statItem(
        job, path, false, [job, path, statError](Result<std::optional<RemoteEntry>> entry) {
            if (!entry.ok() || !entry.value() || entry.value()->isDir())
                return job->fail(statError);
            job->fail(
                makeError(ErrorKind::PreconditionFailed,
                          QStringLiteral("%1: something other than a directory exists there on "
                                         "the remote")
                              .arg(path)));
        });
}

// The stat after MKCOL found entry (nullopt: nothing): a directory there is success,
// whatever MKCOL answered.
void finishMakeDirectory(WebDavJob<EntryJob> *job, const QString &path,
                         const std::optional<Error> &refused, bool expectCreated,
                         const std::optional<RemoteEntry> &entry)
{
    if (entry && entry->isDir())
        return job->succeed(*entry);
    if (refused)
        return job->fail(*refused);
    job->fail(makeError(expectCreated ? ErrorKind::Transient : ErrorKind::PreconditionFailed,
                        expectCreated
                            ? QStringLiteral("%1: the directory created is not there").arg(path)
                            : QStringLiteral("%1: something other than a directory exists "
                                             "there on the remote")
                                  .arg(path)));
}

// What MKCOL's answer means: the folder is looked at before success or failure is told.
void afterMakeCollection(WebDavJob<EntryJob> *job, const QString &path, QNetworkReply *reply)
{
    // 405: it exists. Apache answers 403 when another client's MKCOL wins the race
    // between its existence check and mkdir(): look before calling that a failure.
    std::optional<Error> refused;
    if (statusOf(reply) != 405)
        refused = job->session()->errorOf(reply, Method::Mkcol, path);
    if (refused && (refused->kind == ErrorKind::Auth || refused->kind == ErrorKind::Offline))
        return job->fail(*refused);
    const bool expectCreated = !refused && statusOf(reply) != 405;
    statItem(job, path, true,
             [job, path, refused, expectCreated](Result<std::optional<RemoteEntry>> entry) {
                 if (!entry.ok() && !refused)
                     return failMakeDirectoryOverFile(job, path, entry.error());
                 if (!entry.ok())
                     return job->fail(*refused);
                 finishMakeDirectory(job, path, refused, expectCreated, entry.value());
             });
}

// move(): the MOVE of what the stat found at from, once the precondition holds.
void checkThenMove(WebDavJob<RemoteJob> *job, const QString &from, const QString &to,
                   const Precondition &precondition,
                   const Result<std::optional<RemoteEntry>> &current)
{
    if (!current.ok())
        return job->fail(current.error());
    if (!current.value())
        return job->fail(
            makeError(ErrorKind::NotFound, QStringLiteral("%1: not on the remote").arg(from)));
    if (precondition.kind == Precondition::Kind::MustMatch)
        if (auto error = webdav::checkPrecondition(precondition, current.value(), from))
            return job->fail(*error);
    const bool isDir = current.value()->isDir();
    WebDavSession::Request request;
    request.verb = "MOVE";
    request.url = job->session()->urlFor(from, isDir);
    request.headers = {{"Destination", job->session()->urlFor(to, isDir).toEncoded()},
                       {"Overwrite", "F"}};
    job->send(request, [job, from, to](QNetworkReply *reply) {
        if (auto error = job->session()->errorOf(reply, Method::Move, from)) {
            if (error->kind == ErrorKind::PreconditionFailed)
                error->message =
                    QStringLiteral("cannot move %1: %2 already exists on the remote (HTTP 412)")
                        .arg(from, to);
            return job->fail(*error);
        }
        job->succeed();
    });
}

} // namespace

WebDavBackend::WebDavBackend(const QUrl &collectionRoot, const BackendOptions &options,
                             const QList<QSslCertificate> &extraCaCertificates, QObject *parent)
    : RemoteBackend(parent)
{
    QUrl root =
        collectionRoot.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
    if (!root.path().endsWith(QLatin1Char('/')))
        root.setPath(root.path(QUrl::FullyEncoded) + QLatin1Char('/'), QUrl::StrictMode);
    m_session = new WebDavSession(root, options, extraCaCertificates, this);
    connect(m_session, &WebDavSession::warning, this, &RemoteBackend::warning);
}

WebDavBackend::~WebDavBackend()
{
    // Jobs and their replies go before the session and its QNetworkAccessManager.
    const auto jobs = findChildren<RemoteJob *>(Qt::FindDirectChildrenOnly);
    for (RemoteJob *job : jobs)
        job->cancel();
    qDeleteAll(jobs);
}

QUrl WebDavBackend::url() const
{
    return m_session->root();
}

bool WebDavBackend::propagatesDirectoryEtags() const
{
    return m_session->capabilities().propagatesDirectoryEtags;
}

const ServerCapabilities &WebDavBackend::capabilities() const
{
    return m_session->capabilities();
}

bool WebDavBackend::directoryEtagsFollowChildren() const
{
    return m_session->capabilities().directoryEtagsFollowChildren;
}

bool WebDavBackend::etagsSurviveMoves() const
{
    return m_session->capabilities().etagsSurviveMoves;
}

EntryJob *WebDavBackend::stat(const QString &path)
{
    return startJob<EntryJob>(this, m_session, [path](WebDavJob<EntryJob> *job) {
        if (auto error = validatePath(path, true))
            return job->fail(*error);
        // The pair's first contact with a server whose URL names an ownCloud/Nextcloud
        // (".../remote.php/..."): what it says of itself comes first, and the credentials the
        // OCS answer takes go up front from then on (no 401). Other servers are asked only
        // once their root's stat shows oc:fileid (statItem): a plain one is never asked.
        if (path.isEmpty() && !job->session()->capabilities().serverProbed &&
            nextcloud::namesNextcloud(job->session()->root()))
            return webdav::probeServerOnce(job, [job] { statItem(job, QString()); });
        statItem(job, path);
    });
}

ListJob *WebDavBackend::list(const QString &directory)
{
    return startJob<ListJob>(this, m_session, [directory](WebDavJob<ListJob> *job) {
        if (auto error = validatePath(directory, true))
            return job->fail(*error);
        webdav::propfind(
            job, directory, true, 1, [job, directory](Result<PropfindListing> listing) {
                if (!listing.ok())
                    return job->fail(listing.error());
                if (listing->self && !listing->self->isDir())
                    return job->fail(
                        makeError(ErrorKind::Permanent,
                                  QStringLiteral("%1: is a file on the remote, not a collection")
                                      .arg(directory)));
                job->succeed(directory, std::move(*listing));
            });
    });
}

ListJob *WebDavBackend::listTree(const QString &directory)
{
    // ownCloud and Nextcloud (sabre/dav) answer Depth: infinity with a Depth-1 listing unless
    // configured otherwise, which would read as a tree with empty subcollections; there the
    // Depth-1 walk descends only where ETags changed anyway.
    if (m_session->capabilities().treeListing == WebDavSession::Support::No ||
        m_session->capabilities().propagatesDirectoryEtags ||
        !m_session->capabilities().treeListingPause.hasExpired())
        return nullptr;
    return startJob<ListJob>(this, m_session, [directory](WebDavJob<ListJob> *job) {
        if (auto error = validatePath(directory, true))
            return job->fail(*error);
        webdav::propfind(
            job, directory, true, webdav::depthInfinity,
            [job, directory](Result<PropfindListing> listing) {
                if (!listing.ok()) {
                    // Apache and nginx answer 403; an oversized tree is Corrupt. Either
                    // way the caller walks collection by collection instead.
                    const ErrorKind kind = listing.error().kind;
                    if (kind == ErrorKind::Permanent || kind == ErrorKind::Corrupt)
                        job->session()->capabilities().treeListing = WebDavSession::Support::No;
                    else if (kind == ErrorKind::Transient)
                        job->session()->capabilities().treeListingPause.setRemainingTime(
                            treeListingPauseMs);
                    return job->fail(listing.error());
                }
                // Not when distrusted meanwhile (RemoteWalker proves every answer).
                if (job->session()->capabilities().treeListing == WebDavSession::Support::Unknown)
                    job->session()->capabilities().treeListing = WebDavSession::Support::Yes;
                job->succeed(directory, std::move(*listing));
            });
    });
}

void WebDavBackend::distrustTreeListing()
{
    m_session->capabilities().treeListing = WebDavSession::Support::No;
}

EntryJob *WebDavBackend::download(const QString &path, const QString &localTargetFile)
{
    return startJob<EntryJob>(this, m_session, [path, localTargetFile](WebDavJob<EntryJob> *job) {
        if (auto error = validatePath(path, false))
            return job->fail(*error);
        webdav::download(job, path, localTargetFile);
    });
}

EntryJob *WebDavBackend::upload(const QString &localFile, const QString &path, qint64 mtimeNs,
                                const Precondition &precondition, UploadHashing hashing,
                                const QByteArray &contentSha256)
{
    WebDavUpload::Request upload{localFile,
                                 path,
                                 mtimeNs,
                                 precondition,
                                 hashing == UploadHashing::SentBytes,
                                 contentSha256,
                                 temporaryPathFor(path, precondition)};
    return startJob<EntryJob>(this, m_session, [upload](WebDavJob<EntryJob> *job) {
        if (auto error = validatePath(upload.path, false))
            return job->fail(*error);
        webdav::startUpload(job, upload); // a PUT, a bulk batch or chunks (Nextcloud)
    });
}

EntryJob *WebDavBackend::makeDirectory(const QString &path)
{
    return startJob<EntryJob>(this, m_session, [path](WebDavJob<EntryJob> *job) {
        if (auto error = validatePath(path, false))
            return job->fail(*error);
        WebDavSession::Request request;
        request.verb = "MKCOL";
        request.url = job->session()->urlFor(path, true);
        job->send(request,
                  [job, path](QNetworkReply *reply) { afterMakeCollection(job, path, reply); });
    });
}

RemoteJob *WebDavBackend::move(const QString &from, const QString &to,
                               const Precondition &precondition)
{
    return startJob<RemoteJob>(
        this, m_session, [from, to, precondition](WebDavJob<RemoteJob> *job) {
            if (auto error = validatePath(from, false))
                return job->fail(*error);
            if (auto error = validatePath(to, false))
                return job->fail(*error);
            if (isSameOrBelow(to, from))
                return job->fail(makeError(
                    ErrorKind::InvalidName,
                    QStringLiteral("cannot move %1 to %2: the target lies inside the source")
                        .arg(from, to)));
            statItem(job, from, false,
                     [job, from, to, precondition](Result<std::optional<RemoteEntry>> current) {
                         checkThenMove(job, from, to, precondition, current);
                     });
        });
}

RemoteJob *WebDavBackend::remove(const QString &path, const Precondition &precondition)
{
    return startJob<RemoteJob>(this, m_session, [path, precondition](WebDavJob<RemoteJob> *job) {
        if (auto error = validatePath(path, false))
            return job->fail(*error);
        auto *sequence =
            new WebDavWriteSequence(job, path, precondition, {}, [job](Status outcome) {
                if (outcome.ok())
                    job->succeed();
                else
                    job->fail(outcome.error());
            });
        sequence->setWrite([job, sequence, path, precondition](const webdav::WriteLock &lock) {
            checkThenDelete(job, path, precondition, lock, webdav::youngFileRetries,
                            [sequence](Status outcome) { sequence->written(outcome); });
        });
        sequence->start();
    });
}

RemoteJob *WebDavBackend::removeKeeping(const QString &path, const QString &keepAt,
                                        const Precondition &precondition)
{
    return startJob<RemoteJob>(this, m_session, [=](WebDavJob<RemoteJob> *job) {
        if (auto error = validatePath(path, false); error || validatePath(keepAt, false))
            return job->fail(error ? *error : *validatePath(keepAt, false));
        const StatusDone finishJob = [job](Status outcome) {
            outcome.ok() ? job->succeed() : job->fail(outcome.error());
        };
        // A lock covers the source only, and some servers (rclone: golang.org/x/net/webdav)
        // then refuse any MOVE of it elsewhere (412). Checked again without the lock, as
        // move() does: a change in that window is moved aside, never lost.
        auto *sequence = new WebDavWriteSequence(job, path, precondition, {}, [=](Status outcome) {
            if (outcome.ok() || outcome.error().kind != ErrorKind::PreconditionFailed ||
                precondition.kind == Precondition::Kind::None)
                return finishJob(outcome);
            checkThenDelete(job, path, precondition, webdav::WriteLock{}, webdav::youngFileRetries,
                            finishJob, keepAt);
        });
        sequence->setWrite([=](const webdav::WriteLock &lock) {
            checkThenDelete(
                job, path, precondition, lock, webdav::youngFileRetries,
                [sequence](Status outcome) { sequence->written(outcome); }, keepAt);
        });
        sequence->start();
    });
}

RemoteJob *WebDavBackend::copy(const QString &from, const QString &to,
                               const Precondition &precondition)
{
    return startJob<RemoteJob>(this, m_session, [=](WebDavJob<RemoteJob> *job) {
        if (auto error = validatePath(from, false); error || validatePath(to, false))
            return job->fail(error ? *error : *validatePath(to, false));
        statItem(job, from, false, [=](Result<std::optional<RemoteEntry>> current) {
            if (!current.ok())
                return job->fail(current.error());
            if (auto error = webdav::checkPrecondition(precondition, current.value(), from))
                return job->fail(*error);
            if (!current.value())
                return job->fail(makeError(ErrorKind::NotFound,
                                           QStringLiteral("%1: not on the remote").arg(from)));
            WebDavSession::Request request;
            request.verb = "COPY";
            request.url = job->session()->urlFor(from, false);
            request.headers = {{"Destination", job->session()->urlFor(to, false).toEncoded()},
                               {"Depth", "0"},
                               {"Overwrite", "F"}};
            job->send(request, [job, from](QNetworkReply *reply) {
                if (auto error = job->session()->errorOf(reply, Method::Copy, from))
                    return job->fail(*error);
                job->succeed();
            });
        });
    });
}

void WebDavBackend::setBandwidthLimits(qint64 upKiB, qint64 downKiB)
{
    m_session->setBandwidthLimits(upKiB, downKiB);
}

std::pair<qint64, qint64> WebDavBackend::bandwidthLimits() const
{
    return {m_session->options().bwLimitUpKiB, m_session->options().bwLimitDownKiB};
}

QString WebDavBackend::temporaryPathFor(const QString &path, const Precondition &precondition) const
{
    const ServerCapabilities &server = m_session->capabilities();
    // Nextcloud answers its PUTs with an ETag, and has its own upload routes. The published
    // file is proven by its ETag being the staged one: only an ETag that names one file
    // (FileETag INode MTime Size) proves it. Apache's default "SIZE-MTIME" is shared by files
    // of one size written in one clock tick: two clients creating one name at once both saw
    // their own (tst_webdavapache::concurrentCreatesOfOneNameKeepOneVersion), so there the
    // create is a PUT whose content is checked afterwards.
    const bool apacheModDav = server.isApache() && !server.propagatesDirectoryEtags;
    if (!apacheModDav || !server.etagsSurviveMoves ||
        precondition.kind != Precondition::Kind::MustNotExist || m_clientId.isEmpty())
        return {};
    return stagingPathFor(m_clientId, path);
}

namespace {

void deleteEach(WebDavJob<RemoteJob> *job, QStringList paths)
{
    if (paths.isEmpty())
        return job->succeed();
    const QString path = paths.takeFirst();
    WebDavSession::Request request;
    request.verb = "DELETE";
    request.url = job->session()->urlFor(path, false);
    job->send(request, [job, path, paths](QNetworkReply *reply) {
        std::optional<Error> error = job->session()->errorOf(reply, Method::Delete, path);
        if (error && error->kind != ErrorKind::NotFound)
            return job->fail(*error);
        deleteEach(job, paths);
    });
}

} // namespace

RemoteJob *WebDavBackend::removeTemporaries(const QStringList &paths)
{
    return startJob<RemoteJob>(this, m_session,
                               [paths](WebDavJob<RemoteJob> *job) { deleteEach(job, paths); });
}

RemoteJob *WebDavBackend::removeStalePartials(qint64)
{
    // PUT goes straight to the final name: there are no partial files to clean up.
    return startJob<RemoteJob>(this, m_session, [](WebDavJob<RemoteJob> *job) { job->succeed(); });
}

} // namespace steadysync
