#include "remote/s3/s3steps.h"

#include "remote/webdavhttp.h"

#include <atomic>

namespace steadysync::s3 {

namespace {
std::atomic<int> pageSize{0};
} // namespace

int listPageSize()
{
    return pageSize.load();
}

void setListPageSize(int keys)
{
    pageSize.store(keys);
}

RemoteEntry entryFromHeaders(const QNetworkReply *reply, const QString &path)
{
    RemoteEntry entry;
    entry.path = path;
    entry.etag = s3xml::quotedEtag(reply->rawHeader("ETag"));
    const QByteArray range = reply->rawHeader("Content-Range"); // bytes a-b/size
    if (!range.isEmpty() && range.contains('/'))
        entry.size = range.mid(range.lastIndexOf('/') + 1).toLongLong();
    else
        entry.size = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
    entry.mtimeNs = webdav::mtimeNsFromHttpDate(reply->rawHeader("Last-Modified"), 0);
    const QByteArray sha256 = reply->rawHeader("x-amz-meta-sha256").trimmed().toLower();
    if (isSha256Hex(sha256))
        entry.sha256 = sha256;
    return entry;
}

std::optional<Error> checkPrecondition(const MaybeEntry &entry, const Precondition &precondition,
                                       const QString &path)
{
    switch (precondition.kind) {
    case Precondition::Kind::None:
        return std::nullopt;
    case Precondition::Kind::MustNotExist:
        if (!entry)
            return std::nullopt;
        return makeError(ErrorKind::PreconditionFailed,
                         QStringLiteral("%1 exists on the remote meanwhile").arg(path));
    case Precondition::Kind::MustMatch:
        if (entry && entry->signature() == precondition.signature)
            return std::nullopt;
        return makeError(ErrorKind::PreconditionFailed,
                         entry ? QStringLiteral("%1 changed on the remote meanwhile").arg(path)
                               : QStringLiteral("%1 is gone from the remote").arg(path));
    }
    return std::nullopt;
}

} // namespace steadysync::s3
