#include "credentialfetcher.h"

#include "remote/credentialstore.h"

#include <QPointer>
#include <QThreadPool>

namespace steadysync {

namespace {

void deliver(QObject *context, std::function<void()> call)
{
    QPointer<QObject> guard(context);
    QMetaObject::invokeMethod(
        context,
        [guard, call = std::move(call)] {
            if (guard)
                call();
        },
        Qt::QueuedConnection);
}

} // namespace

bool CredentialFetcher::needsPassword(const PairConfig &pair)
{
    return !pair.user.isEmpty() && pair.remoteUrl.scheme().startsWith(QStringLiteral("http"));
}

void CredentialFetcher::readPassword(const PairConfig &pair, QObject *context,
                                     std::function<void(const QString &, const QString &)> done)
{
    if (qEnvironmentVariableIsSet("STEADYSYNC_PASSWORD") || !needsPassword(pair)) {
        const QString password = qEnvironmentVariable("STEADYSYNC_PASSWORD");
        deliver(context, [done, password] { done(password, QString()); });
        return;
    }
    const QUrl url = pair.remoteUrl;
    const QString user = pair.user;
    QPointer<QObject> guard(context);
    QThreadPool::globalInstance()->start([guard, url, user, done] {
        const Result<QString> password = CredentialStore().readPassword(url, user);
        const QString value = password.ok() ? *password : QString();
        const QString error = password.ok() || password.error().kind == ErrorKind::NotFound
                                  ? QString()
                                  : password.error().message;
        if (guard)
            deliver(guard, [done, value, error] { done(value, error); });
    });
}

void CredentialFetcher::storePassword(const PairConfig &pair, const QString &password,
                                      QObject *context, std::function<void(const QString &)> done)
{
    const QUrl url = pair.remoteUrl;
    const QString user = pair.user;
    QPointer<QObject> guard(context);
    QThreadPool::globalInstance()->start([guard, url, user, password, done] {
        const Status stored = CredentialStore().storePassword(url, user, password);
        const QString error = stored.ok() ? QString() : stored.error().message;
        if (guard)
            deliver(guard, [done, error] { done(error); });
    });
}

} // namespace steadysync
