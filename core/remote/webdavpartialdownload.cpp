#include "remote/webdavpartialdownload.h"

#include "remote/webdavhttp.h"

#include <QFile>
#include <QFileInfo>

namespace steadysync::webdav {

namespace {

// A validator is one header value: anything longer or with a line break is not ours.
constexpr qsizetype maxValidatorBytes = 512;

} // namespace

QString PartialDownload::validatorFile(const QString &targetFile)
{
    return targetFile + QStringLiteral(".validator");
}

QByteArray PartialDownload::validator() const
{
    if (QFileInfo(m_targetFile).size() <= 0)
        return {};
    QFile file(validatorFile(m_targetFile));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QByteArray value = file.read(maxValidatorBytes + 1).trimmed();
    if (value.isEmpty() || value.size() > maxValidatorBytes || value.contains('\n') ||
        value.contains('\r'))
        return {};
    return value;
}

void PartialDownload::remember(const QByteArray &etag, const QByteArray &lastModified,
                               qint64 size) const
{
    // If-Range compares strongly (RFC 9110 §13.1.5): a weak ETag cannot stand for the bytes.
    const QByteArray value = isStrongEtag(etag)            ? etag
                             : parseHttpDate(lastModified) ? lastModified.trimmed()
                                                           : QByteArray();
    if (size < minResumableBytes || value.isEmpty() || value.size() > maxValidatorBytes ||
        value.contains('\n') || value.contains('\r'))
        return forget();
    // Not synced to disk: a torn validator only fails to match, and the file starts over.
    QFile file(validatorFile(m_targetFile));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(value + '\n') != value.size() + 1)
        forget(); // not resumable then: the next attempt starts over
}

void PartialDownload::forget() const
{
    QFile::remove(validatorFile(m_targetFile));
}

} // namespace steadysync::webdav
