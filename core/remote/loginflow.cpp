#include "remote/loginflow.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace steadysync {
namespace {

Error flowError(ErrorKind kind, const QString &message, int httpStatus = 0)
{
    return Error{kind, message, -1, httpStatus};
}

// The JSON object of a reply, or why it is not one.
Result<QJsonObject> jsonObjectOf(const QByteArray &body, const QString &what)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return flowError(ErrorKind::Corrupt,
                         LoginFlow::tr("the server's answer to %1 is not a JSON object").arg(what));
    return document.object();
}

int statusOf(QNetworkReply *reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

} // namespace

QUrl AppPassword::davRoot() const
{
    QUrl root = server;
    QString path = root.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    root.setPath(path + QStringLiteral("/remote.php/dav/files/") + loginName + QLatin1Char('/'));
    return root;
}

LoginFlow::LoginFlow(QObject *parent) : LoginFlow(Timing{}, parent) {}

LoginFlow::LoginFlow(Timing timing, QObject *parent)
    : QObject(parent), m_timing(timing), m_network(new QNetworkAccessManager(this)),
      m_result(flowError(ErrorKind::Cancelled, tr("the login has not finished")))
{
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &LoginFlow::poll);
}

LoginFlow::~LoginFlow()
{
    if (m_inFlight)
        m_inFlight->abort();
}

QUrl LoginFlow::serverBaseOf(const QUrl &url)
{
    QUrl base = url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo);
    QString path = base.path();
    const qsizetype dav = path.indexOf(QStringLiteral("/remote.php/"));
    if (dav >= 0)
        path.truncate(dav);
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    base.setPath(path);
    return base;
}

QNetworkReply *LoginFlow::post(const QUrl &url, const QByteArray &body)
{
    QNetworkRequest request(url);
    // The server names the app password after this (its "Devices & sessions" list).
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      QByteArray("Steadysync/" STEADYSYNC_VERSION " (Desktop Client)"));
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArray("application/x-www-form-urlencoded"));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    m_inFlight = m_network->post(request, body);
    return m_inFlight;
}

void LoginFlow::start(const QUrl &url)
{
    const QUrl base = serverBaseOf(url);
    if (!base.isValid() || base.host().isEmpty() ||
        (base.scheme() != QLatin1String("http") && base.scheme() != QLatin1String("https")))
        return finish(flowError(
            ErrorKind::Permanent,
            tr("the login needs an http(s):// server address, got %1").arg(url.toString())));
    m_startedMs = QDateTime::currentMSecsSinceEpoch();
    QUrl flow = base;
    flow.setPath(base.path() + QStringLiteral("/index.php/login/v2"));
    QNetworkReply *reply = post(flow, {});
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onStarted(reply); });
}

void LoginFlow::onStarted(QNetworkReply *reply)
{
    reply->deleteLater();
    if (m_done)
        return;
    const int status = statusOf(reply);
    if (reply->error() != QNetworkReply::NoError && status == 0)
        return finish(flowError(ErrorKind::Offline,
                                tr("cannot reach the server: %1").arg(reply->errorString())));
    if (status != 200)
        return finish(flowError(ErrorKind::Permanent,
                                tr("the server offers no browser login (Nextcloud's Login Flow "
                                   "v2): HTTP %1")
                                    .arg(status),
                                status));
    const Result<QJsonObject> answer = jsonObjectOf(reply->readAll(), tr("the login start"));
    if (!answer)
        return finish(answer.error());
    const QJsonObject pollInfo = answer->value(QStringLiteral("poll")).toObject();
    const QUrl login(answer->value(QStringLiteral("login")).toString(), QUrl::StrictMode);
    m_pollEndpoint = QUrl(pollInfo.value(QStringLiteral("endpoint")).toString(), QUrl::StrictMode);
    m_token = pollInfo.value(QStringLiteral("token")).toString().toUtf8();
    if (!login.isValid() || login.isRelative() || !m_pollEndpoint.isValid() ||
        m_pollEndpoint.isRelative() || m_token.isEmpty())
        return finish(flowError(ErrorKind::Corrupt,
                                tr("the server's login start lacks the login address or the "
                                   "poll token")));
    Q_EMIT browserUrlReady(login);
    m_pollTimer.start(m_timing.pollIntervalMs);
}

void LoginFlow::poll()
{
    if (m_done)
        return;
    QNetworkReply *reply = post(m_pollEndpoint, "token=" + QUrl::toPercentEncoding(m_token));
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onPolled(reply); });
}

void LoginFlow::onPolled(QNetworkReply *reply)
{
    reply->deleteLater();
    if (m_done)
        return;
    const int status = statusOf(reply);
    const bool expired = QDateTime::currentMSecsSinceEpoch() - m_startedMs > m_timing.giveUpAfterMs;
    // 404: not granted yet. A dropped connection or a 5xx is worth another try too.
    if (status == 404 || status >= 500 ||
        (status == 0 && reply->error() != QNetworkReply::NoError)) {
        if (expired)
            return finish(flowError(ErrorKind::Permanent,
                                    tr("the login was not completed in the browser in time")));
        return m_pollTimer.start(m_timing.pollIntervalMs);
    }
    if (status != 200)
        return finish(flowError(ErrorKind::Permanent,
                                tr("the server refused the login: HTTP %1").arg(status), status));
    const Result<QJsonObject> answer = jsonObjectOf(reply->readAll(), tr("the login poll"));
    if (!answer)
        return finish(answer.error());
    AppPassword granted;
    granted.server = QUrl(answer->value(QStringLiteral("server")).toString(), QUrl::StrictMode);
    granted.loginName = answer->value(QStringLiteral("loginName")).toString();
    granted.password = answer->value(QStringLiteral("appPassword")).toString();
    if (!granted.server.isValid() || granted.server.host().isEmpty() ||
        granted.loginName.isEmpty() || granted.loginName.contains(QLatin1Char('/')) ||
        granted.password.isEmpty())
        return finish(flowError(ErrorKind::Corrupt,
                                tr("the server's login answer lacks the server, the login name "
                                   "or the app password")));
    finish(granted);
}

void LoginFlow::cancel()
{
    finish(flowError(ErrorKind::Cancelled, tr("the login was cancelled")));
    if (m_inFlight)
        m_inFlight->abort();
}

void LoginFlow::finish(const Result<AppPassword> &result)
{
    if (std::exchange(m_done, true))
        return;
    m_pollTimer.stop();
    m_result = result;
    Q_EMIT finished();
}

} // namespace steadysync
