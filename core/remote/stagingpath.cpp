#include "remote/stagingpath.h"

#include "local/ignorerules.h"

#include <QCryptographicHash>

namespace steadysync {

QString stagingPathFor(const QString &clientId, const QString &path)
{
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    const QString parent = slash < 0 ? QString() : path.left(slash + 1);
    const QByteArray leafHash =
        QCryptographicHash::hash(path.mid(slash + 1).toUtf8(), QCryptographicHash::Sha256)
            .toHex()
            .left(16);
    return parent + IgnoreRules::partialFilePrefix() + clientId + QLatin1Char('-') +
           QString::fromLatin1(leafHash);
}

} // namespace steadysync
