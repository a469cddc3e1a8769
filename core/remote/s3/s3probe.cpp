// S3Backend::probeConditionalWrites: what the store does with If-None-Match: * and If-Match on
// PUT, learnt once per backend on a throw-away object of the client's reserved name space
// (".steadysync-part-", which syncs ignore), before the first write that needs a condition.
#include "remote/s3/s3backend.h"
#include "remote/s3/s3job.h"
#include "remote/s3/s3xml.h"

#include "fs/reservednames.h"

#include <QUuid>

namespace steadysync {

namespace {

using ProbeJob = S3Job<RemoteJob>;

int statusOf(const QNetworkReply *reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

// A PUT of the probe object; then(status, etag) with the ETag it answered.
void put(ProbeJob *job, const QString &key, const QList<std::pair<QByteArray, QByteArray>> &headers,
         std::function<void(int, QByteArray)> then)
{
    S3Request request;
    request.method = "PUT";
    request.key = key;
    request.headers = headers;
    request.body = "steadysync probe of conditional writes";
    job->send(request, [then](QNetworkReply *reply, const QByteArray &) {
        then(statusOf(reply), s3xml::quotedEtag(reply->rawHeader("ETag")));
    });
}

// Steps 3-5: If-Match with a wrong tag must fail; the right one quoted, else bare, must pass.
void probeIfMatch(ProbeJob *job, const QString &key, const QByteArray &etag,
                  std::function<void(ConditionalWrites)> then)
{
    put(job, key, {{"If-Match", "\"00000000000000000000000000000000\""}},
        [=](int wrongStatus, const QByteArray &) {
            if (wrongStatus != 412)
                return then(ConditionalWrites::Unsupported);
            put(job, key, {{"If-Match", etag}}, [=](int quotedStatus, const QByteArray &) {
                if (quotedStatus >= 200 && quotedStatus < 300)
                    return then(ConditionalWrites::Quoted);
                put(job, key, {{"If-Match", ifMatchValue(etag, ConditionalWrites::Unquoted)}},
                    [=](int bareStatus, const QByteArray &) {
                        then(bareStatus >= 200 && bareStatus < 300
                                 ? ConditionalWrites::Unquoted
                                 : ConditionalWrites::Unsupported);
                    });
            });
        });
}

} // namespace

void S3Backend::probeConditionalWrites(std::function<void()> done)
{
    auto *job = new ProbeJob(this, m_session);
    const QString key = m_session->endpoint().keyFor(
        QLatin1String(ReservedNames::partialFilePrefix) + QStringLiteral("probe-") +
        QUuid::createUuid().toString(QUuid::WithoutBraces));
    auto finish = [this, job, key, done](std::optional<ConditionalWrites> mode) {
        if (mode)
            m_session->setConditionalWrites(*mode);
        if (mode == ConditionalWrites::Unsupported && !m_warnedUnenforced) {
            m_warnedUnenforced = true;
            Q_EMIT warning(tr("The S3 store ignores conditional writes (If-Match, "
                              "If-None-Match): each upload is checked just before and after it "
                              "instead, which leaves a short window for another client's "
                              "write to go unnoticed."));
        }
        S3Request removal;
        removal.method = "DELETE";
        removal.key = key;
        job->send(removal, [job](QNetworkReply *, const QByteArray &) { job->succeed(); });
        done();
    };
    put(job, key, {{"If-None-Match", "*"}}, [=](int status, const QByteArray &etag) {
        if (status < 200 || status >= 300)
            return finish(std::nullopt); // unreachable or refused: probe again next time
        put(job, key, {{"If-None-Match", "*"}}, [=](int againStatus, const QByteArray &) {
            if (againStatus != 412)
                return finish(ConditionalWrites::Unsupported);
            probeIfMatch(job, key, etag, finish);
        });
    });
}

} // namespace steadysync
