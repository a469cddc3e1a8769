#include "remote/webdavdirectput.h"

#include "fs/backgroundhasher.h"

#include <QNetworkProxy>
#include <QSslSocket>

#include <algorithm>

namespace steadysync {

namespace {

// One read of the file, and how much of it may wait in the socket's buffer: large enough
// that the kernel always has data, small enough to stay a few MiB per upload.
constexpr qint64 blockBytes = 1024 * 1024;
constexpr qint64 socketBufferBytes = 2 * blockBytes;
constexpr int blocksPerBurst = 4;
// An answer's head larger than this is not an HTTP server speaking.
constexpr qsizetype maxHeadBytes = 64 * 1024;

bool isOfflineError(QAbstractSocket::SocketError error, const QString &text)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
    case QAbstractSocket::HostNotFoundError:
        return true;
    case QAbstractSocket::NetworkError:
        return text.contains(QLatin1String("nreachable"));
    default:
        return false;
    }
}

} // namespace

QByteArray WebDavDirectPut::Answer::header(const QByteArray &lowerCaseName) const
{
    for (const auto &[name, value] : headers)
        if (name == lowerCaseName)
            return value;
    return {};
}

WebDavDirectPut::WebDavDirectPut(Request request, QObject *parent)
    : QObject(parent), m_request(std::move(request)),
      m_hasher(m_request.hashBody ? std::make_unique<BackgroundHasher>() : nullptr),
      m_file(m_request.filePath)
{
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(std::max(1, m_request.timeoutMs));
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        fail(Failure::TimedOut,
             QStringLiteral("no traffic for %1 s").arg(m_request.timeoutMs / 1000.0));
    });
    m_continueTimer.setSingleShot(true);
    m_continueTimer.setInterval(std::max(0, m_request.continueTimeoutMs));
    connect(&m_continueTimer, &QTimer::timeout, this, &WebDavDirectPut::sendBody);
}

WebDavDirectPut::~WebDavDirectPut()
{
    abort();
}

void WebDavDirectPut::start()
{
    if (!m_file.open(QIODevice::ReadOnly) || !m_file.seek(m_request.offset))
        return fail(Failure::FileRead, m_file.errorString());
    const bool tls = m_request.url.scheme() == QLatin1String("https");
    if (tls) {
        auto socket = std::make_unique<QSslSocket>();
        socket->setSslConfiguration(m_request.tls);
        connect(socket.get(), &QSslSocket::encrypted, this, &WebDavDirectPut::onConnected);
        connect(socket.get(), &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            QStringList texts;
            for (const QSslError &error : errors)
                texts.append(error.errorString());
            fail(Failure::TlsCertificate, texts.join(QStringLiteral("; ")));
        });
        m_socket = std::move(socket);
    } else {
        m_socket = std::make_unique<QTcpSocket>();
        connect(m_socket.get(), &QTcpSocket::connected, this, &WebDavDirectPut::onConnected);
    }
    // The caller uses this class only where Qt Network would not use a proxy either.
    m_socket->setProxy(QNetworkProxy::NoProxy);
    connect(m_socket.get(), &QTcpSocket::readyRead, this, &WebDavDirectPut::onReadyRead);
    connect(m_socket.get(), &QTcpSocket::bytesWritten, this, &WebDavDirectPut::onBytesWritten);
    connect(m_socket.get(), &QTcpSocket::errorOccurred, this, &WebDavDirectPut::onSocketError);
    // A server that answers early and closes may leave the socket closing or closed without
    // an error signal (the read that saw the end reset it): that must end the PUT at once.
    connect(m_socket.get(), &QTcpSocket::stateChanged, this,
            [this](QAbstractSocket::SocketState state) {
                if (m_connected && (state == QAbstractSocket::ClosingState ||
                                    state == QAbstractSocket::UnconnectedState))
                    onConnectionClosed();
            });
    m_idleTimer.start();
    const quint16 port = quint16(m_request.url.port(tls ? 443 : 80));
    // Unbuffered: a block goes to the kernel straight away, without a copy into Qt's buffer
    // (what the kernel does not take yet is still buffered).
    const QIODevice::OpenMode mode = QIODevice::ReadWrite | QIODevice::Unbuffered;
    if (tls)
        static_cast<QSslSocket *>(m_socket.get())
            ->connectToHostEncrypted(m_request.url.host(), port, mode);
    else
        m_socket->connectToHost(m_request.url.host(), port, mode);
}

void WebDavDirectPut::abort()
{
    m_done = true;
    m_idleTimer.stop();
    m_continueTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

QByteArray WebDavDirectPut::requestHead() const
{
    const QUrl &url = m_request.url;
    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    QByteArray head = "PUT " + target + " HTTP/1.1\r\n";
    head += "Host: " + url.adjusted(QUrl::RemoveUserInfo).authority(QUrl::FullyEncoded).toLatin1() +
            "\r\n";
    for (const auto &[name, value] : m_request.headers)
        if (name.compare("Content-Length", Qt::CaseInsensitive) != 0)
            head += name + ": " + value + "\r\n";
    if (!m_request.authorization.isEmpty())
        head += "Authorization: " + m_request.authorization + "\r\n";
    head += "Content-Length: " + QByteArray::number(m_request.size) + "\r\n";
    if (m_request.size > 0)
        head += "Expect: 100-continue\r\n";
    head += "Connection: close\r\n\r\n";
    return head;
}

void WebDavDirectPut::onConnected()
{
    if (m_done)
        return;
    m_connected = true;
    m_idleTimer.start();
    m_socket->write(requestHead());
    if (m_request.size == 0)
        return sendBody();
    m_continueTimer.start();
}

void WebDavDirectPut::sendBody()
{
    if (m_done || m_sendingBody)
        return;
    m_continueTimer.stop();
    m_sendingBody = true;
    queueMoreBody();
}

void WebDavDirectPut::queueMoreBody()
{
    m_burstScheduled = false;
    // A burst at a time: the kernel may take block after block, and the other transfers and
    // answers on this thread get their turn in between.
    for (int blocks = 0; blocks < blocksPerBurst; ++blocks) {
        if (m_done || m_bodyQueued >= m_request.size ||
            m_socket->bytesToWrite() >= socketBufferBytes)
            break;
        // Writing to a socket that is closing or closed only makes Qt warn.
        if (m_socket->state() != QAbstractSocket::ConnectedState)
            return onConnectionClosed();
        const qint64 wanted = std::min(blockBytes, m_request.size - m_bodyQueued);
        // The hasher keeps its blocks until it is done with them; without it one is reused.
        QByteArray block = m_hasher ? m_hasher->reusableBlock(wanted) : std::move(m_block);
        block.resize(wanted);
        const qint64 got = m_file.read(block.data(), wanted);
        if (got != wanted)
            return fail(Failure::FileRead,
                        got < 0 ? m_file.errorString()
                                : QStringLiteral("the file became shorter while it was sent"));
        if (m_socket->write(block.constData(), got) != got)
            return onConnectionClosed();
        m_bodyQueued += got;
        m_idleTimer.start();
        if (!m_hasher) {
            m_block = std::move(block);
            continue;
        }
        m_hasher->add(std::move(block));
        if (m_bodyQueued == m_request.size)
            m_bodySha256 = m_hasher->result();
    }
    if (m_done)
        return;
    reportProgress();
    // Unbuffered: what the kernel took at once raises no bytesWritten(), so the next burst is
    // queued behind the events waiting now.
    if (m_bodyQueued < m_request.size && m_socket->bytesToWrite() < socketBufferBytes) {
        m_burstScheduled = true;
        QMetaObject::invokeMethod(this, &WebDavDirectPut::queueMoreBody, Qt::QueuedConnection);
    }
}

void WebDavDirectPut::reportProgress()
{
    const qint64 sent = std::max<qint64>(0, m_bodyQueued - m_socket->bytesToWrite());
    if (sent > m_bodyReported) {
        m_bodyReported = sent;
        Q_EMIT bytesSent(sent);
    }
}

void WebDavDirectPut::onBytesWritten()
{
    if (m_done)
        return;
    m_idleTimer.start();
    if (!m_sendingBody)
        return;
    reportProgress();
    if (!m_burstScheduled)
        queueMoreBody();
}

void WebDavDirectPut::onReadyRead()
{
    if (m_done)
        return;
    m_idleTimer.start();
    m_incoming += m_socket->readAll();
    if (parseAnswer())
        return finish();
    if (!m_done && m_socket->state() != QAbstractSocket::ConnectedState)
        onConnectionClosed();
}

void WebDavDirectPut::onConnectionClosed()
{
    if (m_done)
        return;
    if (m_socket->error() != QAbstractSocket::UnknownSocketError)
        return onSocketError(); // reads what came, then tells the error apart
    if (m_socket->isReadable())
        m_incoming += m_socket->readAll();
    if (parseAnswer())
        return finish();
    fail(Failure::Network, QStringLiteral("the server closed the connection"));
}

bool WebDavDirectPut::parseAnswer()
{
    while (!m_done) {
        const qsizetype end = m_incoming.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_incoming.size() > maxHeadBytes)
                fail(Failure::Protocol, QStringLiteral("the answer's header is too long"));
            return false;
        }
        const QList<QByteArray> lines = m_incoming.left(end).split('\n');
        m_incoming.remove(0, end + 4);
        const QByteArray statusLine = lines.first().trimmed();
        const QList<QByteArray> parts = statusLine.split(' ');
        bool numeric = false;
        const int status = parts.size() >= 2 ? parts.at(1).toInt(&numeric) : 0;
        if (!statusLine.startsWith("HTTP/1.") || !numeric || status < 100 || status > 999) {
            fail(Failure::Protocol, QStringLiteral("the server's answer is not HTTP/1.x"));
            return false;
        }
        if (status < 200) {
            if (status == 100)
                sendBody();
            continue; // 100 Continue or another interim answer: the final one follows
        }
        // Success for a body not all sent would record a file the server does not have.
        if (status < 300 && m_bodyQueued < m_request.size) {
            fail(Failure::Protocol,
                 QStringLiteral("the server accepted the upload before receiving it"));
            return false;
        }
        m_answer.status = status;
        m_answer.reason = statusLine.mid(parts.at(0).size() + parts.at(1).size() + 2).left(200);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                m_answer.headers.append(
                    {line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
        }
        return true;
    }
    return false;
}

void WebDavDirectPut::onSocketError()
{
    if (m_done)
        return;
    // A server that refuses the body may answer and close at once: that answer counts.
    m_incoming += m_socket->readAll();
    if (parseAnswer())
        return finish();
    if (m_done)
        return;
    const QAbstractSocket::SocketError error = m_socket->error();
    const QString text = m_socket->errorString();
    if (error == QAbstractSocket::SslHandshakeFailedError)
        return fail(Failure::TlsHandshake, text);
    if (isOfflineError(error, text))
        return fail(Failure::Offline, text);
    fail(Failure::Network, text);
}

void WebDavDirectPut::fail(Failure failure, const QString &detail)
{
    if (m_done)
        return;
    m_failure = failure;
    m_failureDetail = detail;
    finish();
}

void WebDavDirectPut::finish()
{
    abort();
    Q_EMIT finished();
}

} // namespace steadysync
