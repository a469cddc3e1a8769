#pragma once

#include <QDateTime>
#include <QImage>
#include <QMetaType>
#include <QString>

namespace steadysync {

// What the conflict dialog shows of one version of a file; gathered off the GUI thread.
struct VersionFacts
{
    bool exists = false;
    qint64 size = 0;
    QDateTime modified;
    QString sha256Hex;
    QString text; // set for text files (the first PreviewBytes)
    QImage image; // set for images
    static constexpr qint64 PreviewBytes = 64 * 1024;

    // Reads size, time, SHA-256 (streamed) and a preview; blocking: worker threads only.
    static VersionFacts gather(const QString &absolutePath);
};

} // namespace steadysync

Q_DECLARE_METATYPE(steadysync::VersionFacts)
