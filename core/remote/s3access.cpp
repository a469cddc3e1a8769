#include "remote/s3access.h"

namespace steadysync {

namespace {

const QString AccessKeyIdVariable = QStringLiteral("AWS_ACCESS_KEY_ID");
const QString SecretVariable = QStringLiteral("AWS_SECRET_ACCESS_KEY");

QString firstSet(const QProcessEnvironment &environment, std::initializer_list<const char *> names)
{
    for (const char *name : names) {
        QString value = environment.value(QLatin1String(name)).trimmed();
        if (!value.isEmpty())
            return value;
    }
    return {};
}

} // namespace

bool isS3Url(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    return scheme == QLatin1String("s3") || scheme == QLatin1String("s3+http") ||
           scheme == QLatin1String("s3+https");
}

QString backendKindOf(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    if (isS3Url(url))
        return QStringLiteral("s3");
    if (scheme == QLatin1String("http") || scheme == QLatin1String("https"))
        return QStringLiteral("webdav");
    if (scheme == QLatin1String("file"))
        return QStringLiteral("local");
    return {};
}

QString s3AccessKeyId(const QString &configured, const QProcessEnvironment &environment)
{
    return configured.isEmpty() ? environment.value(AccessKeyIdVariable).trimmed() : configured;
}

bool s3SecretInEnvironment(const QString &accessKeyId, const QProcessEnvironment &environment)
{
    return !accessKeyId.isEmpty() && !environment.value(SecretVariable).isEmpty() &&
           accessKeyId == environment.value(AccessKeyIdVariable).trimmed();
}

Result<S3Access> resolveS3Access(const QUrl &url, const BackendOptions &options,
                                 const QProcessEnvironment &environment)
{
    S3Access access;
    access.accessKeyId = s3AccessKeyId(options.user, environment);
    if (access.accessKeyId.isEmpty())
        return makeError(ErrorKind::Auth,
                         QStringLiteral("no S3 access key id: give --access-key-id (the pair's "
                                        "setting) or set AWS_ACCESS_KEY_ID"));
    if (!options.password.isEmpty()) {
        access.secretAccessKey = options.password;
    } else if (s3SecretInEnvironment(access.accessKeyId, environment)) {
        access.secretAccessKey = environment.value(SecretVariable);
        access.sessionToken = environment.value(QStringLiteral("AWS_SESSION_TOKEN"));
        access.secretFromEnvironment = true;
    } else {
        return makeError(ErrorKind::Auth,
                         QStringLiteral("no secret access key for %1: run steadysync-cli login "
                                        "%2 --access-key-id %1, or set AWS_SECRET_ACCESS_KEY")
                             .arg(access.accessKeyId, url.toDisplayString(QUrl::RemoveUserInfo)));
    }
    access.region = options.region.isEmpty()
                        ? firstSet(environment, {"AWS_REGION", "AWS_DEFAULT_REGION"})
                        : options.region;
    if (url.scheme().toLower() == QLatin1String("s3")) {
        const QString endpoint = firstSet(environment, {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"});
        if (!endpoint.isEmpty())
            access.endpointOverride = QUrl(endpoint);
    }
    return access;
}

} // namespace steadysync
