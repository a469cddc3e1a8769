#include "versionfacts.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QStringDecoder>

namespace steadysync {

namespace {

QString sha256Of(QFile &file)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    file.seek(0);
    if (!hash.addData(&file))
        return {};
    return QString::fromLatin1(hash.result().toHex());
}

// Text when the head decodes as UTF-8 and holds no NUL bytes.
QString textPreview(const QByteArray &head)
{
    if (head.contains('\0'))
        return {};
    QStringDecoder decoder(QStringDecoder::Utf8);
    QString text = decoder.decode(head);
    if (decoder.hasError())
        return {};
    return text.isEmpty() ? QStringLiteral(" ") : text;
}

} // namespace

VersionFacts VersionFacts::gather(const QString &absolutePath)
{
    VersionFacts facts;
    const QFileInfo info(absolutePath);
    if (!info.isFile())
        return facts;
    facts.exists = true;
    facts.size = info.size();
    facts.modified = info.lastModified();
    QImageReader reader(absolutePath);
    if (reader.canRead()) {
        reader.setAutoTransform(true);
        facts.image = reader.read();
    }
    QFile file(absolutePath);
    if (!file.open(QIODevice::ReadOnly))
        return facts;
    if (facts.image.isNull())
        facts.text = textPreview(file.read(PreviewBytes));
    facts.sha256Hex = sha256Of(file);
    return facts;
}

} // namespace steadysync
