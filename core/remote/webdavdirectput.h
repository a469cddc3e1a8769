#pragma once

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QObject>
#include <QSslConfiguration>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <memory>
#include <utility>

class QTcpSocket;

namespace steadysync {

class BackgroundHasher;

// One HTTP/1.1 PUT of a file on a connection of its own, fed from the file in large blocks
// on the calling thread. Qt Network reads an upload device in 16 KiB pieces, each a round
// trip between the caller's thread and its network thread: for files of hundreds of MiB those
// round trips cost more than the transfer itself (bench/README.md, upload_large).
//
// The request says "Expect: 100-continue", so an answer that refuses the write (401, 412,
// 507) comes before the body is sent, and "Connection: close": the answer ends the exchange,
// its body is not read. What the answer means is for the caller (WebDavBackend) to decide.
class WebDavDirectPut final : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        QUrl url;
        // Besides Host, Content-Length, Expect, Connection and Authorization, which are added.
        QList<std::pair<QByteArray, QByteArray>> headers;
        QString filePath;
        qint64 size = 0;              // bytes sent from `offset` on
        qint64 offset = 0;            // where in the file the body starts (a chunk)
        QByteArray authorization;     // the Authorization header's value; empty: none
        QSslConfiguration tls;        // for https
        int timeoutMs = 60'000;       // without traffic for this long, the PUT fails
        int continueTimeoutMs = 1000; // the body goes anyway when no 100 Continue came by then
        bool hashBody = false; // take the SHA-256 of what is read from the file (on another core)
    };

    enum class Failure {
        None,
        Offline,        // the connection was refused, the host not found or unreachable
        Network,        // the connection broke before a complete answer
        TimedOut,       // no traffic for timeoutMs
        TlsCertificate, // the server's certificate is not trusted (failureDetail says why)
        TlsHandshake,
        FileRead, // the local file could not be read to the end
        Protocol, // the answer is not HTTP/1.x
    };

    struct Answer
    {
        int status = 0;
        QByteArray reason;
        QList<std::pair<QByteArray, QByteArray>> headers; // names in lower case
        QByteArray header(const QByteArray &lowerCaseName) const;
    };

    explicit WebDavDirectPut(Request request, QObject *parent = nullptr);
    ~WebDavDirectPut() override;

    void start();
    // Closes the connection; finished() is not emitted.
    void abort();

    Failure failure() const { return m_failure; }
    QString failureDetail() const { return m_failureDetail; }
    const Answer &answer() const { return m_answer; }
    // With hashBody: lowercase hex of the file's bytes once all were read; else empty.
    QByteArray bodySha256() const { return m_bodySha256; }

Q_SIGNALS:
    void bytesSent(qint64 bytes); // of the body
    void finished();

private:
    void onConnected();
    void onReadyRead();
    void onBytesWritten();
    void reportProgress();
    void onSocketError();
    // The connection is closing or closed: a complete answer counts, else a Network failure.
    void onConnectionClosed();
    void sendBody();
    void queueMoreBody();
    // Parses what arrived; true once a final answer is complete.
    bool parseAnswer();
    void fail(Failure failure, const QString &detail);
    void finish();
    QByteArray requestHead() const;

    Request m_request;
    std::unique_ptr<BackgroundHasher> m_hasher; // with hashBody
    QByteArray m_bodySha256;
    std::unique_ptr<QTcpSocket> m_socket;
    QFile m_file;
    QByteArray m_block;    // reused for every read of the file
    QByteArray m_incoming; // the answer's head as it arrives
    QTimer m_idleTimer;
    QTimer m_continueTimer;
    Answer m_answer;
    Failure m_failure = Failure::None;
    QString m_failureDetail;
    qint64 m_bodyQueued = 0;   // handed to the socket
    qint64 m_bodyReported = 0; // in bytesSent()
    bool m_connected = false;  // the request's head could be sent
    bool m_sendingBody = false;
    bool m_burstScheduled = false;
    bool m_done = false;
};

} // namespace steadysync
