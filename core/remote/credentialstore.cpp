#include "remote/credentialstore.h"

#include <qt6keychain/keychain.h>

#include <QEventLoop>
#include <QFileInfo>
#include <QTimer>

#include <functional>

namespace steadysync {

namespace {

struct JobOutcome
{
    bool finished = false;
    QKeychain::Error error = QKeychain::NoError;
    QString message;
    QString text;
};

// Without a session bus, libsecret would try to autolaunch one through X11 (leaving stray
// daemons, or hanging on an invisible prompt): fail at once instead.
bool sessionBusReachable()
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
    if (!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        return true;
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    return !runtime.isEmpty() && QFileInfo::exists(runtime + QStringLiteral("/bus"));
#else
    return true;
#endif
}

// Runs an asynchronous QtKeychain job to completion or until timeoutMs. A job that times out
// is left running and deletes itself if it ever finishes (deleting it early would free what
// the pending D-Bus call still refers to).
JobOutcome runJob(QKeychain::Job *job, int timeoutMs,
                  const std::function<QString(QKeychain::Job *)> &extract = {})
{
    JobOutcome outcome;
    QEventLoop loop;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&](QKeychain::Job *done) {
        outcome.finished = true;
        outcome.error = done->error();
        outcome.message = done->errorString();
        if (extract && done->error() == QKeychain::NoError)
            outcome.text = extract(done);
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    job->setAutoDelete(true);
    job->start();
    if (!outcome.finished)
        loop.exec();
    return outcome;
}

Error keychainError(const JobOutcome &outcome, int timeoutMs)
{
    if (!outcome.finished)
        return makeError(
            ErrorKind::Permanent,
            QStringLiteral("the keychain did not answer within %1 s (is a Secret Service "
                           "such as gnome-keyring running and unlocked?)")
                .arg(timeoutMs / 1000.0));
    return makeError(
        ErrorKind::Permanent,
        QStringLiteral("keychain (Secret Service) unavailable: %1 (QtKeychain error %2)")
            .arg(outcome.message)
            .arg(int(outcome.error)));
}

Error noSessionBus()
{
    return makeError(
        ErrorKind::Permanent,
        QStringLiteral("keychain unavailable: no D-Bus session bus, so no Secret Service "
                       "(DBUS_SESSION_BUS_ADDRESS is not set)"));
}

} // namespace

QString CredentialStore::keyFor(const QUrl &remote, const QString &user)
{
    QUrl url = remote.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment |
                               QUrl::NormalizePathSegments);
    url.setScheme(url.scheme().toLower());
    url.setHost(url.host().toLower());
    if ((url.scheme() == QLatin1String("http") && url.port() == 80) ||
        (url.scheme() == QLatin1String("https") && url.port() == 443))
        url.setPort(-1);
    if (!url.path().endsWith(QLatin1Char('/')))
        url.setPath(url.path() + QLatin1Char('/'));
    url.setUserName(user);
    return url.toString(QUrl::FullyEncoded);
}

Result<QString> CredentialStore::readPassword(const QUrl &remote, const QString &user) const
{
    if (!sessionBusReachable())
        return noSessionBus();
    auto *job = new QKeychain::ReadPasswordJob(serviceName());
    job->setKey(keyFor(remote, user));
    const JobOutcome outcome = runJob(job, m_timeoutMs, [](QKeychain::Job *done) {
        return static_cast<QKeychain::ReadPasswordJob *>(done)->textData();
    });
    if (outcome.finished && outcome.error == QKeychain::NoError)
        return outcome.text;
    if (outcome.finished && outcome.error == QKeychain::EntryNotFound)
        return makeError(
            ErrorKind::NotFound,
            QStringLiteral("no password in the keychain for %1").arg(keyFor(remote, user)));
    return keychainError(outcome, m_timeoutMs);
}

Status CredentialStore::storePassword(const QUrl &remote, const QString &user,
                                      const QString &password) const
{
    if (!sessionBusReachable())
        return noSessionBus();
    auto *job = new QKeychain::WritePasswordJob(serviceName());
    job->setKey(keyFor(remote, user));
    job->setTextData(password);
    const JobOutcome outcome = runJob(job, m_timeoutMs);
    if (outcome.finished && outcome.error == QKeychain::NoError)
        return success();
    return keychainError(outcome, m_timeoutMs);
}

Status CredentialStore::removePassword(const QUrl &remote, const QString &user) const
{
    if (!sessionBusReachable())
        return noSessionBus();
    auto *job = new QKeychain::DeletePasswordJob(serviceName());
    job->setKey(keyFor(remote, user));
    const JobOutcome outcome = runJob(job, m_timeoutMs);
    if (outcome.finished &&
        (outcome.error == QKeychain::NoError || outcome.error == QKeychain::EntryNotFound))
        return success();
    return keychainError(outcome, m_timeoutMs);
}

} // namespace steadysync
