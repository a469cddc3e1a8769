#include "remote/remotebackend.h"

#include "remote/localdirbackend.h"
#include "remote/s3access.h"
#include "remote/webdavbackend.h"

#include <QDir>

namespace steadysync {

namespace {

std::unique_ptr<RemoteBackend> fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return nullptr;
}

// A file:///absolute/path URL.
std::unique_ptr<RemoteBackend> createLocalDirBackend(const QUrl &url, const BackendOptions &options,
                                                     QString *error)
{
    if (!url.host().isEmpty())
        return fail(error, QStringLiteral("file: URLs must not name a host ('%1'); use "
                                          "file:///absolute/path")
                               .arg(url.host()));
    const QString path = url.toLocalFile();
    if (path.isEmpty() || !QDir::isAbsolutePath(path))
        return fail(error, QStringLiteral("the remote directory in '%1' must be an absolute "
                                          "path (file:///absolute/path)")
                               .arg(url.toString()));
    return std::make_unique<LocalDirBackend>(QDir::cleanPath(path), options);
}

// An http(s) URL: WebDAV, trusting the CA certificates of options.caCertFile (PEM or DER) too.
std::unique_ptr<RemoteBackend> createWebDavBackend(const QUrl &url, const BackendOptions &options,
                                                   QString *error)
{
    if (url.host().isEmpty())
        return fail(error, QStringLiteral("the remote URL '%1' names no server")
                               .arg(url.toDisplayString(QUrl::RemoveUserInfo)));
    if (!url.password().isEmpty())
        return fail(error, QStringLiteral("the remote URL must not contain a password; "
                                          "use the login command to store it"));
    QList<QSslCertificate> caCertificates;
    if (!options.caCertFile.isEmpty()) {
        caCertificates = QSslCertificate::fromPath(options.caCertFile, QSsl::Pem);
        if (caCertificates.isEmpty())
            caCertificates = QSslCertificate::fromPath(options.caCertFile, QSsl::Der);
        if (caCertificates.isEmpty())
            return fail(error, QStringLiteral("no CA certificate could be read from '%1'")
                                   .arg(options.caCertFile));
    }
    BackendOptions webDavOptions = options;
    if (webDavOptions.user.isEmpty())
        webDavOptions.user = url.userName();
    return std::make_unique<WebDavBackend>(url, webDavOptions, caCertificates);
}

// A job that fails at once (finish() delivers it from the event loop).
class RefusedJob final : public RemoteJob
{
public:
    RefusedJob(QObject *parent, const Error &error) : RemoteJob(parent) { finish(error); }
};

} // namespace

RemoteJob *RemoteBackend::copy(const QString &from, const QString &to, const Precondition &)
{
    return new RefusedJob(this, makeError(ErrorKind::Permanent,
                                          QStringLiteral("cannot copy %1 to %2: this remote has "
                                                         "no server-side copy")
                                              .arg(from, to)));
}

std::unique_ptr<RemoteBackend> RemoteBackend::create(const QUrl &url, const BackendOptions &options,
                                                     QString *error)
{
    if (!url.isValid() || url.isEmpty())
        return fail(error, QStringLiteral("malformed remote URL '%1'").arg(url.toString()));

    const QString scheme = url.scheme().toLower();
    if (isS3Url(url))
        return createS3Backend(url, options, error);
    if (scheme == QLatin1String("file"))
        return createLocalDirBackend(url, options, error);
    if (scheme == QLatin1String("http") || scheme == QLatin1String("https"))
        return createWebDavBackend(url, options, error);
    if (scheme.isEmpty())
        return fail(error, QStringLiteral("the remote URL '%1' has no scheme (use https://, "
                                          "http://, s3:// or file:///absolute/path)")
                               .arg(url.toString()));
    return fail(error, QStringLiteral("unsupported remote URL scheme '%1:' (use https://, http://, "
                                      "s3://, s3+http(s):// or file:///absolute/path)")
                           .arg(scheme));
}

} // namespace steadysync
