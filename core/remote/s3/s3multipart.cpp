// Multipart uploads of S3Backend (files larger than one part): parallel part PUTs, the object
// visible only once CompleteMultipartUpload has it whole. An upload cut short (a crash, an
// outage, a cancel) stays on the store; the next upload of that key finds it with
// ListMultipartUploads, asks ListParts what it has, and sends only the parts whose MD5 (a part's
// ETag) differs from the file's. removeStalePartials() aborts the abandoned ones.
#include "remote/s3/s3multipart.h"

#include "remote/s3/s3operations.h"
#include "remote/s3/s3steps.h"

#include <QDateTime>
#include <QFile>

#include <atomic>

namespace steadysync::s3 {

namespace {

std::atomic<qint64> partSizeOverride{0};

constexpr qint64 MiB = 1024 * 1024;

} // namespace

void setPartSizeOverride(qint64 bytes)
{
    partSizeOverride.store(bytes);
}

qint64 partSizeFor(qint64 size)
{
    if (const qint64 fixed = partSizeOverride.load(); fixed > 0)
        return fixed;
    qint64 part = 8 * MiB;
    while (part < 64 * MiB && size / part > 1000)
        part *= 2;
    return part;
}

MultipartUpload::MultipartUpload(S3Job<EntryJob> *job, QString localFile, QString path,
                                 qint64 mtimeNs, Precondition precondition)
    : m_job(job), m_file(localFile), m_path(std::move(path)), m_mtimeNs(mtimeNs),
      m_precondition(precondition), m_key(job->session()->endpoint().keyFor(m_path))
{}

void MultipartUpload::start()
{
    if (!m_file.open(QIODevice::ReadOnly))
        return m_job->fail(makeError(
            ErrorKind::Transient,
            QStringLiteral("cannot read %1: %2").arg(m_file.fileName(), m_file.errorString())));
    m_size = m_file.size();
    m_partSize = partSizeFor(m_size);
    m_partCount = int((m_size + m_partSize - 1) / m_partSize);
    QCryptographicHash whole(QCryptographicHash::Sha256);
    if (!whole.addData(&m_file))
        return m_job->fail(makeError(ErrorKind::Transient,
                                     QStringLiteral("cannot read %1").arg(m_file.fileName())));
    m_sha256 = whole.result().toHex();
    checkPrecondition([this] { findUnfinished(); });
}

void MultipartUpload::checkPrecondition(std::function<void()> then)
{
    if (m_precondition.kind == Precondition::Kind::None)
        return then();
    // CompleteMultipartUpload is not conditional on every store: checked just before.
    statPath(m_job, m_path, [this, then](const MaybeEntry &entry) {
        if (const auto refused = s3::checkPrecondition(entry, m_precondition, m_path))
            return m_job->fail(*refused);
        then();
    });
}

void MultipartUpload::findUnfinished()
{
    S3Request request;
    request.key = QString();
    request.query = {{QStringLiteral("uploads"), QString()}, {QStringLiteral("prefix"), m_key}};
    m_job->send(request, [this](QNetworkReply *reply, const QByteArray &body) {
        if (m_job->failIfError(reply, body, QStringLiteral("listing uploads of %1").arg(m_path)))
            return;
        const Result<s3xml::UploadsPage> page = s3xml::parseListMultipartUploads(body);
        if (!page)
            return m_job->fail(page.error());
        const s3xml::Upload *latest = nullptr;
        for (const s3xml::Upload &upload : page->uploads)
            if (upload.key == m_key && (!latest || upload.initiated > latest->initiated))
                latest = &upload;
        if (!latest)
            return initiate();
        m_uploadId = latest->uploadId;
        listParts(0);
    });
}

void MultipartUpload::listParts(int marker)
{
    S3Request request;
    request.key = m_key;
    request.query = {{QStringLiteral("uploadId"), m_uploadId}};
    if (marker > 0)
        request.query.append({QStringLiteral("part-number-marker"), QString::number(marker)});
    m_job->send(request, [this](QNetworkReply *reply, const QByteArray &body) {
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 404)
            return initiate(); // completed or aborted meanwhile
        if (m_job->failIfError(reply, body, QStringLiteral("listing parts of %1").arg(m_path)))
            return;
        const Result<s3xml::PartsPage> page = s3xml::parseListParts(body);
        if (!page)
            return m_job->fail(page.error());
        for (const s3xml::Part &part : page->parts)
            m_present.insert(part.number, part);
        if (page->truncated)
            return listParts(page->nextPartNumberMarker);
        sendParts();
    });
}

void MultipartUpload::initiate()
{
    S3Request request;
    request.method = "POST";
    request.key = m_key;
    request.query = {{QStringLiteral("uploads"), QString()}};
    request.headers = {{"x-amz-meta-sha256", m_sha256},
                       {"x-amz-meta-mtime-ns", QByteArray::number(m_mtimeNs)}};
    m_job->send(request, [this](QNetworkReply *reply, const QByteArray &body) {
        if (m_job->failIfError(reply, body,
                               QStringLiteral("starting the upload of %1").arg(m_path)))
            return;
        const Result<QString> uploadId = s3xml::parseInitiateMultipartUpload(body);
        if (!uploadId)
            return m_job->fail(uploadId.error());
        m_uploadId = *uploadId;
        m_present.clear();
        sendParts();
    });
}

} // namespace steadysync::s3

namespace steadysync::s3 {

// Parts go in order, up to options.parallel at once; each is read, added to the hash of what
// is sent, and skipped when the store has it already (same number, same MD5).
void MultipartUpload::sendParts()
{
    const int parallel = qMax(1, m_job->session()->options().parallel);
    while (m_inFlight < parallel && m_nextPart <= m_partCount) {
        const int number = m_nextPart++;
        if (!m_file.seek((number - 1) * m_partSize))
            return m_job->fail(makeError(ErrorKind::Transient,
                                         QStringLiteral("cannot read %1").arg(m_file.fileName())));
        const QByteArray data = m_file.read(m_partSize);
        const qint64 expected = qMin(m_partSize, m_size - (number - 1) * m_partSize);
        if (data.size() != expected)
            return m_job->fail(makeError(
                ErrorKind::Transient,
                QStringLiteral("%1 changed while it was uploaded").arg(m_file.fileName())));
        m_sentHash.addData(data);
        const QByteArray digest = QCryptographicHash::hash(data, QCryptographicHash::Md5);
        const QByteArray md5 = '"' + digest.toHex() + '"';
        const auto present = m_present.constFind(number);
        if (present != m_present.constEnd() && present->etag == md5 &&
            present->size == data.size()) {
            m_sent.insert(number, *present);
            partDone(number, data.size());
            continue;
        }
        sendPart(number, data, digest);
    }
    if (m_inFlight == 0 && m_sent.size() == m_partCount)
        complete();
}

// Signed unhashed, its integrity proven by Content-MD5: one pass less over every byte.
void MultipartUpload::sendPart(int number, QByteArray data, const QByteArray &md5)
{
    S3Request request;
    request.method = "PUT";
    request.key = m_key;
    request.query = {{QStringLiteral("partNumber"), QString::number(number)},
                     {QStringLiteral("uploadId"), m_uploadId}};
    request.headers = {{"Content-MD5", md5.toBase64()}};
    request.payloadHash = sigv4::unsignedPayload;
    const qint64 bytes = data.size();
    request.body = std::move(data);
    ++m_inFlight;
    m_job->session()->notePartRequest();
    m_job->send(request, [this, number, bytes](QNetworkReply *reply, const QByteArray &body) {
        --m_inFlight;
        if (m_job->failIfError(reply, body,
                               QStringLiteral("part %1 of %2").arg(number).arg(m_path)))
            return;
        m_sent.insert(number, {number, s3xml::quotedEtag(reply->rawHeader("ETag")), bytes});
        partDone(number, bytes);
        sendParts();
    });
}

void MultipartUpload::partDone(int, qint64 bytes)
{
    m_bytesDone += bytes;
    m_job->reportBytes(m_bytesDone);
}

void MultipartUpload::complete()
{
    if (m_sentHash.result().toHex() != m_sha256)
        return m_job->fail(
            makeError(ErrorKind::Transient,
                      QStringLiteral("%1 changed while it was uploaded").arg(m_file.fileName())));
    checkPrecondition([this] {
        S3Request request;
        request.method = "POST";
        request.key = m_key;
        request.query = {{QStringLiteral("uploadId"), m_uploadId}};
        request.body = s3xml::completeMultipartUploadBody(m_sent.values());
        m_job->send(request, [this](QNetworkReply *reply, const QByteArray &body) {
            if (m_job->failIfError(reply, body, QStringLiteral("completing %1").arg(m_path)))
                return;
            const Result<QByteArray> etag =
                s3xml::parseEtagResult(body, QStringLiteral("CompleteMultipartUploadResult"));
            if (!etag)
                return m_job->fail(etag.error());
            describe();
        });
    });
}

// What the store has now (RGW answers CompleteMultipartUpload with an empty ETag): HEAD.
void MultipartUpload::describe()
{
    m_job->setSentSha256(m_sha256);
    if (m_precondition.kind != Precondition::Kind::None)
        m_job->setWriteUnproven(); // checked before the completion, not atomically with it
    headObject(m_job, m_key, m_path, [this](const MaybeEntry &entry) {
        if (!entry)
            return m_job->fail(
                makeError(ErrorKind::Transient,
                          QStringLiteral("%1 is gone right after its upload").arg(m_path)));
        if (entry->sha256 != m_sha256)
            return fixMetadata(*entry);
        m_job->succeed(*entry);
    });
}

// A resumed upload carries the metadata of the attempt that began it, maybe of other content:
// the object is copied onto itself with this content's SHA-256.
void MultipartUpload::fixMetadata(const RemoteEntry &entry)
{
    const S3Endpoint &endpoint = m_job->session()->endpoint();
    S3Request request;
    request.method = "PUT";
    request.key = m_key;
    request.headers = {{"x-amz-copy-source",
                        '/' + s3UriEncode(endpoint.bucket, true) + '/' + s3UriEncode(m_key, false)},
                       {"x-amz-metadata-directive", "REPLACE"},
                       {"x-amz-meta-sha256", m_sha256},
                       {"x-amz-meta-mtime-ns", QByteArray::number(m_mtimeNs)}};
    Q_UNUSED(entry);
    m_job->send(request, [this](QNetworkReply *reply, const QByteArray &body) {
        if (m_job->failIfError(reply, body, QStringLiteral("recording the hash of %1").arg(m_path)))
            return;
        headObject(m_job, m_key, m_path, [this](const MaybeEntry &stored) {
            if (!stored || stored->sha256 != m_sha256)
                return m_job->fail(
                    makeError(ErrorKind::Transient,
                              QStringLiteral("%1 changed right after its upload").arg(m_path)));
            m_job->succeed(*stored);
        });
    });
}

EntryJob *uploadMultipart(QObject *parent, S3Session *session, const QString &localFile,
                          const QString &path, qint64 mtimeNs, const Precondition &precondition)
{
    return startS3Job<EntryJob>(parent, session, [=](S3Job<EntryJob> *job) {
        auto *upload = new MultipartUpload(job, localFile, path, mtimeNs, precondition);
        upload->setParent(job);
        upload->start();
    });
}

RemoteJob *abortStaleUploads(QObject *parent, S3Session *session, qint64 maxAgeS)
{
    return startS3Job<RemoteJob>(parent, session, [maxAgeS](S3Job<RemoteJob> *job) {
        S3Request request;
        request.query = {{QStringLiteral("uploads"), QString()},
                         {QStringLiteral("prefix"), job->session()->endpoint().keyPrefix()}};
        job->send(request, [job, maxAgeS](QNetworkReply *reply, const QByteArray &body) {
            if (job->failIfError(reply, body, QStringLiteral("listing unfinished uploads")))
                return;
            const Result<s3xml::UploadsPage> page = s3xml::parseListMultipartUploads(body);
            if (!page)
                return job->fail(page.error());
            const QDateTime cutoff = QDateTime::currentDateTimeUtc().addSecs(-maxAgeS);
            auto stale = std::make_shared<QList<s3xml::Upload>>();
            for (const s3xml::Upload &upload : page->uploads)
                if (upload.initiated.isValid() && upload.initiated <= cutoff)
                    stale->append(upload);
            abortEach(job, stale, 0);
        });
    });
}

void abortEach(S3Job<RemoteJob> *job, std::shared_ptr<QList<s3xml::Upload>> uploads,
               qsizetype index)
{
    if (index >= uploads->size())
        return job->succeed();
    S3Request request;
    request.method = "DELETE";
    request.key = uploads->at(index).key;
    request.query = {{QStringLiteral("uploadId"), uploads->at(index).uploadId}};
    job->send(request, [job, uploads, index](QNetworkReply *reply, const QByteArray &body) {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status != 404 && job->failIfError(reply, body, QStringLiteral("aborting an upload")))
            return;
        abortEach(job, uploads, index + 1);
    });
}

} // namespace steadysync::s3
