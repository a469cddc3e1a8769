#include "remote/propfindparser.h"

#include "remote/strictxmlreader.h"

#include "remote/propfindhref.h"
#include "remote/webdavhttp.h"

#include <QHash>
#include <QXmlStreamReader>

namespace steadysync {

using namespace propfindhref;

namespace {

const QString davNamespace = QStringLiteral("DAV:");
const QString ownCloudNamespace = QStringLiteral("http://owncloud.org/ns");

struct ResponseData
{
    QString href;
    bool hasHref = false;
    int responseStatus = 200; // of the whole response (a <status> outside any propstat)
    bool typeKnown = false;   // a resourcetype came with a 2xx status
    bool isCollection = false;
    QString displayName; // only to name a member whose href cannot be read
    std::optional<qint64> size;
    std::optional<qint64> quotaUsed;
    std::optional<qint64> mtimeNs;
    QByteArray etag;
    QByteArray fileId;
    RemotePermissions permissions;
    QByteArray sha256;
};

// One propstat's properties, applied only when its status is 2xx.
struct PropstatData
{
    bool statusOk = true;
    bool typeKnown = false;
    bool isCollection = false;
    QString displayName;
    std::optional<qint64> size;
    std::optional<qint64> quotaUsed;
    std::optional<qint64> mtimeNs;
    QByteArray etag;
    QByteArray fileId;
    std::optional<RemotePermissions> permissions;
    QByteArray sha256;
};

// The SHA-256 among ownCloud's checksums ("SHA1:… MD5:… SHA256:…", space-separated or one
// oc:checksum element each), as lowercase hex; empty where there is none or it is malformed.
QByteArray sha256OfChecksums(const QString &checksums)
{
    const qsizetype start = checksums.indexOf(QLatin1String("SHA256:"), 0, Qt::CaseInsensitive);
    if (start < 0)
        return {};
    const QByteArray hex = checksums.mid(start + 7, 64).toLatin1().toLower();
    return isSha256Hex(hex) ? hex : QByteArray();
}

// "HTTP/1.1 200 OK" -> 200.
int statusCodeOf(const QString &statusLine)
{
    const QStringList parts = statusLine.simplified().split(QLatin1Char(' '));
    return parts.size() >= 2 ? parts.at(1).toInt() : 0;
}

template<typename Xml> bool isDav(const Xml &xml, QLatin1String name)
{
    return xml.namespaceUri() == davNamespace && xml.name() == name;
}

template<typename T> void takeIfGiven(std::optional<T> *into, const std::optional<T> &given)
{
    if (given)
        *into = given;
}

template<typename Text> void takeIfGiven(Text *into, const Text &given)
{
    if (!given.isEmpty())
        *into = given;
}

// A 2xx propstat's properties onto its response: what a later propstat says wins.
void mergePropstat(ResponseData *response, const PropstatData &propstat)
{
    response->typeKnown |= propstat.typeKnown;
    response->isCollection |= propstat.isCollection;
    takeIfGiven(&response->displayName, propstat.displayName);
    takeIfGiven(&response->size, propstat.size);
    takeIfGiven(&response->quotaUsed, propstat.quotaUsed);
    takeIfGiven(&response->mtimeNs, propstat.mtimeNs);
    takeIfGiven(&response->etag, propstat.etag);
    takeIfGiven(&response->fileId, propstat.fileId);
    if (propstat.permissions)
        response->permissions = *propstat.permissions;
    takeIfGiven(&response->sha256, propstat.sha256);
}

// A non-negative integer property (a size in bytes); nullopt where it is not one.
std::optional<qint64> nonNegativeOf(const QString &text)
{
    bool ok = false;
    const qint64 value = text.trimmed().toLongLong(&ok);
    return ok && value >= 0 ? std::optional<qint64>(value) : std::nullopt;
}

// Xml: QXmlStreamReader, or StrictXmlReader (the fast path, see parse()).
template<typename Xml> class MultistatusReader
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
                response.responseStatus = code;
            } else if (isDav(m_xml, QLatin1String("propstat"))) {
                const PropstatData propstat = readPropstat();
                if (propstat.statusOk) {
                    mergePropstat(&response, propstat);
                    m_listing.ownCloudFileIdSeen |= !propstat.fileId.isEmpty();
                }
            } else {
                m_xml.skipCurrentElement();
            }
        }
        if (m_xml.hasError())
            return std::nullopt; // reported by read()
        if (!response.hasHref)
            return corrupt(QStringLiteral("a response in the server's reply has no href"));
        if (response.responseStatus == 404)
            return std::nullopt; // gone since the request: absent indeed

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
            if (m_xml.namespaceUri() == davNamespace)
                readDavProperty(propstat);
            else if (m_xml.namespaceUri() == ownCloudNamespace)
                readOwnCloudProperty(propstat);
            else
                m_xml.skipCurrentElement();
        }
    }

    // One DAV: property of a prop element (the reader stands on its start).
    void readDavProperty(PropstatData *propstat)
    {
        const auto name = m_xml.name();
        if (name == QLatin1String("resourcetype")) {
            propstat->typeKnown = true;
            propstat->isCollection |= readIsCollection();
        } else if (name == QLatin1String("getcontentlength")) {
            takeIfGiven(&propstat->size, nonNegativeOf(m_xml.readElementText()));
        } else if (name == QLatin1String("quota-used-bytes")) {
            takeIfGiven(&propstat->quotaUsed, nonNegativeOf(m_xml.readElementText()));
        } else if (name == QLatin1String("getlastmodified")) {
            if (const auto date = webdav::parseHttpDate(m_xml.readElementText().toLatin1()))
                propstat->mtimeNs = webdav::nanosecondsSinceEpoch(*date);
        } else if (name == QLatin1String("displayname")) {
            propstat->displayName = m_xml.readElementText().trimmed();
        } else if (name == QLatin1String("getetag")) {
            propstat->etag = m_xml.readElementText().trimmed().toUtf8();
        } else {
            m_xml.skipCurrentElement();
        }
    }

    // A resourcetype's children: whether one is DAV:collection.
    bool readIsCollection()
    {
        bool collection = false;
        while (m_xml.readNextStartElement()) {
            collection |= isDav(m_xml, QLatin1String("collection"));
            m_xml.skipCurrentElement();
        }
        return collection;
    }

    // One property of ownCloud's namespace (http://owncloud.org/ns).
    void readOwnCloudProperty(PropstatData *propstat)
    {
        const auto name = m_xml.name();
        if (name == QLatin1String("fileid")) {
            propstat->fileId = m_xml.readElementText().trimmed().toUtf8();
        } else if (name == QLatin1String("permissions")) {
            propstat->permissions =
                RemotePermissions::fromOwnCloud(m_xml.readElementText().trimmed());
        } else if (name == QLatin1String("checksums")) {
            propstat->sha256 =
                sha256OfChecksums(m_xml.readElementText(QXmlStreamReader::IncludeChildElements));
        } else {
            m_xml.skipCurrentElement();
        }
    }

    void reject(const ResponseData &response, const QString &why,
                const std::optional<QString> &pathToKeep)
    {
        m_listing.rejectedNames.append(response.href + QStringLiteral(": ") + why);
        if (pathToKeep)
            m_listing.rejectedPaths.append(*pathToKeep);
    }

    // An empty href resolves to the listed collection itself (RFC 3986 §5.2.2): whatever member
    // the server meant is not that, so it is reported, by its displayname where it gives one
    // (what lies under that name here is then left alone), and never read as the collection.
    void rejectEmptyHref(const ResponseData &response)
    {
        const QString name = response.displayName;
        const bool usable = !name.isEmpty() && whyNameIsUnsafe(name).isEmpty() &&
                            m_members == PropfindParser::Members::Direct;
        QString collection = m_requestUrl.path(QUrl::FullyEncoded);
        if (!collection.endsWith(QLatin1Char('/')))
            collection += QLatin1Char('/');
        m_listing.rejectedNames.append(
            name.isEmpty()
                ? collection + QStringLiteral(": a member with an empty href, which would name "
                                              "the listed collection itself")
                : collection + QString::fromLatin1(QUrl::toPercentEncoding(name)) +
                      QStringLiteral(": empty href (named by its displayname), which would name "
                                     "the listed collection itself"));
        if (usable)
            m_listing.rejectedPaths.append(name);
        else
            m_listing.unnamedMembers = true;
    }

    // "%41.txt" is "A.txt" to a decoder, but no encoder escapes a letter or digit: the server
    // more likely sent a file really called "%41.txt" without encoding it (as it does '#').
    // Either guess could make a file look deleted, so the member is reported and both names
    // are left alone here.
    void rejectAmbiguous(const ResponseData &response, const QStringList &decoded,
                         const QStringList &literal)
    {
        reject(response,
               QStringLiteral("ambiguous name: an escape stands for a letter or digit, so the "
                              "server may have sent the name unencoded"),
               pathToKeepFor(decoded));
        if (const std::optional<QString> path = pathToKeepFor(literal))
            m_listing.rejectedPaths.append(*path);
    }

    // What the member is. A resourcetype refused per member (404/403 propstat) is never read
    // as "a file": the href's trailing '/' says collection, a content length says file, and
    // with neither it is unknown.
    static std::optional<ItemType> typeOf(const ResponseData &response, const QString &rawPath)
    {
        if (response.typeKnown)
            return response.isCollection ? ItemType::Directory : ItemType::File;
        if (rawPath.endsWith(QLatin1Char('/')))
            return ItemType::Directory;
        if (response.size)
            return ItemType::File;
        return std::nullopt;
    }

    static RemoteEntry entryOf(const ResponseData &response, ItemType type)
    {
        RemoteEntry entry;
        entry.type = type;
        entry.size = type == ItemType::Directory ? 0 : response.size.value_or(0);
        if (type == ItemType::Directory && response.quotaUsed)
            entry.treeBytes = *response.quotaUsed;
        entry.mtimeNs = response.mtimeNs.value_or(0); // 0: no usable date (never written)
        entry.etag = response.etag;
        entry.fileId = response.fileId;
        entry.permissions = response.permissions;
        entry.sha256 = response.sha256;
        return entry;
    }

    void accept(const ResponseData &response)
    {
        if (response.href.trimmed().isEmpty())
            return rejectEmptyHref(response);
        QString why;
        const std::optional<QString> rawPath = rawPathOf(response.href, m_requestUrl, &why);
        if (!rawPath)
            return reject(response, why, std::nullopt);
        bool validUtf8 = true;
        const bool literal = wasNotPercentEncoded(response.href);
        const QStringList segments = decodedSegments(*rawPath, literal, &validUtf8);
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
        if (!literal && rawPath->contains(QLatin1Char('%'))) {
            const QStringList rawRest =
                withoutTrailingEmpty(rawPath->mid(1).split(QLatin1Char('/')).mid(m_base.size()));
            if (escapesAlphanumeric(rawRest))
                return rejectAmbiguous(response, rest, rawRest);
        }
        const std::optional<ItemType> type = typeOf(response, *rawPath);
        const bool refused = response.responseStatus < 200 || response.responseStatus >= 300;
        if (rest.isEmpty()) {
            if (!refused)
                acceptSelf(response, type);
            return;
        }
        // A member the server will not describe (403 and the like) is there, not absent.
        if (refused)
            return reject(response,
                          QStringLiteral("the server refused to describe it (HTTP %1)")
                              .arg(response.responseStatus),
                          pathToKeepFor(rest));
        if (const QString unsafe = whyMemberIsRefused(rest); !unsafe.isEmpty())
            return reject(response, unsafe, pathToKeepFor(rest));
        if (!type)
            return reject(response,
                          QStringLiteral("the server did not say whether it is a file or a "
                                         "folder"),
                          pathToKeepFor(rest));
        // A LOCK of a path that does not exist leaves a "lock-null" member until its UNLOCK or
        // timeout (Apache: no size, date or ETag; GET answers 404): no file, for no client. (A
        // stat of the path itself still shows it: the writer holding the lock tells it apart.)
        if (response.typeKnown && !response.isCollection && !response.size && !response.mtimeNs &&
            response.etag.isEmpty())
            return;
        acceptMember(response, rest.join(QLatin1Char('/')), entryOf(response, *type));
    }

    // The collection itself may be listed more than once ("/dav/docs" and "/dav/docs/"); the
    // first answer counts, one that disagrees about what it is gets reported.
    void acceptSelf(const ResponseData &response, const std::optional<ItemType> &type)
    {
        if (!type)
            return;
        if (!m_listing.self) {
            m_listing.self = entryOf(response, *type);
        } else if (m_listing.self->type != *type) {
            reject(response,
                   QStringLiteral("names the listed collection itself, as another kind of item"),
                   std::nullopt);
        }
    }

    QString whyMemberIsRefused(const QStringList &rest) const
    {
        if (rest.size() > 1 && m_members == PropfindParser::Members::Direct) {
            if (rest.contains(QStringLiteral("..")) || rest.contains(QStringLiteral(".")))
                return QStringLiteral("would escape the sync root");
            return rest.join(QLatin1Char('/')).contains(QChar(0))
                       ? QStringLiteral("contains NUL")
                       : QStringLiteral("is not a direct member of the listed collection");
        }
        for (const QString &segment : rest) {
            if (QString unsafe = whyNameIsUnsafe(segment); !unsafe.isEmpty())
                return unsafe;
        }
        return {};
    }

    // A member listed twice is one item: the same answer again is dropped; a different one is
    // reported and its path left alone, as neither answer can be trusted.
    void acceptMember(const ResponseData &response, const QString &name, RemoteEntry entry)
    {
        entry.path = name;
        if (const auto known = m_names.constFind(name); known != m_names.cend()) {
            if (m_listing.children.at(*known) != entry)
                reject(response, QStringLiteral("listed twice, differently"), name);
            return;
        }
        m_names.insert(name, m_listing.children.size());
        m_listing.children.append(std::move(entry));
    }

    Xml m_xml;
    QUrl m_requestUrl;
    qsizetype m_maxEntries;
    PropfindParser::Members m_members;
    QStringList m_base;
    qsizetype m_responses = 0;
    QHash<QString, qsizetype> m_names; // name -> index in m_listing.children
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
    // What the strict reader takes it reads several times faster; anything else, and every
    // error, is read again by QXmlStreamReader, whose answer is the one given (issue 21).
    Result<PropfindListing> fast =
        MultistatusReader<StrictXmlReader>(body, requestUrl, maxEntries, members).read();
    if (fast.ok())
        return fast;
    return MultistatusReader<QXmlStreamReader>(body, requestUrl, maxEntries, members).read();
}

} // namespace steadysync
