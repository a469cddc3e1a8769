#include "remote/webdavfolderlocks.h"

#include "remote/webdavsession.h"

#include <QNetworkReply>
#include <QXmlStreamReader>

namespace steadysync {

namespace {

QByteArray folderLockBody(const QString &owner)
{
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
           "<D:lockinfo xmlns:D=\"DAV:\">"
           "<D:lockscope><D:exclusive/></D:lockscope>"
           "<D:locktype><D:write/></D:locktype>"
           "<D:owner>" +
           (owner.isEmpty() ? QByteArray("steadysync") : owner.toHtmlEscaped().toUtf8()) +
           "</D:owner></D:lockinfo>";
}

const QByteArray lockDiscoveryBody = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                                     "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:lockdiscovery/>"
                                     "</D:prop></D:propfind>";

// The token of an active lock owned by `owner` in a PROPFIND answer for DAV:lockdiscovery
// (empty: none listed).
QByteArray tokenOwnedBy(const QByteArray &multistatus, const QString &owner)
{
    QXmlStreamReader xml(multistatus);
    bool inOwner = false;
    bool inToken = false;
    QString ownerText;
    QByteArray token;
    while (!xml.atEnd()) {
        const QXmlStreamReader::TokenType type = xml.readNext();
        const bool dav = xml.namespaceUri() == QLatin1String("DAV:");
        if (type == QXmlStreamReader::StartElement && dav) {
            if (xml.name() == QLatin1String("activelock")) {
                ownerText.clear();
                token.clear();
            }
            inOwner |= xml.name() == QLatin1String("owner");
            inToken |= xml.name() == QLatin1String("locktoken");
        } else if (type == QXmlStreamReader::Characters) {
            if (inOwner)
                ownerText += xml.text();
            else if (inToken)
                token += xml.text().toUtf8();
        } else if (type == QXmlStreamReader::EndElement && dav) {
            if (xml.name() == QLatin1String("owner"))
                inOwner = false;
            else if (xml.name() == QLatin1String("locktoken"))
                inToken = false;
            else if (xml.name() == QLatin1String("activelock") && ownerText.trimmed() == owner &&
                     !token.trimmed().isEmpty())
                return token.trimmed();
        }
    }
    return {};
}

QByteArray timeoutHeader()
{
    return "Second-" + QByteArray::number(WebDavFolderLocks::lockTimeoutSeconds);
}

QByteArray lockTokenOf(const QNetworkReply *reply)
{
    QByteArray token = reply->rawHeader("Lock-Token").trimmed();
    if (token.startsWith('<') && token.endsWith('>'))
        token = token.mid(1, token.size() - 2);
    return token;
}

// Answers after which the folder's membership simply goes unguarded, as on a server without
// locks: the server will not lock this folder (403 read-only, 405, 501, 500 from a damaged lock
// database, 409 the folder is gone), or it locked it without saying how to use the lock.
bool refusesToLock(int status)
{
    return status == 403 || status == 405 || status == 409 || status == 412 || status == 500 ||
           status == 501;
}

} // namespace

WebDavFolderLocks::WebDavFolderLocks(WebDavSession *session) : m_session(session)
{
    m_refreshTimer.setInterval(refreshIntervalMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &WebDavFolderLocks::refreshHeldLocks);
}

WebDavFolderLocks::~WebDavFolderLocks() = default;

void WebDavFolderLocks::acquire(const QString &folder, QObject *holder, Granted granted)
{
    Folder &state = m_folders[folder];
    if (state.phase == Phase::Held) {
        if (!state.holders.contains(holder)) {
            state.holders.append(holder);
            connect(holder, &QObject::destroyed, this,
                    [this, folder, holder] { dropHolder(folder, holder); });
        }
        return granted(state.token);
    }
    state.waiting.append({QPointer<QObject>(holder), std::move(granted)});
    if (state.phase == Phase::Free) {
        state.busyRetriesLeft = busyRetries;
        sendLock(folder);
    }
}

void WebDavFolderLocks::sendLock(const QString &folder)
{
    m_folders[folder].phase = Phase::Locking;
    WebDavSession::Request request;
    request.verb = "LOCK";
    request.url = m_session->urlFor(folder, true);
    request.headers = {{"Depth", "0"},
                       {"Timeout", timeoutHeader()},
                       {"Content-Type", "application/xml; charset=utf-8"}};
    request.body = folderLockBody(m_session->options().lockOwner);
    QNetworkReply *reply = m_session->send(request);
    connect(reply, &QNetworkReply::finished, this,
            [this, folder, reply] { onLockAnswered(folder, reply); });
}

void WebDavFolderLocks::onLockAnswered(const QString &folder, QNetworkReply *reply)
{
    reply->deleteLater();
    Folder &state = m_folders[folder];
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray token = lockTokenOf(reply);
    if ((status == 200 || status == 201) && !token.isEmpty()) {
        state.phase = Phase::Held;
        state.token = token;
        m_refreshTimer.start();
        return settleWaiting(folder, token);
    }
    if (status == 423 && state.busyRetriesLeft-- > 0)
        return takeBackOwnLockOrWait(folder);
    state.phase = Phase::Free;
    if (status == 423)
        return settleWaiting(
            folder, makeError(ErrorKind::Transient,
                              tr("%1: another client keeps the folder locked on the remote "
                                 "(HTTP 423)")
                                  .arg(folder.isEmpty() ? QStringLiteral("/") : folder)));
    if (refusesToLock(status) || (status >= 200 && status < 300))
        return settleWaiting(folder, QByteArray());
    std::optional<Error> error = m_session->errorOf(reply, webdav::Method::Lock, folder);
    settleWaiting(folder, error ? Result<QByteArray>(*error) : Result<QByteArray>(QByteArray()));
}

// A 423: where the folder's lock is this pair's own (an earlier LOCK whose answer was lost, a
// run that was killed), its token is taken back and refreshed; otherwise another client holds
// it, and the LOCK is tried again a little later.
void WebDavFolderLocks::takeBackOwnLockOrWait(const QString &folder)
{
    const QString owner = m_session->options().lockOwner;
    const auto tryAgainLater = [this, folder] {
        QTimer::singleShot(busyPauseMs, this, [this, folder] { sendLock(folder); });
    };
    if (owner.isEmpty())
        return tryAgainLater();
    WebDavSession::Request request;
    request.verb = "PROPFIND";
    request.url = m_session->urlFor(folder, true);
    request.headers = {{"Depth", "0"}, {"Content-Type", "application/xml; charset=utf-8"}};
    request.body = lockDiscoveryBody;
    QNetworkReply *reply = m_session->send(request);
    connect(reply, &QNetworkReply::finished, this, [this, folder, owner, reply, tryAgainLater] {
        reply->deleteLater();
        const QByteArray token = tokenOwnedBy(reply->readAll(), owner);
        if (token.isEmpty())
            return tryAgainLater();
        Folder &state = m_folders[folder];
        state.phase = Phase::Held;
        state.token = token;
        m_refreshTimer.start();
        refreshHeldLocks();
        settleWaiting(folder, token);
    });
}

// Hands the outcome of a LOCK to everyone waiting for it; they become holders where it holds.
void WebDavFolderLocks::settleWaiting(const QString &folder, const Result<QByteArray> &outcome)
{
    const QList<Waiter> waiting = std::exchange(m_folders[folder].waiting, {});
    const bool held = m_folders[folder].phase == Phase::Held;
    QList<Waiter> alive;
    for (const Waiter &waiter : waiting) {
        if (!waiter.holder)
            continue;
        alive.append(waiter);
        if (held) {
            QObject *holder = waiter.holder.data();
            m_folders[folder].holders.append(holder);
            connect(holder, &QObject::destroyed, this,
                    [this, folder, holder] { dropHolder(folder, holder); });
        }
    }
    if (held && alive.isEmpty())
        return sendUnlock(folder);
    for (const Waiter &waiter : alive)
        if (waiter.holder)
            waiter.granted(outcome);
}

void WebDavFolderLocks::release(const QString &folder, QObject *holder, std::function<void()> then)
{
    auto found = m_folders.find(folder);
    if (found == m_folders.end() || !found->holders.contains(holder))
        return then();
    disconnect(holder, &QObject::destroyed, this, nullptr);
    found->holders.removeAll(holder);
    if (!found->holders.isEmpty() || found->phase != Phase::Held)
        return then();
    found->afterUnlock.append(std::move(then));
    sendUnlock(folder);
}

void WebDavFolderLocks::dropHolder(const QString &folder, QObject *holder)
{
    auto found = m_folders.find(folder);
    if (found == m_folders.end() || !found->holders.removeAll(holder))
        return;
    if (found->holders.isEmpty() && found->phase == Phase::Held)
        sendUnlock(folder);
}

QByteArray WebDavFolderLocks::tokenOf(const QString &folder) const
{
    const auto found = m_folders.constFind(folder);
    return found != m_folders.constEnd() && found->phase == Phase::Held ? found->token
                                                                        : QByteArray();
}

// A failed UNLOCK is no error of any write: the lock runs out on the server.
void WebDavFolderLocks::sendUnlock(const QString &folder)
{
    Folder &state = m_folders[folder];
    state.phase = Phase::Unlocking;
    WebDavSession::Request request;
    request.verb = "UNLOCK";
    request.url = m_session->urlFor(folder, true);
    request.headers = {{"Lock-Token", "<" + std::exchange(state.token, {}) + ">"}};
    QNetworkReply *reply = m_session->send(request);
    connect(reply, &QNetworkReply::finished, this, [this, folder, reply] {
        reply->deleteLater();
        onUnlockAnswered(folder);
    });
}

void WebDavFolderLocks::onUnlockAnswered(const QString &folder)
{
    Folder &state = m_folders[folder];
    state.phase = Phase::Free;
    const QList<std::function<void()>> then = std::exchange(state.afterUnlock, {});
    if (!state.waiting.isEmpty()) {
        state.busyRetriesLeft = busyRetries;
        sendLock(folder);
    } else {
        m_folders.remove(folder);
    }
    for (const std::function<void()> &next : then)
        next();
}

// RFC 4918 §9.10.2: a LOCK without a body, naming the lock in If, restarts its timeout.
void WebDavFolderLocks::refreshHeldLocks()
{
    bool anyHeld = false;
    for (auto it = m_folders.cbegin(); it != m_folders.cend(); ++it) {
        if (it->phase != Phase::Held)
            continue;
        anyHeld = true;
        WebDavSession::Request request;
        request.verb = "LOCK";
        request.url = m_session->urlFor(it.key(), true);
        request.headers = {{"Timeout", timeoutHeader()}, {"If", "(<" + it->token + ">)"}};
        QNetworkReply *reply = m_session->send(request);
        connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    }
    if (!anyHeld)
        m_refreshTimer.stop();
}

} // namespace steadysync
