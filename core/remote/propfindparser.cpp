#include "remote/propfindparser.h"

#include "remote/webdavhttp.h"

#include <QSet>
#include <QStringDecoder>
#include <QXmlStreamReader>

namespace steadysync {

namespace {

const QString davNamespace = QStringLiteral("DAV:");
const QString ownCloudNamespace = QStringLiteral("http://owncloud.org/ns");

struct ResponseData
{
    QString href;
    bool hasHref = false;
    bool responseStatusOk = true;
    bool isCollection = false;
    std::optional<qint64> size;
    std::optional<qint64> mtimeNs;
    QByteArray etag;
};

// One propstat's properties, applied only when its status is 2xx.
struct PropstatData
{
    bool statusOk = true;
    bool isCollection = false;
    std::optional<qint64> size;
    std::optional<qint64> mtimeNs;
    QByteArray etag;
    bool hasFileId = false;
};

// "HTTP/1.1 200 OK" -> 200.
int statusCodeOf(const QString &statusLine)
{
    const QStringList parts = statusLine.simplified().split(QLatin1Char(' '));
    return parts.size() >= 2 ? parts.at(1).toInt() : 0;
}

bool isDav(const QXmlStreamReader &xml, QLatin1String name)
{
    return xml.namespaceUri() == davNamespace && xml.name() == name;
}

int defaultPort(const QUrl &url)
{
    return url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0 ? 443 : 80;
}

// The raw (still percent-encoded) path of an href, or nullopt and an error text. An href
// to another server is refused (*why is set) but still yields its path, so that what it
// names on this side can be kept out of the cycle.
std::optional<QString> rawPathOf(const QString &href, const QUrl &requestUrl, QString *why)
{
    QString raw = href.trimmed();
    const qsizetype schemeEnd = raw.indexOf(QLatin1String("://"));
    const qsizetype firstSlash = raw.indexOf(QLatin1Char('/'));
    if (schemeEnd > 0 && (firstSlash < 0 || schemeEnd < firstSlash)) {
        const QUrl absolute(raw, QUrl::StrictMode);
        if (!absolute.isValid()) {
            *why = QStringLiteral("malformed URL");
            return std::nullopt;
        }
        if (absolute.scheme().compare(requestUrl.scheme(), Qt::CaseInsensitive) != 0 ||
            absolute.host().compare(requestUrl.host(), Qt::CaseInsensitive) != 0 ||
            absolute.port(defaultPort(absolute)) != requestUrl.port(defaultPort(requestUrl)))
            *why = QStringLiteral("points to another server");
        const qsizetype pathStart = raw.indexOf(QLatin1Char('/'), schemeEnd + 3);
        raw = pathStart < 0 ? QStringLiteral("/") : raw.mid(pathStart);
    } else if (!raw.startsWith(QLatin1Char('/'))) {
        QString base = QString::fromLatin1(requestUrl.path(QUrl::FullyEncoded).toLatin1());
        base = base.left(base.lastIndexOf(QLatin1Char('/')) + 1);
        raw = base + raw;
    }
    for (qsizetype i = 0; i < raw.size(); ++i) {
        if (raw.at(i) == QLatin1Char('?') || raw.at(i) == QLatin1Char('#')) {
            raw.truncate(i);
            break;
        }
    }
    return raw;
}

// Percent-decodes one segment as UTF-8. Bytes that are not UTF-8 become U+FFFD and clear
// *validUtf8; a literal U+FFFD (EF BF BD) is a character like any other and keeps it set.
QString decodedSegment(const QString &segment, bool *validUtf8)
{
    const QByteArray bytes = QByteArray::fromPercentEncoding(segment.toUtf8());
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless |
                                                     QStringDecoder::Flag::ConvertInitialBom);
    const QString decoded = decoder(bytes);
    if (decoder.hasError() || decoded.toUtf8() != bytes)
        *validUtf8 = false;
    return decoded;
}

// Splits an encoded path into decoded segments, dropping the leading '/'. A trailing '/'
// leaves a final empty segment. %2F stays inside its segment as '/'.
QStringList decodedSegments(const QString &rawPath, bool *validUtf8)
{
    QString path = rawPath;
    if (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    QStringList segments = path.split(QLatin1Char('/'));
    for (QString &segment : segments)
        segment = decodedSegment(segment, validUtf8);
    return segments;
}

QStringList decodedSegments(const QString &rawPath)
{
    bool validUtf8 = true;
    return decodedSegments(rawPath, &validUtf8);
}

QStringList withoutTrailingEmpty(QStringList segments)
{
    if (!segments.isEmpty() && segments.last().isEmpty())
        segments.removeLast();
    return segments;
}

// Unsafe is what could reach outside the root or can name no single local item. Any other
// character is legal, a literal U+FFFD (valid UTF-8 EF BF BD, which a local file may carry
// and which we upload) included; bytes that are not UTF-8 are refused where they are decoded.
QString whyNameIsUnsafe(const QString &name)
{
    if (name.isEmpty())
        return QStringLiteral("empty name");
    if (name == QLatin1String(".") || name == QLatin1String(".."))
        return QStringLiteral("would escape the sync root");
    if (name.contains(QLatin1Char('/')))
        return QStringLiteral("contains '/'");
    if (name.contains(QChar(0)))
        return QStringLiteral("contains NUL");
    return {};
}

// Where a refused member would lie, relative to the listed collection: its segments up to
// the first that is not a safe name by itself ("..", "", one with '/' or NUL). Nothing there
// may look deleted while the server lists it in a form we refuse. nullopt: it names nothing
// inside the collection.
std::optional<QString> pathToKeepFor(const QStringList &rest)
{
    QStringList kept;
    for (const QString &segment : rest) {
        if (!whyNameIsUnsafe(segment).isEmpty())
            break;
        kept.append(segment);
    }
    if (kept.isEmpty())
        return std::nullopt;
    return kept.join(QLatin1Char('/'));
}

class MultistatusReader
{
public:
    MultistatusReader(const QByteArray &body, const QUrl &requestUrl, qsizetype maxEntries,
                      PropfindParser::Members members)
        : m_xml(body), m_requestUrl(requestUrl), m_maxEntries(maxEntries), m_members(members),
          m_base(withoutTrailingEmpty(
              decodedSegments(QString::fromLatin1(requestUrl.path(QUrl::FullyEncoded).toLatin1()))))
    {}

    Result<PropfindListing> read()
    {
        bool sawMultistatus = false;
        while (!m_xml.atEnd()) {
            switch (m_xml.readNext()) {
            case QXmlStreamReader::DTD:
                return corrupt(QStringLiteral("the server's reply declares a DOCTYPE (refused: "
                                              "entity expansion)"));
            case QXmlStreamReader::EntityReference:
                return corrupt(QStringLiteral("the server's reply uses an undeclared entity"));
            case QXmlStreamReader::StartElement:
                if (!sawMultistatus) {
                    if (!isDav(m_xml, QLatin1String("multistatus")))
                        return corrupt(
                            QStringLiteral("the server's reply is not a DAV:multistatus"));
                    sawMultistatus = true;
                } else if (isDav(m_xml, QLatin1String("response"))) {
                    if (auto error = readResponse())
                        return *error;
                } else {
                    m_xml.skipCurrentElement();
                }
                break;
            default:
                break;
            }
        }
        if (m_xml.hasError())
            return corrupt(QStringLiteral("malformed XML in the server's reply (line %1: %2)")
                               .arg(m_xml.lineNumber())
                               .arg(m_xml.errorString()));
        if (!sawMultistatus)
            return corrupt(QStringLiteral("the server's reply is empty"));
        return std::move(m_listing);
    }

private:
    static Error corrupt(const QString &message) { return makeError(ErrorKind::Corrupt, message); }

    std::optional<Error> readResponse()
    {
        ResponseData response;
        while (m_xml.readNextStartElement()) {
            if (isDav(m_xml, QLatin1String("href"))) {
                response.href = m_xml.readElementText(QXmlStreamReader::IncludeChildElements);
                response.hasHref = true;
            } else if (isDav(m_xml, QLatin1String("status"))) {
                const int code = statusCodeOf(m_xml.readElementText());
                response.responseStatusOk = code >= 200 && code < 300;
            } else if (isDav(m_xml, QLatin1String("propstat"))) {
                const PropstatData propstat = readPropstat();
                if (propstat.statusOk) {
                    response.isCollection |= propstat.isCollection;
                    if (propstat.size)
                        response.size = propstat.size;
                    if (propstat.mtimeNs)
                        response.mtimeNs = propstat.mtimeNs;
                    if (!propstat.etag.isEmpty())
                        response.etag = propstat.etag;
                    m_listing.ownCloudFileIdSeen |= propstat.hasFileId;
                }
            } else {
                m_xml.skipCurrentElement();
            }
        }
        if (m_xml.hasError())
            return std::nullopt; // reported by read()
        if (!response.hasHref)
            return corrupt(QStringLiteral("a response in the server's reply has no href"));
        if (!response.responseStatusOk)
            return std::nullopt;
        if (++m_responses > m_maxEntries)
            return corrupt(
                QStringLiteral("the server's listing has more than %1 entries").arg(m_maxEntries));
        accept(response);
        return std::nullopt;
    }

    PropstatData readPropstat()
    {
        PropstatData propstat;
        while (m_xml.readNextStartElement()) {
            if (isDav(m_xml, QLatin1String("prop"))) {
                readProp(&propstat);
            } else if (isDav(m_xml, QLatin1String("status"))) {
                const int code = statusCodeOf(m_xml.readElementText());
                propstat.statusOk = code >= 200 && code < 300;
            } else {
                m_xml.skipCurrentElement();
            }
        }
        return propstat;
    }

    void readProp(PropstatData *propstat)
    {
        while (m_xml.readNextStartElement()) {
            if (isDav(m_xml, QLatin1String("resourcetype"))) {
                while (m_xml.readNextStartElement()) {
                    if (isDav(m_xml, QLatin1String("collection")))
                        propstat->isCollection = true;
                    m_xml.skipCurrentElement();
                }
            } else if (isDav(m_xml, QLatin1String("getcontentlength"))) {
                bool ok = false;
                const qint64 size = m_xml.readElementText().trimmed().toLongLong(&ok);
                if (ok && size >= 0)
                    propstat->size = size;
            } else if (isDav(m_xml, QLatin1String("getlastmodified"))) {
                if (const auto date = webdav::parseHttpDate(m_xml.readElementText().toLatin1()))
                    propstat->mtimeNs = webdav::nanosecondsSinceEpoch(*date);
            } else if (isDav(m_xml, QLatin1String("getetag"))) {
                propstat->etag = m_xml.readElementText().trimmed().toUtf8();
            } else if (m_xml.namespaceUri() == ownCloudNamespace &&
                       m_xml.name() == QLatin1String("fileid")) {
                propstat->hasFileId = !m_xml.readElementText().trimmed().isEmpty();
            } else {
                m_xml.skipCurrentElement();
            }
        }
    }

    void reject(const ResponseData &response, const QString &why,
                const std::optional<QString> &pathToKeep)
    {
        m_listing.rejectedNames.append(response.href + QStringLiteral(": ") + why);
        if (pathToKeep)
            m_listing.rejectedPaths.append(*pathToKeep);
    }

    void accept(const ResponseData &response)
    {
        QString why;
        const std::optional<QString> rawPath = rawPathOf(response.href, m_requestUrl, &why);
        if (!rawPath)
            return reject(response, why, std::nullopt);
        bool validUtf8 = true;
        const QStringList segments = decodedSegments(*rawPath, &validUtf8);
        if (segments.size() < m_base.size() || segments.mid(0, m_base.size()) != m_base)
            return reject(response,
                          why.isEmpty() ? QStringLiteral("lies outside the listed collection")
                                        : why,
                          std::nullopt);
        const QStringList rest = withoutTrailingEmpty(segments.mid(m_base.size()));
        if (!why.isEmpty())
            return reject(response, why, pathToKeepFor(rest));
        if (!validUtf8)
            return reject(response, QStringLiteral("is not valid UTF-8"), pathToKeepFor(rest));

        RemoteEntry entry;
        entry.type = response.isCollection ? ItemType::Directory : ItemType::File;
        entry.size = response.isCollection ? 0 : response.size.value_or(0);
        entry.mtimeNs = response.mtimeNs.value_or(0);
        entry.etag = response.etag;
        if (rest.isEmpty()) {
            if (!m_listing.self)
                m_listing.self = entry;
            return;
        }
        if (rest.size() > 1 && m_members == PropfindParser::Members::Direct) {
            const QString name = rest.join(QLatin1Char('/'));
            if (rest.contains(QStringLiteral("..")) || rest.contains(QStringLiteral(".")))
                return reject(response, QStringLiteral("would escape the sync root"),
                              pathToKeepFor(rest));
            return reject(response,
                          name.contains(QChar(0)) ? QStringLiteral("contains NUL")
                                                  : QStringLiteral("is not a direct member of "
                                                                   "the listed collection"),
                          pathToKeepFor(rest));
        }
        for (const QString &segment : rest) {
            if (const QString unsafe = whyNameIsUnsafe(segment); !unsafe.isEmpty())
                return reject(response, unsafe, pathToKeepFor(rest));
        }
        const QString name = rest.join(QLatin1Char('/'));
        if (m_names.contains(name))
            return reject(response, QStringLiteral("listed twice"), name);
        m_names.insert(name);
        entry.path = name;
        m_listing.children.append(std::move(entry));
    }

    QXmlStreamReader m_xml;
    QUrl m_requestUrl;
    qsizetype m_maxEntries;
    PropfindParser::Members m_members;
    QStringList m_base;
    qsizetype m_responses = 0;
    QSet<QString> m_names;
    PropfindListing m_listing;
};

} // namespace

Result<PropfindListing> PropfindParser::parse(const QByteArray &body, const QUrl &requestUrl,
                                              qsizetype maxEntries, Members members)
{
    if (body.size() > defaultMaxBytes)
        return makeError(ErrorKind::Corrupt,
                         QStringLiteral("the server's listing is larger than %1 MiB")
                             .arg(defaultMaxBytes / (1024 * 1024)));
    return MultistatusReader(body, requestUrl, maxEntries, members).read();
}

} // namespace steadysync
