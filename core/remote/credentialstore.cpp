#include "remote/credentialstore.h"

#include "remote/keychainqueue.h"

#include <qt6keychain/keychain.h>

#include <QFileInfo>

namespace steadysync {

namespace {

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

Error keychainError(const KeychainAnswer &outcome, int timeoutMs)
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
            .arg(outcome.error));
}

Error noSessionBus()
{
    return makeError(
        ErrorKind::Permanent,
        QStringLiteral("keychain unavailable: no D-Bus session bus, so no Secret Service "
                       "(DBUS_SESSION_BUS_ADDRESS is not set)"));
}

// The folder above url on the same server, or an empty URL at the server's root.
QUrl parentFolderOf(const QUrl &url)
{
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    if (path.isEmpty())
        return {};
    QUrl parent = url;
    parent.setPath(path.left(path.lastIndexOf(QLatin1Char('/')) + 1));
    return parent;
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

KeychainRequest CredentialStore::request(int operation, const QUrl &remote, const QString &user,
                                         const QString &password)
{
    return KeychainRequest{KeychainRequest::Operation(operation), serviceName(),
                           keyFor(remote, user), password};
}

Result<QString> CredentialStore::readOutcome(const KeychainAnswer &answer, const QUrl &remote,
                                             const QString &user, int timeoutMs)
{
    if (answer.finished && answer.error == QKeychain::NoError)
        return answer.text;
    if (answer.finished && answer.error == QKeychain::EntryNotFound)
        return makeError(
            ErrorKind::NotFound,
            QStringLiteral("no password in the keychain for %1").arg(keyFor(remote, user)));
    return keychainError(answer, timeoutMs);
}

Status CredentialStore::storeOutcome(const KeychainAnswer &answer, int timeoutMs)
{
    if (answer.finished && answer.error == QKeychain::NoError)
        return success();
    return keychainError(answer, timeoutMs);
}

Result<QString> CredentialStore::readPassword(const QUrl &remote, const QString &user) const
{
    if (!sessionBusReachable())
        return noSessionBus();
    // An entry for a folder above serves the folders below it: one app password for the
    // account's WebDAV root serves every pair on that account.
    for (QUrl url = remote; url.isValid(); url = parentFolderOf(url)) {
        const KeychainRequest read = request(int(KeychainRequest::Operation::Read), url, user);
        const KeychainAnswer answer = KeychainQueue::run(read, m_timeoutMs);
        if (!answer.finished || answer.error != QKeychain::EntryNotFound)
            return readOutcome(answer, url, user, m_timeoutMs);
    }
    return readOutcome(KeychainAnswer{true, QKeychain::EntryNotFound, {}, {}}, remote, user,
                       m_timeoutMs);
}

Status CredentialStore::storePassword(const QUrl &remote, const QString &user,
                                      const QString &password) const
{
    if (!sessionBusReachable())
        return noSessionBus();
    const KeychainRequest write =
        request(int(KeychainRequest::Operation::Write), remote, user, password);
    return storeOutcome(KeychainQueue::run(write, m_timeoutMs), m_timeoutMs);
}

Status CredentialStore::removePassword(const QUrl &remote, const QString &user) const
{
    if (!sessionBusReachable())
        return noSessionBus();
    const KeychainRequest remove = request(int(KeychainRequest::Operation::Delete), remote, user);
    const KeychainAnswer answer = KeychainQueue::run(remove, m_timeoutMs);
    if (answer.finished && answer.error == QKeychain::EntryNotFound)
        return success();
    return storeOutcome(answer, m_timeoutMs);
}

void CredentialStore::readPasswordAsync(const QUrl &remote, const QString &user, QObject *context,
                                        std::function<void(const Result<QString> &)> done) const
{
    if (!sessionBusReachable())
        return deliverLater(context, [done] { done(noSessionBus()); });
    readFromFolderOrAbove(remote, remote, user, context, std::move(done));
}

// readPassword's walk up the folders, one queued read at a time.
void CredentialStore::readFromFolderOrAbove(const QUrl &folder, const QUrl &remote,
                                            const QString &user, QObject *context,
                                            std::function<void(const Result<QString> &)> done) const
{
    const int timeoutMs = m_timeoutMs;
    const CredentialStore store = *this;
    KeychainQueue::submit(
        request(int(KeychainRequest::Operation::Read), folder, user), timeoutMs, context,
        [store, folder, remote, user, context, done, timeoutMs](const KeychainAnswer &answer) {
            const QUrl parent = parentFolderOf(folder);
            if (answer.finished && answer.error == QKeychain::EntryNotFound && parent.isValid())
                return store.readFromFolderOrAbove(parent, remote, user, context, done);
            done(readOutcome(answer, answer.error == QKeychain::NoError ? folder : remote, user,
                             timeoutMs));
        });
}

void CredentialStore::storePasswordAsync(const QUrl &remote, const QString &user,
                                         const QString &password, QObject *context,
                                         std::function<void(const Status &)> done) const
{
    if (!sessionBusReachable())
        return deliverLater(context, [done] { done(noSessionBus()); });
    const int timeoutMs = m_timeoutMs;
    KeychainQueue::submit(
        request(int(KeychainRequest::Operation::Write), remote, user, password), timeoutMs, context,
        [done, timeoutMs](const KeychainAnswer &answer) { done(storeOutcome(answer, timeoutMs)); });
}

void CredentialStore::deliverLater(QObject *context, std::function<void()> call)
{
    QMetaObject::invokeMethod(context, std::move(call), Qt::QueuedConnection);
}

} // namespace steadysync
