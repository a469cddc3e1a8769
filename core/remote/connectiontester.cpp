#include "remote/connectiontester.h"

namespace steadysync {

namespace {

bool isWebDav(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    return scheme == QLatin1String("http") || scheme == QLatin1String("https");
}

// WebDavSession words a refused or unverifiable certificate this way; Qt words a failed
// handshake as "SSL handshake failed".
bool isCertificateProblem(const Error &error)
{
    return error.message.contains(QLatin1String("TLS certificate problem")) ||
           error.message.contains(QLatin1String("SSL handshake failed"), Qt::CaseInsensitive);
}

} // namespace

ConnectionTester::ConnectionTester(QObject *parent) : QObject(parent)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        finish(Outcome::Unreachable, QStringLiteral("%1 did not answer within %2 s")
                                         .arg(m_url.toDisplayString(QUrl::RemoveUserInfo))
                                         .arg(m_timeoutMs / 1000.0));
    });
}

ConnectionTester::~ConnectionTester()
{
    cancel();
}

void ConnectionTester::start(const QUrl &url, const BackendOptions &options, int timeoutMs)
{
    cancel();
    m_url = url;
    m_options = options;
    m_options.parallel = 1;
    m_options.requestTimeoutMs = std::max(1, timeoutMs);
    m_timeoutMs = std::max(1, timeoutMs);

    QString error;
    m_backend = adopt(RemoteBackend::create(url, m_options, &error));
    if (!m_backend) {
        // finished() never comes from inside start(), nor after a cancel().
        QMetaObject::invokeMethod(
            this,
            [this, error, generation = m_generation] {
                if (generation == m_generation)
                    Q_EMIT finished(Outcome::InvalidUrl, error);
            },
            Qt::QueuedConnection);
        return;
    }
    // A little later than the backend's own request timeout, which words it better.
    m_deadline.start(m_timeoutMs + 1000);
    EntryJob *job = m_backend->stat(QString());
    m_job = job;
    connect(job, &RemoteJob::finished, this, [this, job] { onRootStat(job); });
}

void ConnectionTester::cancel()
{
    ++m_generation;
    m_deadline.stop();
    if (m_job) {
        disconnect(m_job, nullptr, this, nullptr);
        m_job->cancel();
    }
    m_job.clear();
    dropBackends();
}

RemoteBackend *ConnectionTester::adopt(std::unique_ptr<RemoteBackend> backend)
{
    if (backend)
        backend->setParent(this);
    return backend.release();
}

void ConnectionTester::dropBackends()
{
    for (QPointer<RemoteBackend> *backend : {&m_backend, &m_parentBackend}) {
        if (*backend)
            (*backend)->deleteLater();
        backend->clear();
    }
}

void ConnectionTester::onRootStat(EntryJob *job)
{
    m_job.clear();
    if (job->succeeded()) {
        if (job->entry().isDir())
            return finish(Outcome::Connected, QString());
        return finish(Outcome::NotACollection,
                      QStringLiteral("%1 is a file, not a folder")
                          .arg(m_url.toDisplayString(QUrl::RemoveUserInfo)));
    }
    const Error error = *job->error();
    switch (error.kind) {
    case ErrorKind::Auth:
        return finish(Outcome::WrongCredentials, error.message);
    case ErrorKind::Offline:
        return finish(Outcome::Unreachable, error.message);
    case ErrorKind::Transient:
        return finish(error.message.contains(QLatin1String("timed out")) ? Outcome::Unreachable
                                                                         : Outcome::Failed,
                      error.message);
    case ErrorKind::NotFound:
        return finish(Outcome::FolderNotFound, error.message);
    case ErrorKind::RootMissing:
    case ErrorKind::Permanent:
    case ErrorKind::Corrupt:
        if (isCertificateProblem(error))
            return finish(Outcome::CertificateNotTrusted, error.message);
        if (!isWebDav(m_url))
            return finish(Outcome::FolderNotFound, error.message);
        return probeParent(error);
    default:
        return finish(Outcome::Failed, error.message);
    }
}

// The root did not answer as a collection: ask its parent what is there under its name.
void ConnectionTester::probeParent(const Error &rootError)
{
    const QUrl stripped = m_url.adjusted(QUrl::StripTrailingSlash);
    const QString name = stripped.fileName();
    if (name.isEmpty()) {
        return finish(rootError.kind == ErrorKind::RootMissing ? Outcome::FolderNotFound
                                                               : Outcome::NotACollection,
                      rootError.message);
    }
    m_parentBackend =
        adopt(RemoteBackend::create(stripped.adjusted(QUrl::RemoveFilename), m_options, nullptr));
    if (!m_parentBackend)
        return finish(Outcome::Failed, rootError.message);
    EntryJob *job = m_parentBackend->stat(name);
    m_job = job;
    connect(job, &RemoteJob::finished, this, [this, job, rootError] {
        m_job.clear();
        if (job->succeeded()) {
            if (!job->entry().isDir())
                return finish(Outcome::NotACollection,
                              QStringLiteral("%1 is a file, not a WebDAV collection")
                                  .arg(m_url.toDisplayString(QUrl::RemoveUserInfo)));
            return finish(Outcome::Failed, rootError.message);
        }
        switch (job->error()->kind) {
        case ErrorKind::NotFound:
        case ErrorKind::ParentMissing:
            return finish(Outcome::FolderNotFound, rootError.message);
        case ErrorKind::Auth:
            return finish(Outcome::WrongCredentials, job->error()->message);
        case ErrorKind::Offline:
            return finish(Outcome::Unreachable, job->error()->message);
        case ErrorKind::RootMissing:
        case ErrorKind::Permanent:
        case ErrorKind::Corrupt:
            // The parent does not answer PROPFIND as WebDAV either.
            return finish(Outcome::NotACollection, rootError.message);
        default:
            return finish(Outcome::Failed, rootError.message);
        }
    });
}

void ConnectionTester::finish(Outcome outcome, const QString &detail)
{
    cancel();
    Q_EMIT finished(outcome, detail);
}

} // namespace steadysync
