#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <random>

class QTcpSocket;

namespace steadysync::test {

class FaultProxyConnection;

// An HTTP/1.1 proxy on 127.0.0.1 in front of a real server (e.g. the Apache of WebDavServer)
// that injects faults on demand: the server down (connections refused), canned error answers
// (503 with Retry-After, 401), connections reset after K bytes of a request or response body,
// requests accepted and never answered, a throttled link, and a seeded random mix of resets,
// 503 answers with Retry-After, stalled requests and slowed answers.
// It follows HTTP/1.1 framing (Content-Length and chunked, in both directions) so that it
// counts every request on keep-alive connections and can fault one request among many.
// Clients talk to url(): the upstream URL with the proxy's port. Host and Destination headers
// are rewritten to the upstream's, as a transparent reverse proxy does.
class FaultProxy : public QObject
{
    Q_OBJECT

public:
    explicit FaultProxy(const QUrl &upstream, QObject *parent = nullptr);
    ~FaultProxy() override;

    // Listens on a free loopback port (kept across setServerDown()); false on failure.
    bool listen();
    quint16 port() const { return m_port; }
    QUrl url() const;

    // Server down: the listener closes (connections are refused) and open connections are
    // dropped; false reopens it on the same port.
    bool setServerDown(bool down);
    bool isServerDown() const { return m_down; }
    // The next count requests (with onlyMethod set: of that method, e.g. "MKCOL") get this
    // answer instead of reaching the server.
    void failRequests(int count, int status, const QByteArray &extraHeaders = {},
                      const QByteArray &onlyMethod = {});
    void answer503(int count, int retryAfterSeconds);
    // The next count requests whose body is longer than bytes are cut by a TCP reset after
    // bytes of their body.
    void resetRequestBodies(int count, qint64 bytes);
    // The answers to the next count requests are cut after bytes of their body: the client
    // gets exactly that much, then the end of the stream and a reset (an answer without
    // that many body bytes is reset before its head). With onlyMethod: requests of that method.
    void resetResponseBodies(int count, qint64 bytes, const QByteArray &onlyMethod = {});
    // Requests are accepted and read, never forwarded nor answered (a server that hangs).
    void setHanging(bool hanging);
    // Both directions together are limited to bytesPerSecond (0: unlimited).
    void setThrottle(qint64 bytesPerSecond);
    // What a seeded random mix does to each request, as probabilities (their sum at most 1).
    struct FaultMix
    {
        // Reset at a random point: before it reaches the server, in its body, or in its
        // answer's body.
        double resets = 0;
        // Answered 503 with Retry-After, never reaching the server.
        double unavailable = 0;
        int retryAfterSeconds = 1;
        // Held for minStallMs..maxStallMs (uniform) before it is forwarded: a server that
        // pauses, shorter than a client's timeout.
        double stalls = 0;
        int minStallMs = 200;
        int maxStallMs = 1500;
        // Its answer relayed at slowBytesPerSecond: a congested link.
        double slowAnswers = 0;
        qint64 slowBytesPerSecond = 32 * 1024;
    };
    enum class RandomFault { Reset, Unavailable, Stall, SlowAnswer };
    // Seeded: the same seed draws the same sequence of decisions, one per request (which
    // request gets which depends on the client's order).
    void setRandomMix(const FaultMix &mix, quint32 seed);
    // A mix of resets only (the same draws as a FaultMix with only `resets` set).
    void setRandomResets(double probability, quint32 seed);
    // PROPFIND Depth: infinity is forwarded as Depth: 1, so that the server's genuine Depth-1
    // listing answers it, with nothing to tell (a server that silently downgrades the depth).
    void setDepthInfinityAsDepthOne(bool downgrade) { m_depthInfinityAsOne = downgrade; }
    // Keeps the client's Host header (a signed request, S3 SigV4, signs the Host it sent; the
    // server must see that one).
    void setKeepHostHeader(bool keep) { m_keepHost = keep; }
    // Every request's first line ("PUT /path?query HTTP/1.1"), in the order they arrived.
    const QList<QByteArray> &requestLines() const { return m_requestLines; }
    // The same with their headers, as the client sent them.
    const QList<QByteArray> &requestHeads() const { return m_requestHeads; }
    // Back to a transparent proxy (the server up, no faults armed).
    void clearFaults();
    // Runs hook(first line) as each request arrives, before it is forwarded: "another client"
    // acts at that very moment (empty: none).
    void onRequestLine(std::function<void(const QByteArray &line)> hook)
    {
        m_requestLineHook = std::move(hook);
    }

    qint64 requestCount() const { return m_requests; }
    qint64 faultsInjected() const { return m_faults; }
    // How many requests the random mix gave this fault.
    qint64 randomFaults(RandomFault kind) const { return m_randomFaults.value(int(kind)); }
    qint64 connectionsAccepted() const { return m_connections; }
    qint64 bytesForwarded() const { return m_bytesForwarded; }
    // Answers the server gave with this status (e.g. 423 Locked), canned answers excluded.
    qint64 answersWithStatus(int status) const { return m_answers.value(status); }
    // Milliseconds since the last request arrived (-1: none yet).
    qint64 msSinceLastRequest() const;

    enum class Action {
        Forward,
        Answer,
        ResetAtHead,
        ResetRequestBody,
        ResetResponseBody,
        Hang,
        Stall,
        SlowAnswer
    };
    struct Decision
    {
        Action action = Action::Forward;
        qint64 bytes = 0; // body bytes let through before a reset
        int status = 0;
        QByteArray extraHeaders;
        int stallMs = 0;                 // Stall: how long the request is held
        qint64 answerBytesPerSecond = 0; // SlowAnswer: the rate of its answer
    };

private:
    friend class FaultProxyConnection;

    Decision decide(const QByteArray &method, qint64 requestBodyLength);
    // The random mix's decision for one request (Forward when it draws no fault).
    Decision drawFromMix(qint64 requestBodyLength);
    Decision drawReset(qint64 requestBodyLength);
    QByteArray rewriteHead(const QByteArray &head) const;
    void noteFault() { ++m_faults; }
    void noteRequestHead(const QByteArray &head)
    {
        const QByteArray line = head.left(head.indexOf('\r'));
        m_requestLines.append(line);
        m_requestHeads.append(head);
        if (m_requestLineHook)
            m_requestLineHook(line);
    }
    void noteForwarded(qint64 bytes) { m_bytesForwarded += bytes; }
    void noteAnswer(int status) { m_answers[status] += 1; }
    // Bytes a connection may move now under the throttle (-1: unlimited); spend() consumes.
    qint64 allowance();
    void spend(qint64 bytes);
    void onNewConnection();
    void pumpAll();

    QUrl m_upstream;
    QTcpServer m_server;
    quint16 m_port = 0;
    std::function<void(const QByteArray &)> m_requestLineHook;
    bool m_down = false;
    QList<QPointer<FaultProxyConnection>> m_open;

    int m_failCount = 0;
    int m_failStatus = 0;
    QByteArray m_failHeaders;
    QByteArray m_failMethod;
    QByteArray m_resetResponseMethod;
    int m_resetRequestCount = 0;
    qint64 m_resetRequestBytes = 0;
    int m_resetResponseCount = 0;
    qint64 m_resetResponseBytes = 0;
    bool m_hanging = false;
    bool m_depthInfinityAsOne = false;
    bool m_keepHost = false;
    QList<QByteArray> m_requestLines;
    QList<QByteArray> m_requestHeads;
    FaultMix m_mix;
    std::mt19937 m_random;
    QHash<int, qint64> m_randomFaults; // by RandomFault

    qint64 m_throttle = 0;
    double m_tokens = 0;
    QElapsedTimer m_tokenClock;
    QTimer m_pump;

    qint64 m_requests = 0;
    qint64 m_faults = 0;
    qint64 m_connections = 0;
    qint64 m_bytesForwarded = 0;
    QHash<int, qint64> m_answers;
    QElapsedTimer m_lastRequest;
};

// Like waitFor() (polls condition until it holds or timeoutMs passes), but waits inside the
// event loop instead of sleeping between polls, so that a FaultProxy served by this thread
// relays traffic at once instead of every 10 ms.
bool waitServing(const std::function<bool()> &condition, int timeoutMs = 30'000);

} // namespace steadysync::test
