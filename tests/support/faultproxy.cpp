#include "faultproxy.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QQueue>
#include <QTcpSocket>

#include <sys/socket.h>

namespace steadysync::test {

namespace {

constexpr qint64 NoBody = -2;     // a response that carries no body (HEAD, 1xx, 204, 304)
constexpr qint64 UntilClose = -3; // a response body that ends when the server closes
constexpr qint64 HalfOfBody = -1; // a reset budget: half of the body, whatever its length
constexpr int SlowPumpMs = 10;    // how often a slowed answer is topped up

// Splits one direction of an HTTP/1.1 byte stream into heads, body bytes and message ends,
// following Content-Length and chunked framing.
class HttpFramer
{
public:
    enum class Kind { Request, Response };
    struct Piece
    {
        enum Type { Head, Body, End } type;
        QByteArray data;
        QByteArray method;         // requests
        int status = 0;            // responses
        qint64 contentLength = -1; // heads: -1 chunked or unknown, NoBody, UntilClose
    };

    explicit HttpFramer(Kind kind) : m_kind(kind) {}
    // The method of each request whose answer is still to come, oldest first (responses to
    // HEAD have no body).
    void expectResponseTo(const QByteArray &method) { m_methods.enqueue(method); }

    QList<Piece> feed(const QByteArray &bytes)
    {
        m_buffer += bytes;
        QList<Piece> pieces;
        while (!m_buffer.isEmpty()) {
            if (!step(pieces))
                break;
        }
        return pieces;
    }

private:
    enum class State { Head, Fixed, ChunkSize, ChunkData, ChunkDataEnd, Trailers, Close };

    bool step(QList<Piece> &pieces)
    {
        switch (m_state) {
        case State::Head: {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return false;
            pieces.append(parseHead(m_buffer.left(end + 4)));
            m_buffer.remove(0, end + 4);
            const qint64 length = pieces.last().contentLength;
            if (length == NoBody || length == 0) {
                if (!(m_kind == Kind::Response && pieces.last().status / 100 == 1))
                    pieces.append(Piece{Piece::End, {}, {}, 0, 0});
            } else if (length == UntilClose) {
                m_state = State::Close;
            } else if (length < 0) {
                m_state = State::ChunkSize;
            } else {
                m_remaining = length;
                m_state = State::Fixed;
            }
            return true;
        }
        case State::Fixed:
        case State::ChunkData: {
            const qint64 take = qMin<qint64>(m_remaining, m_buffer.size());
            pieces.append(Piece{Piece::Body, m_buffer.left(take), {}, 0, 0});
            m_buffer.remove(0, take);
            m_remaining -= take;
            if (m_remaining == 0) {
                if (m_state == State::Fixed) {
                    pieces.append(Piece{Piece::End, {}, {}, 0, 0});
                    m_state = State::Head;
                } else {
                    m_state = State::ChunkDataEnd;
                    m_remaining = 2;
                }
            }
            return true;
        }
        case State::ChunkDataEnd: {
            const qint64 take = qMin<qint64>(m_remaining, m_buffer.size());
            pieces.append(Piece{Piece::Body, m_buffer.left(take), {}, 0, 0});
            m_buffer.remove(0, take);
            m_remaining -= take;
            if (m_remaining == 0)
                m_state = State::ChunkSize;
            return true;
        }
        case State::ChunkSize: {
            const qsizetype end = m_buffer.indexOf("\r\n");
            if (end < 0)
                return false;
            const QByteArray line = m_buffer.left(end + 2);
            m_buffer.remove(0, end + 2);
            pieces.append(Piece{Piece::Body, line, {}, 0, 0});
            bool ok = false;
            const qint64 size = line.left(end).split(';').first().trimmed().toLongLong(&ok, 16);
            if (!ok || size < 0)
                m_state = State::Close; // unframeable: pass the rest through as it comes
            else if (size == 0)
                m_state = State::Trailers;
            else {
                m_remaining = size;
                m_state = State::ChunkData;
            }
            return true;
        }
        case State::Trailers: {
            const qsizetype end = m_buffer.indexOf("\r\n");
            if (end < 0)
                return false;
            pieces.append(Piece{Piece::Body, m_buffer.left(end + 2), {}, 0, 0});
            m_buffer.remove(0, end + 2);
            if (end == 0) {
                pieces.append(Piece{Piece::End, {}, {}, 0, 0});
                m_state = State::Head;
            }
            return true;
        }
        case State::Close:
            pieces.append(Piece{Piece::Body, m_buffer, {}, 0, 0});
            m_buffer.clear();
            return true;
        }
        return false;
    }

    Piece parseHead(const QByteArray &head)
    {
        Piece piece{Piece::Head, head, {}, 0, -1};
        const QList<QByteArray> lines = head.split('\n');
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        qint64 length = -1;
        bool chunked = false;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon < 0)
                continue;
            const QByteArray name = lines[i].left(colon).trimmed().toLower();
            const QByteArray value = lines[i].mid(colon + 1).trimmed();
            if (name == "content-length")
                length = value.toLongLong();
            else if (name == "transfer-encoding" && value.toLower().contains("chunked"))
                chunked = true;
        }
        if (m_kind == Kind::Request) {
            piece.method = first.value(0);
            piece.contentLength = chunked ? -1 : (length < 0 ? 0 : length);
            return piece;
        }
        piece.status = first.value(1).toInt();
        const bool informational = piece.status / 100 == 1;
        const QByteArray method =
            informational || m_methods.isEmpty() ? QByteArray() : m_methods.dequeue();
        if (informational || piece.status == 204 || piece.status == 304 || method == "HEAD")
            piece.contentLength = NoBody;
        else if (chunked)
            piece.contentLength = -1;
        else if (length >= 0)
            piece.contentLength = length;
        else
            piece.contentLength = UntilClose;
        return piece;
    }

    Kind m_kind;
    State m_state = State::Head;
    QByteArray m_buffer;
    qint64 m_remaining = 0;
    QQueue<QByteArray> m_methods;
};

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

// Closes with a TCP reset (RST) instead of an orderly FIN, as a crashed peer or a broken
// middlebox does.
void resetSocket(QTcpSocket *socket)
{
    if (socket->socketDescriptor() >= 0) {
        const linger hard{1, 0};
        ::setsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    }
    socket->abort();
}

bool tracing()
{
    static const bool enabled = qEnvironmentVariableIsSet("STEADYSYNC_FAULTPROXY_TRACE");
    return enabled;
}

qint64 traceMs()
{
    static QElapsedTimer clock;
    if (!clock.isValid())
        clock.start();
    return clock.elapsed();
}

} // namespace

// One client connection and its own connection to the server.
class FaultProxyConnection : public QObject
{
public:
    FaultProxyConnection(FaultProxy *proxy, QTcpSocket *client, const QUrl &upstream)
        : QObject(proxy), m_proxy(proxy), m_client(client), m_upstream(new QTcpSocket(this))
    {
        client->setParent(this);
        connect(m_client, &QTcpSocket::readyRead, this, &FaultProxyConnection::onClientData);
        connect(m_client, &QTcpSocket::disconnected, this, &FaultProxyConnection::onClientGone);
        connect(m_client, &QTcpSocket::bytesWritten, this, &FaultProxyConnection::pump);
        connect(m_upstream, &QTcpSocket::connected, this, &FaultProxyConnection::pump);
        connect(m_upstream, &QTcpSocket::readyRead, this, &FaultProxyConnection::onUpstreamData);
        connect(m_upstream, &QTcpSocket::disconnected, this, &FaultProxyConnection::onUpstreamGone);
        connect(m_upstream, &QTcpSocket::errorOccurred, this,
                [this](QAbstractSocket::SocketError error) {
                    if (error != QAbstractSocket::RemoteHostClosedError)
                        finish(false);
                });
        m_slowPump.setInterval(SlowPumpMs);
        connect(&m_slowPump, &QTimer::timeout, this, &FaultProxyConnection::pump);
        m_upstream->connectToHost(upstream.host(), quint16(upstream.port(80)));
    }

    bool hasPending() const { return !m_toClient.isEmpty() || !m_toUpstream.isEmpty(); }

    void pump()
    {
        if (m_finished)
            return;
        if (m_upstreamHolds == 0)
            moveBytes(m_toUpstream, m_upstream, -1);
        moveToClient();
        if (m_resetWhenFlushed && m_toClient.isEmpty()) {
            // A reset makes the peer drop what it has not read yet: end the stream with a FIN
            // right after the partial body, so that the client surely sees exactly K bytes and
            // then the end; the reset follows once even a loaded client has read it.
            m_client->flush();
            if (m_client->bytesToWrite() == 0 && !m_resetScheduled) {
                m_resetScheduled = true;
                if (m_client->socketDescriptor() >= 0)
                    ::shutdown(int(m_client->socketDescriptor()), SHUT_WR);
                QTimer::singleShot(2000, this, &FaultProxyConnection::reset);
            }
        } else if (m_closeWhenFlushed && m_toClient.isEmpty()) {
            m_client->disconnectFromHost();
            finish(false);
        }
    }

    void reset()
    {
        if (m_finished)
            return;
        m_upstream->flush();
        resetSocket(m_client);
        m_upstream->abort();
        finish(false);
    }

    void finish(bool flushClient)
    {
        if (m_finished)
            return;
        if (tracing())
            qInfo("%lld faultproxy %p: closing; request body %lld of %lld forwarded", traceMs(),
                  static_cast<void *>(this), m_requestBodySent, m_requestBodyExpected);
        if (flushClient && !m_toClient.isEmpty()) {
            m_closeWhenFlushed = true;
            pump();
            return;
        }
        m_finished = true;
        m_upstream->abort();
        if (m_client->state() != QAbstractSocket::UnconnectedState)
            m_client->disconnectFromHost(); // sends what is still buffered first
        // Deleting a closing socket would drop that data: wait until it is closed.
        if (m_client->state() == QAbstractSocket::UnconnectedState)
            deleteLater();
        else
            connect(m_client, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    }

private:
    // Moves what the proxy's throttle and limit (-1: none) allow; the number of bytes moved.
    qint64 moveBytes(QByteArray &buffer, QTcpSocket *socket, qint64 limit)
    {
        if (buffer.isEmpty() || socket->state() != QAbstractSocket::ConnectedState)
            return 0;
        qint64 amount = buffer.size();
        const qint64 allowed = m_proxy->allowance();
        if (allowed >= 0)
            amount = qMin(amount, allowed);
        if (limit >= 0)
            amount = qMin(amount, limit);
        if (amount <= 0)
            return 0;
        socket->write(buffer.constData(), amount);
        buffer.remove(0, amount);
        m_proxy->spend(amount);
        m_proxy->noteForwarded(amount);
        return amount;
    }

    void moveToClient()
    {
        const qint64 moved = moveBytes(m_toClient, m_client, slowAllowance());
        m_clientBytesWritten += moved;
        if (m_slowRate > 0) {
            m_slowTokens -= double(moved);
            if (m_slowUntil >= 0 && m_clientBytesWritten >= m_slowUntil)
                stopSlowing();
        }
    }

    // Holds what goes to the server (this request and any pipelined after it) for ms.
    void holdUpstream(int ms)
    {
        ++m_upstreamHolds;
        QTimer::singleShot(ms, this, [this] {
            --m_upstreamHolds;
            pump();
        });
    }

    // From this answer's head until its last byte reached the client, the connection's answers
    // trickle at bytesPerSecond (a small burst allowed, as the proxy's throttle does).
    void startSlowing(qint64 bytesPerSecond)
    {
        m_slowRate = bytesPerSecond;
        m_slowTokens = 0;
        m_slowUntil = -1;
        m_slowClock.start();
        m_slowPump.start();
    }
    void stopSlowing()
    {
        m_slowRate = 0;
        m_slowPump.stop();
    }
    qint64 slowAllowance()
    {
        if (m_slowRate <= 0)
            return -1;
        const double burst = qMax<double>(1024, m_slowRate / 20.0);
        m_slowTokens = qMin(burst, m_slowTokens + m_slowClock.restart() * m_slowRate / 1000.0);
        return qint64(m_slowTokens);
    }

    void onClientData()
    {
        if (m_finished)
            return;
        const QList<HttpFramer::Piece> pieces = m_requests.feed(m_client->readAll());
        for (const HttpFramer::Piece &piece : pieces) {
            if (m_finished)
                return;
            if (m_closeWhenFlushed || m_resetWhenFlushed)
                break;
            switch (piece.type) {
            case HttpFramer::Piece::Head:
                onRequestHead(piece);
                break;
            case HttpFramer::Piece::Body:
                onRequestBody(piece.data);
                break;
            case HttpFramer::Piece::End:
                if (m_request.action == FaultProxy::Action::Answer)
                    answer(m_request);
                break;
            }
        }
        pump();
    }

    void onRequestHead(const HttpFramer::Piece &piece)
    {
        m_proxy->noteRequestHead(piece.data);
        m_request = m_proxy->decide(piece.data.left(piece.data.indexOf(' ')), piece.contentLength);
        m_requestBodySent = 0;
        m_requestBodyExpected = piece.contentLength;
        if (tracing())
            qInfo("%lld faultproxy %p: %s (body %lld) -> action %d", traceMs(),
                  static_cast<void *>(this), piece.data.left(piece.data.indexOf('\r')).constData(),
                  piece.contentLength, int(m_request.action));
        switch (m_request.action) {
        case FaultProxy::Action::ResetAtHead:
            reset();
            return;
        case FaultProxy::Action::Answer:
        case FaultProxy::Action::Hang:
            return;
        case FaultProxy::Action::Stall:
            holdUpstream(m_request.stallMs);
            forwardHead(piece);
            return;
        case FaultProxy::Action::ResetRequestBody:
        case FaultProxy::Action::ResetResponseBody:
        case FaultProxy::Action::SlowAnswer:
        case FaultProxy::Action::Forward:
            forwardHead(piece);
            return;
        }
    }

    void forwardHead(const HttpFramer::Piece &piece)
    {
        m_toUpstream += m_proxy->rewriteHead(piece.data);
        m_responses.expectResponseTo(piece.method);
        AnswerPlan plan;
        if (m_request.action == FaultProxy::Action::ResetResponseBody)
            plan.resetAfter = m_request.bytes;
        if (m_request.action == FaultProxy::Action::SlowAnswer)
            plan.bytesPerSecond = m_request.answerBytesPerSecond;
        m_answerPlans.enqueue(plan);
    }

    void onRequestBody(const QByteArray &data)
    {
        switch (m_request.action) {
        case FaultProxy::Action::Answer:
        case FaultProxy::Action::Hang:
        case FaultProxy::Action::ResetAtHead:
            return;
        case FaultProxy::Action::ResetRequestBody: {
            const qint64 room = m_request.bytes - m_requestBodySent;
            if (data.size() >= room) {
                m_toUpstream += data.left(room);
                pump();
                reset();
                return;
            }
            break;
        }
        case FaultProxy::Action::ResetResponseBody:
        case FaultProxy::Action::Stall:
        case FaultProxy::Action::SlowAnswer:
        case FaultProxy::Action::Forward:
            break;
        }
        m_requestBodySent += data.size();
        m_toUpstream += data;
    }

    void answer(const FaultProxy::Decision &decision)
    {
        const QByteArray body =
            QByteArray::number(decision.status) + ' ' + reasonPhrase(decision.status) + '\n';
        QByteArray response =
            "HTTP/1.1 " + QByteArray::number(decision.status) + ' ' +
            reasonPhrase(decision.status) +
            "\r\nContent-Type: text/plain\r\nContent-Length: " + QByteArray::number(body.size()) +
            "\r\nConnection: close\r\n";
        if (!decision.extraHeaders.isEmpty())
            response += decision.extraHeaders.trimmed() + "\r\n";
        m_toClient += response + "\r\n" + body;
        m_closeWhenFlushed = true;
    }

    void onUpstreamData()
    {
        if (m_finished || m_upstream->bytesAvailable() <= 0)
            return;
        const QList<HttpFramer::Piece> pieces = m_responses.feed(m_upstream->readAll());
        for (const HttpFramer::Piece &piece : pieces) {
            if (m_finished)
                return;
            if (m_resetWhenFlushed)
                break;
            switch (piece.type) {
            case HttpFramer::Piece::Head: {
                if (piece.status / 100 == 1) {
                    m_toClient += piece.data;
                    break;
                }
                m_proxy->noteAnswer(piece.status);
                const AnswerPlan plan =
                    m_answerPlans.isEmpty() ? AnswerPlan() : m_answerPlans.dequeue();
                m_responseBudget = plan.resetAfter;
                if (plan.bytesPerSecond > 0)
                    startSlowing(plan.bytesPerSecond);
                if (m_responseBudget == HalfOfBody)
                    m_responseBudget = piece.contentLength > 0 ? piece.contentLength / 2 : 0;
                if (m_responseBudget != NoBody &&
                    (piece.contentLength == NoBody || piece.contentLength == 0 ||
                     m_responseBudget == 0)) {
                    pump();
                    reset();
                    return;
                }
                m_toClient += piece.data;
                if (tracing())
                    qInfo("%lld faultproxy %p: answer %d (body %lld)", traceMs(),
                          static_cast<void *>(this), piece.status, piece.contentLength);
                break;
            }
            case HttpFramer::Piece::Body:
                if (m_responseBudget != NoBody) {
                    if (piece.data.size() >= m_responseBudget) {
                        m_toClient += piece.data.left(m_responseBudget);
                        m_resetWhenFlushed = true;
                        break;
                    }
                    m_responseBudget -= piece.data.size();
                }
                m_toClient += piece.data;
                break;
            case HttpFramer::Piece::End:
                m_responseBudget = NoBody;
                if (m_slowRate > 0 && m_slowUntil < 0)
                    m_slowUntil = m_clientBytesWritten + m_toClient.size();
                break;
            }
        }
        pump();
    }

    void onClientGone() { finish(false); }
    void onUpstreamGone()
    {
        onUpstreamData();
        finish(true);
    }

    FaultProxy *m_proxy;
    QTcpSocket *m_client;
    QTcpSocket *m_upstream;
    HttpFramer m_requests{HttpFramer::Kind::Request};
    HttpFramer m_responses{HttpFramer::Kind::Response};
    FaultProxy::Decision m_request;
    qint64 m_requestBodySent = 0;
    qint64 m_requestBodyExpected = 0;
    // Per forwarded request, what happens to its answer.
    struct AnswerPlan
    {
        qint64 resetAfter = NoBody; // body bytes let through before a reset
        qint64 bytesPerSecond = 0;  // slowed to this rate (0: not slowed)
    };
    QQueue<AnswerPlan> m_answerPlans;
    qint64 m_responseBudget = NoBody;
    int m_upstreamHolds = 0; // stalled requests being held
    qint64 m_clientBytesWritten = 0;
    qint64 m_slowRate = 0;
    double m_slowTokens = 0;
    qint64 m_slowUntil = -1; // m_clientBytesWritten at the slowed answer's end (-1: not known)
    QElapsedTimer m_slowClock;
    QTimer m_slowPump;
    QByteArray m_toUpstream;
    QByteArray m_toClient;
    bool m_closeWhenFlushed = false;
    bool m_resetWhenFlushed = false;
    bool m_resetScheduled = false;
    bool m_finished = false;
};

FaultProxy::FaultProxy(const QUrl &upstream, QObject *parent)
    : QObject(parent), m_upstream(upstream)
{
    connect(&m_server, &QTcpServer::newConnection, this, &FaultProxy::onNewConnection);
    m_pump.setInterval(10);
    connect(&m_pump, &QTimer::timeout, this, &FaultProxy::pumpAll);
}

FaultProxy::~FaultProxy()
{
    m_server.close();
    for (const QPointer<FaultProxyConnection> &connection : std::as_const(m_open)) {
        if (connection)
            delete connection.data();
    }
}

bool FaultProxy::listen()
{
    if (!m_server.listen(QHostAddress::LocalHost, m_port))
        return false;
    m_port = m_server.serverPort();
    return true;
}

QUrl FaultProxy::url() const
{
    QUrl url = m_upstream;
    url.setPort(m_port);
    return url;
}

bool FaultProxy::setServerDown(bool down)
{
    m_down = down;
    if (!down)
        return m_server.isListening() || listen();
    m_server.close();
    for (const QPointer<FaultProxyConnection> &connection : std::as_const(m_open)) {
        if (connection)
            connection->reset();
    }
    m_open.clear();
    return true;
}

void FaultProxy::failRequests(int count, int status, const QByteArray &extraHeaders,
                              const QByteArray &onlyMethod)
{
    m_failCount = count;
    m_failStatus = status;
    m_failHeaders = extraHeaders;
    m_failMethod = onlyMethod;
}

void FaultProxy::answer503(int count, int retryAfterSeconds)
{
    failRequests(count, 503, "Retry-After: " + QByteArray::number(retryAfterSeconds));
}

void FaultProxy::resetRequestBodies(int count, qint64 bytes)
{
    m_resetRequestCount = count;
    m_resetRequestBytes = bytes;
}

void FaultProxy::resetResponseBodies(int count, qint64 bytes, const QByteArray &onlyMethod)
{
    m_resetResponseMethod = onlyMethod;
    m_resetResponseCount = count;
    m_resetResponseBytes = bytes;
}

void FaultProxy::setHanging(bool hanging)
{
    m_hanging = hanging;
}

void FaultProxy::setThrottle(qint64 bytesPerSecond)
{
    m_throttle = bytesPerSecond;
    m_tokens = 0;
    m_tokenClock.start();
    if (bytesPerSecond > 0)
        m_pump.start();
    else {
        m_pump.stop();
        pumpAll();
    }
}

void FaultProxy::setRandomMix(const FaultMix &mix, quint32 seed)
{
    m_mix = mix;
    m_random.seed(seed);
}

void FaultProxy::setRandomResets(double probability, quint32 seed)
{
    FaultMix resetsOnly;
    resetsOnly.resets = probability;
    setRandomMix(resetsOnly, seed);
}

void FaultProxy::clearFaults()
{
    failRequests(0, 0);
    resetRequestBodies(0, 0);
    resetResponseBodies(0, 0);
    setHanging(false);
    setThrottle(0);
    m_depthInfinityAsOne = false;
    m_mix = FaultMix();
    setServerDown(false);
}

qint64 FaultProxy::msSinceLastRequest() const
{
    return m_lastRequest.isValid() ? m_lastRequest.elapsed() : -1;
}

FaultProxy::Decision FaultProxy::decide(const QByteArray &method, qint64 requestBodyLength)
{
    ++m_requests;
    m_lastRequest.start();
    Decision decision;
    if (m_failCount > 0 && (m_failMethod.isEmpty() || method == m_failMethod)) {
        --m_failCount;
        decision.action = Action::Answer;
        decision.status = m_failStatus;
        decision.extraHeaders = m_failHeaders;
    } else if (m_hanging) {
        decision.action = Action::Hang;
    } else if (m_resetRequestCount > 0 && requestBodyLength > m_resetRequestBytes) {
        --m_resetRequestCount;
        decision.action = Action::ResetRequestBody;
        decision.bytes = m_resetRequestBytes;
    } else if (m_resetResponseCount > 0 &&
               (m_resetResponseMethod.isEmpty() || method == m_resetResponseMethod)) {
        --m_resetResponseCount;
        decision.action = Action::ResetResponseBody;
        decision.bytes = m_resetResponseBytes;
    } else {
        decision = drawFromMix(requestBodyLength);
    }
    if (decision.action != Action::Forward)
        ++m_faults;
    return decision;
}

FaultProxy::Decision FaultProxy::drawFromMix(qint64 requestBodyLength)
{
    if (m_mix.resets + m_mix.unavailable + m_mix.stalls + m_mix.slowAnswers <= 0)
        return {};
    // One draw picks the fault, resets first: a resets-only mix consumes the generator exactly
    // as setRandomResets() always has, so that seeded scenarios keep their sequence.
    const double draw = std::uniform_real_distribution<double>(0, 1)(m_random);
    double bound = m_mix.resets;
    if (draw < bound) {
        ++m_randomFaults[int(RandomFault::Reset)];
        return drawReset(requestBodyLength);
    }
    Decision decision;
    if (draw < (bound += m_mix.unavailable)) {
        ++m_randomFaults[int(RandomFault::Unavailable)];
        decision.action = Action::Answer;
        decision.status = 503;
        decision.extraHeaders = "Retry-After: " + QByteArray::number(m_mix.retryAfterSeconds);
    } else if (draw < (bound += m_mix.stalls)) {
        ++m_randomFaults[int(RandomFault::Stall)];
        decision.action = Action::Stall;
        decision.stallMs =
            std::uniform_int_distribution<int>(m_mix.minStallMs, m_mix.maxStallMs)(m_random);
    } else if (draw < (bound += m_mix.slowAnswers)) {
        ++m_randomFaults[int(RandomFault::SlowAnswer)];
        decision.action = Action::SlowAnswer;
        decision.answerBytesPerSecond = m_mix.slowBytesPerSecond;
    }
    return decision;
}

FaultProxy::Decision FaultProxy::drawReset(qint64 requestBodyLength)
{
    Decision decision;
    switch (std::uniform_int_distribution<int>(0, 2)(m_random)) {
    case 0:
        decision.action = Action::ResetAtHead;
        break;
    case 1:
        decision.action = requestBodyLength > 1 ? Action::ResetRequestBody : Action::ResetAtHead;
        decision.bytes = requestBodyLength / 2;
        break;
    default:
        decision.action = Action::ResetResponseBody;
        decision.bytes = HalfOfBody;
        break;
    }
    return decision;
}

QByteArray FaultProxy::rewriteHead(const QByteArray &head) const
{
    const QByteArray ownAuthority = "127.0.0.1:" + QByteArray::number(m_port);
    const QByteArray upstreamAuthority =
        m_upstream.host().toUtf8() + ':' + QByteArray::number(m_upstream.port(80));
    QList<QByteArray> lines = head.split('\n');
    for (QByteArray &line : lines) {
        const QByteArray lower = line.toLower();
        if (lower.startsWith("host:") && !m_keepHost)
            line = "Host: " + upstreamAuthority + '\r';
        else if (lower.startsWith("destination:"))
            line.replace(ownAuthority, upstreamAuthority);
        else if (m_depthInfinityAsOne && lower.startsWith("depth:") && lower.contains("infinity"))
            line = "Depth: 1\r";
    }
    return lines.join('\n');
}

qint64 FaultProxy::allowance()
{
    if (m_throttle <= 0)
        return -1;
    const double burst = qMax<double>(1024, m_throttle / 20.0);
    m_tokens = qMin(burst, m_tokens + m_tokenClock.restart() * m_throttle / 1000.0);
    return qint64(m_tokens);
}

void FaultProxy::spend(qint64 bytes)
{
    if (m_throttle > 0)
        m_tokens -= double(bytes);
}

void FaultProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        if (m_down) {
            client->abort();
            client->deleteLater();
            continue;
        }
        ++m_connections;
        m_open.removeAll(nullptr);
        m_open.append(new FaultProxyConnection(this, client, m_upstream));
    }
}

void FaultProxy::pumpAll()
{
    for (const QPointer<FaultProxyConnection> &connection : std::as_const(m_open)) {
        if (connection && connection->hasPending())
            connection->pump();
    }
}

bool waitServing(const std::function<bool()> &condition, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QEventLoop loop;
        QTimer::singleShot(10, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

} // namespace steadysync::test
