#include "credentialfetcher.h"

#include "remote/credentialstore.h"
#include "remote/s3access.h"

namespace steadysync {

namespace {

void deliver(QObject *context, std::function<void()> call)
{
    QMetaObject::invokeMethod(context, std::move(call), Qt::QueuedConnection);
}

} // namespace

bool CredentialFetcher::needsPassword(const PairConfig &pair)
{
    // S3: the user is the access key id, the password its secret access key.
    return !pair.user.isEmpty() &&
           (pair.remoteUrl.scheme().startsWith(QStringLiteral("http")) || isS3Url(pair.remoteUrl));
}

void CredentialFetcher::readPassword(const PairConfig &pair, QObject *context,
                                     std::function<void(const QString &, const QString &)> done)
{
    if (qEnvironmentVariableIsSet("STEADYSYNC_PASSWORD") || !needsPassword(pair)) {
        const QString password = qEnvironmentVariable("STEADYSYNC_PASSWORD");
        deliver(context, [done, password] { done(password, QString()); });
        return;
    }
    CredentialStore().readPasswordAsync(pair.remoteUrl, pair.user, context,
                                        [done](const Result<QString> &password) {
                                            if (password.ok())
                                                return done(*password, QString());
                                            if (password.error().kind == ErrorKind::NotFound)
                                                return done(QString(), QString());
                                            done(QString(), password.error().message);
                                        });
}

void CredentialFetcher::storePassword(const PairConfig &pair, const QString &password,
                                      QObject *context, std::function<void(const QString &)> done)
{
    CredentialStore().storePasswordAsync(
        pair.remoteUrl, pair.user, password, context,
        [done](const Status &stored) { done(stored.ok() ? QString() : stored.error().message); });
}

} // namespace steadysync
