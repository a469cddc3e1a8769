#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class QTcpSocket;

namespace steadysync::test {

// A scripted HTTP/1.1 server on 127.0.0.1 that answers every request with whatever the test
// crafts: malformed XML, truncated bodies, dropped connections, silence. It records the
// requests it got so tests can assert what the client sent.
class HostileWebDavServer : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        QByteArray method;
        QByteArray target;                     // as on the request line, still percent-encoded
        QHash<QByteArray, QByteArray> headers; // names in lower case
        QByteArray body;
        QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    };

    struct Reply
    {
        QByteArray bytes;         // written verbatim (status line, headers, body)
        bool close = true;        // close the connection after writing
        bool neverAnswer = false; // keep the connection open and say nothing
        int delayMs = 0;          // answer this much later
        // An early reply (see EarlyHandler) sent after "100 Continue", while the client sends
        // the body, which is never read: closing then resets the connection under the client.
        bool afterContinue = false;
    };
    using Handler = std::function<Reply(const Request &)>;
    // For a request with "Expect: 100-continue", called once its head arrived (body empty): a
    // reply answers before the body (which is then never read); nullopt, the default, sends
    // "100 Continue" and the request goes to the handler once its body is in.
    using EarlyHandler = std::function<std::optional<Reply>(const Request &)>;

    explicit HostileWebDavServer(QObject *parent = nullptr);
    ~HostileWebDavServer() override;

    bool start();
    // Speaks HTTPS with this certificate instead.
    bool startTls(const QSslCertificate &certificate, const QSslKey &key);
    quint16 port() const;
    // http(s)://127.0.0.1:PORT/dav/
    QUrl collectionUrl() const;
    void setHandler(Handler handler) { m_handler = std::move(handler); }
    void setEarlyHandler(EarlyHandler handler) { m_earlyHandler = std::move(handler); }

    const QList<Request> &requests() const { return m_requests; }
    int requestCount() const { return int(m_requests.size()); }
    int maxConcurrentRequests() const { return m_maxInFlight; }

    // A complete response with Content-Length (unless headers already carry one).
    static QByteArray response(int status, const QByteArray &body = {},
                               const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    // A 207 Multi-Status with an XML body.
    static QByteArray multistatus(const QByteArray &xml);
    static Reply reply(QByteArray bytes) { return Reply{std::move(bytes), true, false, 0, false}; }

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void answer(QTcpSocket *socket, const Reply &reply);

    std::unique_ptr<QTcpServer> m_server;
    bool m_tls = false;
    Handler m_handler;
    EarlyHandler m_earlyHandler;
    QSet<QTcpSocket *> m_continued;  // sent "100 Continue" for the request being read
    QSet<QTcpSocket *> m_discarding; // answered early: the rest of the input is ignored
    QList<Request> m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    int m_inFlight = 0;
    int m_maxInFlight = 0;
};

} // namespace steadysync::test
