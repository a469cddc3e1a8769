#pragma once

#include <QByteArray>
#include <QString>

#include <utility>

namespace steadysync::webdav {

// What a download cut off part-way left behind, kept beside its target file so that the next
// attempt resumes it with Range and If-Range, in this process or a later one (the engine keeps
// partial downloads across runs; see LocalFileOps::removeStaleTemporaries). The validator is
// the version the bytes on disk belong to: a strong ETag, else the Last-Modified date.
class PartialDownload
{
public:
    explicit PartialDownload(QString targetFile) : m_targetFile(std::move(targetFile)) {}

    // The validator for If-Range; empty when the target holds no resumable bytes.
    QByteArray validator() const;
    // Called once a 200's headers arrived: the body now written belongs to this version.
    // Without a usable validator (only a weak ETag, no date), or for a file smaller than
    // minResumableBytes (cheaper to fetch again than to keep a validator for), the partial is
    // not resumable.
    void remember(const QByteArray &etag, const QByteArray &lastModified, qint64 size) const;
    static constexpr qint64 minResumableBytes = 64 * 1024;
    // The download completed or its bytes are worthless.
    void forget() const;

    // The file the validator is kept in.
    static QString validatorFile(const QString &targetFile);

private:
    QString m_targetFile;
};

} // namespace steadysync::webdav
