#include "remote/nextcloudcapabilities.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace steadysync::nextcloud {

namespace {

QUrl baseUrl(const QUrl &collectionRoot)
{
    QUrl base =
        collectionRoot.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
    const QString path = base.path(QUrl::FullyEncoded);
    const qsizetype remote = path.indexOf(QLatin1String("/remote.php/"));
    base.setPath(remote < 0 ? QStringLiteral("/") : path.left(remote + 1), QUrl::StrictMode);
    return base;
}

Error notOcs(const QString &what)
{
    return makeError(ErrorKind::Corrupt,
                     QStringLiteral("%1 is not an ownCloud/Nextcloud answer").arg(what));
}

// "1.0", "1.1", 1, true: advertised; "", "0", absent: not.
bool advertised(const QJsonValue &value)
{
    if (value.isString())
        return !value.toString().isEmpty() && value.toString() != QLatin1String("0");
    if (value.isDouble())
        return value.toDouble() > 0;
    return value.toBool(false);
}

} // namespace

bool namesNextcloud(const QUrl &collectionRoot)
{
    return collectionRoot.path(QUrl::FullyEncoded).contains(QLatin1String("/remote.php/"));
}

QUrl statusUrl(const QUrl &collectionRoot)
{
    QUrl url = baseUrl(collectionRoot);
    url.setPath(url.path(QUrl::FullyEncoded) + QLatin1String("status.php"), QUrl::StrictMode);
    return url;
}

QUrl capabilitiesUrl(const QUrl &collectionRoot)
{
    QUrl url = baseUrl(collectionRoot);
    url.setPath(url.path(QUrl::FullyEncoded) + QLatin1String("ocs/v1.php/cloud/capabilities"),
                QUrl::StrictMode);
    url.setQuery(QStringLiteral("format=json"));
    return url;
}

Status readStatus(const QByteArray &json, ServerCapabilities *capabilities)
{
    const QJsonDocument document = QJsonDocument::fromJson(json);
    const QJsonObject status = document.object();
    if (!document.isObject() || !status.value(QLatin1String("installed")).toBool(false))
        return notOcs(QStringLiteral("status.php"));
    const QString product = status.value(QLatin1String("productname")).toString();
    capabilities->productName = product.isEmpty() ? QStringLiteral("ownCloud") : product;
    capabilities->productVersion = status.value(QLatin1String("versionstring")).toString();
    return success();
}

Status readCapabilities(const QByteArray &json, ServerCapabilities *capabilities)
{
    const QJsonObject ocs =
        QJsonDocument::fromJson(json).object().value(QLatin1String("ocs")).toObject();
    const QJsonObject meta = ocs.value(QLatin1String("meta")).toObject();
    if (meta.value(QLatin1String("status")).toString() != QLatin1String("ok"))
        return notOcs(QStringLiteral("the OCS capabilities"));
    const QJsonObject features =
        ocs.value(QLatin1String("data")).toObject().value(QLatin1String("capabilities")).toObject();
    const QJsonObject dav = features.value(QLatin1String("dav")).toObject();
    const QJsonObject files = features.value(QLatin1String("files")).toObject();
    const QJsonObject chunked = files.value(QLatin1String("chunked_upload")).toObject();
    capabilities->bulkUpload = advertised(dav.value(QLatin1String("bulkupload")));
    capabilities->chunkingV2 = advertised(dav.value(QLatin1String("chunking")));
    capabilities->maxChunkSize = qint64(chunked.value(QLatin1String("max_size")).toDouble(0));
    capabilities->maxParallelChunks = chunked.value(QLatin1String("max_parallel_count")).toInt(0);
    capabilities->versions = files.value(QLatin1String("versioning")).toBool(false);
    capabilities->trashbin = files.value(QLatin1String("undelete")).toBool(false);
    capabilities->capabilitiesRead = !dav.isEmpty();
    return success();
}

} // namespace steadysync::nextcloud
