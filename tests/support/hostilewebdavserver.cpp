#include "hostilewebdavserver.h"

#include <QPointer>
#include <QSslServer>
#include <QTcpSocket>
#include <QTimer>

namespace steadysync::test {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 207:
        return "Multi-Status";
    case 301:
        return "Moved Permanently";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 412:
        return "Precondition Failed";
    case 423:
        return "Locked";
    case 429:
        return "Too Many Requests";
    case 503:
        return "Service Unavailable";
    case 507:
        return "Insufficient Storage";
    default:
        return "Whatever";
    }
}

} // namespace

HostileWebDavServer::HostileWebDavServer(QObject *parent) : QObject(parent) {}

HostileWebDavServer::~HostileWebDavServer() = default;

bool HostileWebDavServer::start()
{
    m_server = std::make_unique<QTcpServer>();
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this,
            &HostileWebDavServer::onNewConnection);
    return m_server->listen(QHostAddress::LocalHost, 0);
}

bool HostileWebDavServer::startTls(const QSslCertificate &certificate, const QSslKey &key)
{
    auto server = std::make_unique<QSslServer>();
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(certificate);
    configuration.setPrivateKey(key);
    server->setSslConfiguration(configuration);
    m_server = std::move(server);
    m_tls = true;
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this,
            &HostileWebDavServer::onNewConnection);
    return m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 HostileWebDavServer::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QUrl HostileWebDavServer::collectionUrl() const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2/dav/")
                    .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
                    .arg(port()));
}

QByteArray HostileWebDavServer::response(int status, const QByteArray &body,
                                         const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QByteArray bytes =
        "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    bool hasLength = false;
    for (const auto &[name, value] : headers) {
        bytes += name + ": " + value + "\r\n";
        hasLength |= name.compare("Content-Length", Qt::CaseInsensitive) == 0;
    }
    if (!hasLength)
        bytes += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    bytes += "Connection: close\r\n\r\n" + body;
    return bytes;
}

QByteArray HostileWebDavServer::multistatus(const QByteArray &xml)
{
    return response(207, xml, {{"Content-Type", "application/xml; charset=utf-8"}});
}

void HostileWebDavServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            m_continued.remove(socket);
            m_discarding.remove(socket);
            socket->deleteLater();
        });
    }
}

void HostileWebDavServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    if (m_discarding.contains(socket))
        return buffer.clear();
    for (;;) {
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        Request request;
        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
        request.method = requestLine.value(0);
        request.target = requestLine.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            if (colon > 0)
                request.headers.insert(lines.at(i).left(colon).trimmed().toLower(),
                                       lines.at(i).mid(colon + 1).trimmed());
        }
        const qsizetype length = request.header("Content-Length").toLongLong();
        std::optional<Reply> early;
        if (request.header("Expect").toLower() == "100-continue" && !m_continued.contains(socket)) {
            if (m_earlyHandler)
                early = m_earlyHandler(request);
            if (!early) {
                m_continued.insert(socket);
                socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            }
        }
        if (early) {
            buffer.clear();
            if (early->afterContinue) {
                m_discarding.insert(socket);
                socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            }
        } else {
            if (buffer.size() < headerEnd + 4 + length)
                return;
            m_continued.remove(socket);
            request.body = buffer.mid(headerEnd + 4, length);
            buffer.remove(0, headerEnd + 4 + length);
        }
        m_requests.append(request);
        m_maxInFlight = std::max(m_maxInFlight, ++m_inFlight);
        const Reply reply = early       ? *early
                            : m_handler ? m_handler(request)
                                        : Reply{response(404), true, false, 0, false};
        if (reply.neverAnswer)
            return;
        if (reply.delayMs > 0) {
            const QPointer<QTcpSocket> guard(socket);
            QTimer::singleShot(reply.delayMs, this, [this, guard, reply] {
                if (guard)
                    answer(guard, reply);
                else
                    --m_inFlight;
            });
            return;
        }
        answer(socket, reply);
        if (reply.close)
            return;
    }
}

void HostileWebDavServer::answer(QTcpSocket *socket, const Reply &reply)
{
    --m_inFlight;
    socket->write(reply.bytes);
    if (reply.close)
        socket->disconnectFromHost();
}

} // namespace steadysync::test
