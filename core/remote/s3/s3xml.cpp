#include "remote/s3/s3xml.h"

#include <QXmlStreamReader>

#include <memory>

namespace steadysync::s3xml {

namespace {

constexpr int maxDepth = 8;
constexpr qsizetype maxNodes = 200'000; // ListObjectsV2 pages hold at most 1,000 entries
constexpr qsizetype maxText = 4096;

// A parsed element: its local name, text and children.
struct Node
{
    QString name;
    QString text;
    std::vector<std::unique_ptr<Node>> children;

    const Node *child(QStringView childName) const
    {
        for (const auto &node : children)
            if (node->name == childName)
                return node.get();
        return nullptr;
    }
    QString childText(QStringView childName) const
    {
        const Node *node = child(childName);
        return node ? node->text : QString();
    }
};

Error corrupt(const QString &why)
{
    return makeError(ErrorKind::Corrupt, QStringLiteral("malformed S3 answer: %1").arg(why));
}

Status readChildren(QXmlStreamReader &reader, Node *parent, int depth, qsizetype *nodes)
{
    while (!reader.atEnd()) {
        switch (reader.readNext()) {
        case QXmlStreamReader::StartElement: {
            if (depth >= maxDepth || ++*nodes > maxNodes)
                return corrupt(QStringLiteral("too deep or too large"));
            auto node = std::make_unique<Node>();
            node->name = reader.name().toString();
            if (Status read = readChildren(reader, node.get(), depth + 1, nodes); !read)
                return read;
            parent->children.push_back(std::move(node));
            break;
        }
        case QXmlStreamReader::EndElement:
            return success();
        case QXmlStreamReader::Characters:
            if (parent->text.size() + reader.text().size() > maxText)
                return corrupt(QStringLiteral("a value longer than %1 characters").arg(maxText));
            parent->text += reader.text();
            break;
        case QXmlStreamReader::DTD:
        case QXmlStreamReader::EntityReference:
            return corrupt(QStringLiteral("a DTD or entity reference"));
        default:
            break;
        }
    }
    if (reader.hasError())
        return corrupt(reader.errorString());
    return success();
}

// The document's root element, named rootName.
Result<std::unique_ptr<Node>> parseDocument(const QByteArray &body, const QString &rootName)
{
    QXmlStreamReader reader(body);
    auto document = std::make_unique<Node>();
    qsizetype nodes = 0;
    if (Status read = readChildren(reader, document.get(), 0, &nodes); !read)
        return read.error();
    if (reader.hasError())
        return corrupt(reader.errorString());
    if (document->children.size() != 1)
        return corrupt(QStringLiteral("no single root element"));
    std::unique_ptr<Node> root = std::move(document->children.front());
    if (root->name != rootName)
        return corrupt(QStringLiteral("<%1> where <%2> was expected").arg(root->name, rootName));
    return root;
}

bool parseBool(const QString &text)
{
    return text.trimmed() == QLatin1String("true");
}

Result<qint64> parseSize(const Node &node, QStringView field)
{
    bool ok = false;
    const qint64 value = node.childText(field).trimmed().toLongLong(&ok);
    if (!ok || value < 0)
        return corrupt(QStringLiteral("<%1> is not a size").arg(field));
    return value;
}

Result<ObjectSummary> parseContents(const Node &node)
{
    ObjectSummary object;
    if (!node.child(u"Key"))
        return corrupt(QStringLiteral("an object without <Key>"));
    object.key = node.childText(u"Key");
    const Result<qint64> size = parseSize(node, u"Size");
    if (!size)
        return size.error();
    object.size = *size;
    object.etag = quotedEtag(node.childText(u"ETag").trimmed().toUtf8());
    object.lastModified =
        QDateTime::fromString(node.childText(u"LastModified").trimmed(), Qt::ISODateWithMs);
    return object;
}

} // namespace

QByteArray quotedEtag(const QByteArray &etag)
{
    if (etag.isEmpty() || etag.startsWith('"') || etag.startsWith("W/"))
        return etag;
    return '"' + etag + '"';
}

ErrorAnswer parseError(const QByteArray &body)
{
    const auto root = parseDocument(body, QStringLiteral("Error"));
    if (!root)
        return {};
    return {(*root)->childText(u"Code").trimmed(), (*root)->childText(u"Message").trimmed()};
}

Result<ListPage> parseListObjectsV2(const QByteArray &body)
{
    const auto root = parseDocument(body, QStringLiteral("ListBucketResult"));
    if (!root)
        return root.error();
    ListPage page;
    for (const auto &node : (*root)->children) {
        if (node->name == QLatin1String("Contents")) {
            Result<ObjectSummary> object = parseContents(*node);
            if (!object)
                return object.error();
            page.objects.append(std::move(*object));
        } else if (node->name == QLatin1String("CommonPrefixes")) {
            if (!node->child(u"Prefix"))
                return corrupt(QStringLiteral("<CommonPrefixes> without <Prefix>"));
            page.commonPrefixes.append(node->childText(u"Prefix"));
        }
    }
    page.truncated = parseBool((*root)->childText(u"IsTruncated"));
    page.nextContinuationToken = (*root)->childText(u"NextContinuationToken");
    if (page.truncated && page.nextContinuationToken.isEmpty())
        return corrupt(QStringLiteral("a truncated listing without a continuation token"));
    return page;
}

Result<PartsPage> parseListParts(const QByteArray &body)
{
    const auto root = parseDocument(body, QStringLiteral("ListPartsResult"));
    if (!root)
        return root.error();
    PartsPage page;
    for (const auto &node : (*root)->children) {
        if (node->name != QLatin1String("Part"))
            continue;
        Part part;
        bool ok = false;
        part.number = node->childText(u"PartNumber").trimmed().toInt(&ok);
        const Result<qint64> size = parseSize(*node, u"Size");
        if (!ok || part.number < 1 || part.number > 10'000 || !size)
            return corrupt(QStringLiteral("a part without a valid number or size"));
        part.size = *size;
        part.etag = quotedEtag(node->childText(u"ETag").trimmed().toUtf8());
        page.parts.append(part);
    }
    page.truncated = parseBool((*root)->childText(u"IsTruncated"));
    page.nextPartNumberMarker = (*root)->childText(u"NextPartNumberMarker").trimmed().toInt();
    if (page.truncated && page.nextPartNumberMarker <= 0)
        return corrupt(QStringLiteral("a truncated part list without a next marker"));
    return page;
}

Result<UploadsPage> parseListMultipartUploads(const QByteArray &body)
{
    const auto root = parseDocument(body, QStringLiteral("ListMultipartUploadsResult"));
    if (!root)
        return root.error();
    UploadsPage page;
    for (const auto &node : (*root)->children) {
        if (node->name != QLatin1String("Upload"))
            continue;
        Upload upload{
            node->childText(u"Key"), node->childText(u"UploadId").trimmed(),
            QDateTime::fromString(node->childText(u"Initiated").trimmed(), Qt::ISODateWithMs)};
        if (upload.key.isEmpty() || upload.uploadId.isEmpty())
            return corrupt(QStringLiteral("an upload without key or id"));
        page.uploads.append(upload);
    }
    page.truncated = parseBool((*root)->childText(u"IsTruncated"));
    page.nextKeyMarker = (*root)->childText(u"NextKeyMarker");
    page.nextUploadIdMarker = (*root)->childText(u"NextUploadIdMarker");
    if (page.truncated && page.nextKeyMarker.isEmpty())
        return corrupt(QStringLiteral("a truncated upload list without a next marker"));
    return page;
}

Result<QString> parseInitiateMultipartUpload(const QByteArray &body)
{
    const auto root = parseDocument(body, QStringLiteral("InitiateMultipartUploadResult"));
    if (!root)
        return root.error();
    const QString uploadId = (*root)->childText(u"UploadId").trimmed();
    if (uploadId.isEmpty())
        return corrupt(QStringLiteral("no <UploadId>"));
    return uploadId;
}

Result<QByteArray> parseEtagResult(const QByteArray &body, const QString &rootName)
{
    const ErrorAnswer error = parseError(body);
    if (!error.code.isEmpty())
        return makeError(ErrorKind::Transient,
                         QStringLiteral("%1 (%2)").arg(error.message, error.code));
    const auto root = parseDocument(body, rootName);
    if (!root)
        return root.error();
    return quotedEtag((*root)->childText(u"ETag").trimmed().toUtf8());
}

QByteArray completeMultipartUploadBody(const QList<Part> &parts)
{
    QByteArray body = "<CompleteMultipartUpload>";
    for (const Part &part : parts)
        body += "<Part><PartNumber>" + QByteArray::number(part.number) + "</PartNumber><ETag>" +
                QString::fromLatin1(part.etag).toHtmlEscaped().toLatin1() + "</ETag></Part>";
    return body + "</CompleteMultipartUpload>";
}

} // namespace steadysync::s3xml
