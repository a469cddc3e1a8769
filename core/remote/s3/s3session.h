#pragma once

#include "remote/remotebackend.h"
#include "remote/s3/s3endpoint.h"
#include "remote/s3/sigv4.h"

#include <QByteArray>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <utility>
#include <vector>

class QIODevice;
class QNetworkReply;

namespace steadysync {

// One S3 request before signing: the object key (empty: the bucket), query, extra headers,
// and a body held in memory (small objects, parts, XML), whose SHA-256 is signed.
struct S3Request
{
    QByteArray method = "GET";
    QString key;
    QList<std::pair<QString, QString>> query;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    // What is signed for the body: empty for its SHA-256; sigv4::unsignedPayload where the
    // body's integrity is proven otherwise (Content-MD5 on a part).
    QByteArray payloadHash;
};

// What the store does with conditional PUTs, learnt once per backend (S3Backend's probe).
enum class ConditionalWrites {
    Unknown,
    Quoted,     // If-Match "etag" and If-None-Match: * enforced (AWS, MinIO, ...)
    Unquoted,   // If-Match only matches the bare tag (Ceph RGW 16); If-None-Match enforced
    Unsupported // the store ignores them: checked with a HEAD just before and after a write
};

// The connection to one bucket: signing, concurrency slots, and the mapping of S3 answers to
// the project's ErrorKinds (DESIGN §5). Lives on the thread of the backend that owns it.
class S3Session : public QObject
{
    Q_OBJECT
public:
    S3Session(S3Endpoint endpoint, const BackendOptions &options, QObject *parent);

    const S3Endpoint &endpoint() const { return m_endpoint; }
    const BackendOptions &options() const { return m_options; }

    // Signs and sends; the caller owns the reply (parented to nothing).
    QNetworkReply *send(const S3Request &request);

    // At most options.parallel jobs hold a slot; start runs (from the event loop) once one is
    // free for job. releaseSlot() is idempotent.
    void whenSlotFree(QObject *job, std::function<void()> start);
    void releaseSlot(QObject *job);

    // The error of a failed answer (body: its XML, if any); std::nullopt for a 2xx.
    std::optional<Error> errorFor(const QNetworkReply *reply, const QByteArray &body,
                                  const QString &what) const;

    ConditionalWrites conditionalWrites() const { return m_conditionalWrites; }
    void setConditionalWrites(ConditionalWrites mode) { m_conditionalWrites = mode; }
    // Runs whenKnown once the probe (started by the first caller) has told the mode.
    void whenConditionalWritesKnown(QObject *context, std::function<void()> whenKnown);
    void setConditionalWritesProbe(std::function<void(std::function<void()>)> probe)
    {
        m_probe = std::move(probe);
    }

    // Requests that uploaded one part of a multipart upload (tests count them).
    int partRequestsSent() const { return m_partRequests; }
    void notePartRequest() { ++m_partRequests; }

private:
    void startWaiting();

    S3Endpoint m_endpoint;
    BackendOptions m_options;
    // Qt opens at most 6 connections per host and manager: one manager per 6 transfers.
    std::vector<std::unique_ptr<QNetworkAccessManager>> m_networks;
    size_t m_nextNetwork = 0;
    QList<QPointer<QObject>> m_running;
    QList<std::pair<QPointer<QObject>, std::function<void()>>> m_waiting;
    ConditionalWrites m_conditionalWrites = ConditionalWrites::Unknown;
    bool m_probing = false;
    QList<std::pair<QPointer<QObject>, std::function<void()>>> m_waitingForProbe;
    std::function<void(std::function<void()>)> m_probe;
    int m_partRequests = 0;
};

// "Quoted"/"Unquoted" form of an ETag for If-Match, per the store's ConditionalWrites.
QByteArray ifMatchValue(const QByteArray &etag, ConditionalWrites mode);

} // namespace steadysync
