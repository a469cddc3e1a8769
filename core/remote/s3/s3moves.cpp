// move(), copy() (CopyObject, + DELETE for a move), remove() and removeStalePartials() of
// S3Backend. A folder is its keys: moved, copied or removed key by key.
#include "remote/s3/s3operations.h"
#include "remote/s3/s3steps.h"

#include <QDateTime>

#include <memory>

namespace steadysync::s3 {

namespace {

using Job = S3Job<RemoteJob>;

// Runs step(i, next) for i = 0..count-1 one after another, then done().
void forEach(Job *job, qsizetype count, std::function<void(qsizetype, std::function<void()>)> step,
             std::function<void()> done, qsizetype index = 0)
{
    if (index >= count)
        return done();
    step(index, [job, count, step, done, index] { forEach(job, count, step, done, index + 1); });
}

void deleteKey(Job *job, const QString &key, std::function<void()> then)
{
    S3Request request;
    request.method = "DELETE";
    request.key = key;
    job->send(request, [job, key, then](QNetworkReply *reply, const QByteArray &body) {
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 404)
            return then(); // gone already: what was asked for
        if (!job->failIfError(reply, body, QStringLiteral("DELETE %1").arg(key)))
            then();
    });
}

void copyKey(Job *job, const QString &fromKey, const QByteArray &etag, const QString &toKey,
             std::function<void()> then)
{
    const S3Endpoint &endpoint = job->session()->endpoint();
    S3Request request;
    request.method = "PUT";
    request.key = toKey;
    request.headers = {{"x-amz-copy-source", '/' + s3UriEncode(endpoint.bucket, true) + '/' +
                                                 s3UriEncode(fromKey, false)}};
    const ConditionalWrites mode = job->session()->conditionalWrites();
    if (!etag.isEmpty() &&
        (mode == ConditionalWrites::Quoted || mode == ConditionalWrites::Unquoted))
        request.headers.append({"x-amz-copy-source-if-match", ifMatchValue(etag, mode)});
    job->send(request, [job, fromKey, then](QNetworkReply *reply, const QByteArray &body) {
        if (job->failIfError(reply, body, QStringLiteral("copying %1").arg(fromKey)))
            return;
        const Result<QByteArray> copied =
            s3xml::parseEtagResult(body, QStringLiteral("CopyObjectResult"));
        if (!copied)
            return job->fail(copied.error());
        then();
    });
}

// A source is deleted only as it was copied (DESIGN §4: the MOVE's "source unchanged").
void deleteIfUnchanged(Job *job, const QString &key, const QByteArray &etag, const QString &path,
                       std::function<void()> then)
{
    headObject(job, key, path, [job, key, etag, path, then](const MaybeEntry &now) {
        if (now && now->etag != etag)
            return job->fail(makeError(ErrorKind::PreconditionFailed,
                                       QStringLiteral("%1 changed while it was moved; both copies "
                                                      "are kept")
                                           .arg(path)));
        deleteKey(job, key, then);
    });
}

void moveFolder(Job *job, const QString &from, const QString &to, bool deleteSource)
{
    const S3Endpoint &endpoint = job->session()->endpoint();
    const QString fromPrefix = endpoint.keyFor(from) + QLatin1Char('/');
    const QString toPrefix = endpoint.keyFor(to) + QLatin1Char('/');
    listAll(job, fromPrefix, false, [=](const s3xml::ListPage &page) {
        auto objects = std::make_shared<QList<s3xml::ObjectSummary>>(page.objects);
        auto copyOne = [=](qsizetype i, std::function<void()> next) {
            const s3xml::ObjectSummary &object = objects->at(i);
            copyKey(job, object.key, object.etag, toPrefix + object.key.mid(fromPrefix.size()),
                    next);
        };
        auto deleteOne = [=](qsizetype i, std::function<void()> next) {
            const s3xml::ObjectSummary &object = objects->at(i);
            deleteIfUnchanged(job, object.key, object.etag, endpoint.pathOf(object.key), next);
        };
        auto copied = [=] {
            if (!deleteSource)
                return job->succeed();
            forEach(job, objects->size(), deleteOne, [job] { job->succeed(); });
        };
        forEach(job, objects->size(), copyOne, copied);
    });
}

void copyChecked(Job *job, const RemoteEntry &source, const QString &to, bool deleteSource)
{
    if (source.isDir())
        return moveFolder(job, source.path, to, deleteSource);
    const S3Endpoint &endpoint = job->session()->endpoint();
    const QString fromKey = endpoint.keyFor(source.path);
    copyKey(job, fromKey, source.etag, endpoint.keyFor(to), [=] {
        if (!deleteSource)
            return job->succeed();
        deleteIfUnchanged(job, fromKey, source.etag, source.path, [job] { job->succeed(); });
    });
}

} // namespace

RemoteJob *copyOrMove(QObject *parent, S3Session *session, const QString &from, const QString &to,
                      const Precondition &precondition, bool deleteSource)
{
    return startS3Job<RemoteJob>(parent, session, [=](Job *job) {
        statPath(job, from, [=](const MaybeEntry &source) {
            if (!source)
                return job->fail(makeError(ErrorKind::NotFound,
                                           QStringLiteral("%1 is not on the remote").arg(from)));
            if (const auto refused = checkPrecondition(source, precondition, from))
                return job->fail(*refused);
            statPath(job, to, [=](const MaybeEntry &destination) {
                if (destination)
                    return job->fail(makeError(ErrorKind::PreconditionFailed,
                                               QStringLiteral("%1 exists on the remote").arg(to)));
                copyChecked(job, *source, to, deleteSource);
            });
        });
    });
}

RemoteJob *remove(QObject *parent, S3Session *session, const QString &path,
                  const Precondition &precondition)
{
    return startS3Job<RemoteJob>(parent, session, [=](Job *job) {
        statPath(job, path, [=](const MaybeEntry &entry) {
            if (!entry)
                return job->fail(makeError(ErrorKind::NotFound,
                                           QStringLiteral("%1 is not on the remote").arg(path)));
            if (const auto refused = checkPrecondition(entry, precondition, path))
                return job->fail(*refused);
            const QString key = job->session()->endpoint().keyFor(path);
            if (!entry->isDir())
                return deleteKey(job, key, [job] { job->succeed(); });
            listAll(job, key + QLatin1Char('/'), false, [job](const s3xml::ListPage &page) {
                auto objects = std::make_shared<QList<s3xml::ObjectSummary>>(page.objects);
                forEach(
                    job, objects->size(),
                    [job, objects](qsizetype i, std::function<void()> next) {
                        deleteKey(job, objects->at(i).key, next);
                    },
                    [job] { job->succeed(); });
            });
        });
    });
}

} // namespace steadysync::s3
