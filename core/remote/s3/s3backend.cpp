#include "remote/s3/s3backend.h"

#include "remote/s3/s3operations.h"
#include "remote/s3/s3session.h"
#include "remote/s3/s3steps.h"

#include <QFileInfo>
#include <QUuid>

namespace steadysync {

namespace {

// A job that finishes at once (delivered from the event loop).
class ImmediateJob final : public RemoteJob
{
public:
    ImmediateJob(QObject *parent, const std::optional<Error> &error) : RemoteJob(parent)
    {
        finish(error);
    }
};

} // namespace

S3Backend::S3Backend(const S3Endpoint &endpoint, const BackendOptions &options, QObject *parent)
    : RemoteBackend(parent), m_session(new S3Session(endpoint, options, this))
{
    m_session->setConditionalWritesProbe(
        [this](std::function<void()> done) { probeConditionalWrites(std::move(done)); });
}

S3Backend::~S3Backend() = default;

QUrl S3Backend::url() const
{
    return m_session->endpoint().remoteUrl();
}

bool S3Backend::enforcesPreconditions() const
{
    const ConditionalWrites mode = m_session->conditionalWrites();
    return mode == ConditionalWrites::Quoted || mode == ConditionalWrites::Unquoted;
}

EntryJob *S3Backend::stat(const QString &path)
{
    return startS3Job<EntryJob>(this, m_session, [path](S3Job<EntryJob> *job) {
        if (!path.isEmpty()) {
            s3::statPath(job, path, [job, path](const s3::MaybeEntry &entry) {
                if (!entry)
                    return job->fail(makeError(
                        ErrorKind::NotFound, QStringLiteral("%1 is not on the remote").arg(path)));
                job->succeed(*entry);
            });
            return;
        }
        // The root: a prefix always "exists" once the bucket answers a listing.
        s3::listAll(
            job, job->session()->endpoint().keyPrefix(), true,
            [job](const s3xml::ListPage &) {
                RemoteEntry root;
                root.type = ItemType::Directory;
                job->succeed(root);
            },
            1);
    });
}

ListJob *S3Backend::list(const QString &directory)
{
    return s3::listFolder(this, m_session, directory, false);
}

ListJob *S3Backend::listTree(const QString &directory)
{
    return s3::listFolder(this, m_session, directory, true);
}

EntryJob *S3Backend::download(const QString &path, const QString &localTargetFile)
{
    return s3::download(this, m_session, path, localTargetFile);
}

EntryJob *S3Backend::upload(const QString &localFile, const QString &path, qint64 mtimeNs,
                            const Precondition &precondition, UploadHashing,
                            const QByteArray &contentSha256)
{
    if (QFileInfo(localFile).size() > s3::partSizeFor(QFileInfo(localFile).size()))
        return s3::uploadMultipart(this, m_session, localFile, path, mtimeNs, precondition);
    return s3::uploadSmall(this, m_session, localFile, path, mtimeNs, precondition, contentSha256);
}

EntryJob *S3Backend::makeDirectory(const QString &path)
{
    return startS3Job<EntryJob>(this, m_session, [path](S3Job<EntryJob> *job) {
        const QString key = job->session()->endpoint().keyFor(path);
        // A store keeps "name" and "name/" side by side; a folder over a file would list the
        // name twice. Refused as the remote changed meanwhile, as WebDAV's MKCOL over a file.
        s3::headObject(job, key, path, [job, key, path](const s3::MaybeEntry &file) {
            if (file)
                return job->fail(
                    makeError(ErrorKind::PreconditionFailed,
                              QStringLiteral("%1: a file exists there on the remote").arg(path)));
            S3Request request;
            request.method = "PUT";
            request.key = key + QLatin1Char('/');
            job->send(request, [job, path](QNetworkReply *reply, const QByteArray &body) {
                if (job->failIfError(reply, body, QStringLiteral("creating folder %1").arg(path)))
                    return;
                RemoteEntry folder;
                folder.path = path;
                folder.type = ItemType::Directory;
                job->succeed(folder);
            });
        });
    });
}

RemoteJob *S3Backend::move(const QString &from, const QString &to, const Precondition &precondition)
{
    return s3::copyOrMove(this, m_session, from, to, precondition, true);
}

RemoteJob *S3Backend::copy(const QString &from, const QString &to, const Precondition &precondition)
{
    return s3::copyOrMove(this, m_session, from, to, precondition, false);
}

RemoteJob *S3Backend::remove(const QString &path, const Precondition &precondition)
{
    return s3::remove(this, m_session, path, precondition);
}

RemoteJob *S3Backend::removeStalePartials(qint64 maxAgeS)
{
    return s3::abortStaleUploads(this, m_session, maxAgeS);
}

RemoteJob *S3Backend::removeTemporaries(const QStringList &)
{
    return new ImmediateJob(this, std::nullopt); // S3 writes no temporary objects
}

int S3Backend::partRequestsSent() const
{
    return m_session->partRequestsSent();
}

void S3Backend::setPartSizeForTests(qint64 bytes)
{
    s3::setPartSizeOverride(bytes);
}

void S3Backend::setListPageSizeForTests(int keys)
{
    s3::setListPageSize(keys);
}

} // namespace steadysync
