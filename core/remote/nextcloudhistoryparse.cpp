#include "remote/nextcloudhistoryparse.h"

#include "remote/webdavhttp.h"

#include <QDir>
#include <QUrl>
#include <QXmlStreamReader>

#include <algorithm>

namespace steadysync::nextcloudhistory {

namespace {

const QString davNamespace = QStringLiteral("DAV:");

Error corrupt(const QString &what, const QString &detail)
{
    return makeError(
        ErrorKind::Corrupt,
        QStringLiteral("the server's answer to %1 is not usable: %2").arg(what, detail));
}

QString pathOfHref(const QString &href)
{
    QString path = QUrl(href.trimmed()).path(QUrl::FullyDecoded);
    while (path.size() > 1 && path.endsWith(QLatin1Char('/')))
        path.chop(1);
    return path;
}

// Reads one <propstat>: its properties, kept only when its status is 2xx.
void readPropstat(QXmlStreamReader &xml, DavResponse &response)
{
    QHash<QString, QString> properties;
    bool collection = false;
    bool ok = false;
    while (xml.readNextStartElement()) {
        if (xml.namespaceUri() == davNamespace && xml.name() == QLatin1String("status")) {
            const QStringList parts = xml.readElementText().simplified().split(QLatin1Char(' '));
            ok = parts.size() >= 2 && parts.at(1).startsWith(QLatin1Char('2'));
        } else if (xml.namespaceUri() == davNamespace && xml.name() == QLatin1String("prop")) {
            while (xml.readNextStartElement()) {
                if (xml.name() == QLatin1String("resourcetype")) {
                    while (xml.readNextStartElement()) {
                        collection |= xml.name() == QLatin1String("collection");
                        xml.skipCurrentElement();
                    }
                    continue;
                }
                const QString name = xml.name().toString();
                properties.insert(name, xml.readElementText(QXmlStreamReader::SkipChildElements));
            }
        } else {
            xml.skipCurrentElement();
        }
    }
    if (!ok)
        return;
    response.properties.insert(properties);
    response.collection |= collection;
}

std::optional<DavResponse> readResponse(QXmlStreamReader &xml)
{
    DavResponse response;
    bool hasHref = false;
    while (xml.readNextStartElement()) {
        if (xml.namespaceUri() == davNamespace && xml.name() == QLatin1String("href")) {
            response.path = pathOfHref(xml.readElementText());
            hasHref = !response.path.isEmpty();
        } else if (xml.namespaceUri() == davNamespace && xml.name() == QLatin1String("propstat")) {
            readPropstat(xml, response);
        } else {
            xml.skipCurrentElement();
        }
    }
    if (!hasHref)
        return std::nullopt;
    return response;
}

qint64 epochMsOfHttpDate(const QString &value)
{
    const std::optional<QDateTime> date = webdav::parseHttpDate(value.toLatin1());
    return date ? date->toMSecsSinceEpoch() : -1;
}

qint64 sizeOf(const DavResponse &response)
{
    bool ok = false;
    const qint64 size =
        response.properties.value(QStringLiteral("getcontentlength")).toLongLong(&ok);
    return ok && size >= 0 ? size : -1;
}

// The member's own name inside collectionPath; empty when it is not a direct member.
QString memberName(const DavResponse &response, const QString &collectionPath)
{
    const QString prefix = collectionPath + QLatin1Char('/');
    if (!response.path.startsWith(prefix))
        return {};
    const QString name = response.path.mid(prefix.size());
    return name.contains(QLatin1Char('/')) || name == QStringLiteral("..") ? QString() : name;
}

using MemberEntry = Result<std::optional<ServerHistoryEntry>>;

// The entries readMember(response, name) makes of a listing's members (the collection itself
// left out; nullopt: none for that member), newest first. Corrupt where a member lies outside
// the collection or readMember finds it unusable.
template<typename ReadMember>
Result<QList<ServerHistoryEntry>> entriesOfMembers(const QList<DavResponse> &responses,
                                                   const QString &collectionPath,
                                                   const QString &what, ReadMember readMember)
{
    QList<ServerHistoryEntry> entries;
    for (const DavResponse &response : responses) {
        if (response.path == collectionPath)
            continue;
        const QString name = memberName(response, collectionPath);
        if (name.isEmpty())
            return corrupt(what,
                           QStringLiteral("%1 is not in %2").arg(response.path, collectionPath));
        MemberEntry entry = readMember(response, name);
        if (!entry.ok())
            return entry.error();
        if (entry.value())
            entries.append(std::move(*entry.value()));
    }
    std::sort(entries.begin(), entries.end(),
              [](const auto &a, const auto &b) { return a.timeMs > b.timeMs; });
    return entries;
}

} // namespace

Result<QList<DavResponse>> parseMultistatus(const QByteArray &body, const QString &what)
{
    if (body.size() > maxAnswerBytes)
        return corrupt(what, QStringLiteral("it is larger than %1 MiB").arg(maxAnswerBytes >> 20));
    QXmlStreamReader xml(body);
    if (!xml.readNextStartElement() || xml.namespaceUri() != davNamespace ||
        xml.name() != QLatin1String("multistatus"))
        return corrupt(what, xml.hasError() ? xml.errorString()
                                            : QStringLiteral("it is no WebDAV multistatus"));
    QList<DavResponse> responses;
    while (xml.readNextStartElement()) {
        if (xml.namespaceUri() != davNamespace || xml.name() != QLatin1String("response")) {
            xml.skipCurrentElement();
            continue;
        }
        if (std::optional<DavResponse> response = readResponse(xml))
            responses.append(std::move(*response));
        else if (!xml.hasError())
            return corrupt(what, QStringLiteral("a response without an href"));
    }
    if (xml.hasError())
        return corrupt(what,
                       QStringLiteral("%1 (line %2)").arg(xml.errorString()).arg(xml.lineNumber()));
    return responses;
}

Result<QList<ServerHistoryEntry>> versionsFromListing(const QList<DavResponse> &responses,
                                                      const QString &collectionPath,
                                                      const QString &path, const QString &fileId,
                                                      qint64 currentMtimeMs)
{
    const QString what = QStringLiteral("the versions listing of %1").arg(path);
    return entriesOfMembers(
        responses, collectionPath, what,
        [&](const DavResponse &response, const QString &name) -> MemberEntry {
            ServerHistoryEntry entry;
            entry.kind = ServerHistoryEntry::Kind::Version;
            entry.path = path;
            entry.fileId = fileId;
            entry.versionName = name;
            entry.timeMs =
                epochMsOfHttpDate(response.properties.value(QStringLiteral("getlastmodified")));
            if (entry.timeMs < 0)
                return corrupt(what, QStringLiteral("version %1 has no readable date").arg(name));
            entry.size = sizeOf(response);
            entry.author = response.properties.value(QStringLiteral("version-author"));
            // Nextcloud lists the current content as a version too (its GET is 404).
            if (entry.timeMs / 1000 == currentMtimeMs / 1000)
                return std::optional<ServerHistoryEntry>();
            return std::optional<ServerHistoryEntry>(std::move(entry));
        });
}

QString cleanRelativePath(const QString &given)
{
    QString clean = QDir::cleanPath(given.trimmed());
    if (clean.isEmpty() || clean == QStringLiteral(".") || clean.startsWith(QLatin1Char('/')) ||
        clean == QStringLiteral("..") || clean.startsWith(QStringLiteral("../")))
        return {};
    return clean;
}

Result<QList<ServerHistoryEntry>> trashFromListing(const QList<DavResponse> &responses,
                                                   const QString &collectionPath,
                                                   const QString &rootInHome)
{
    const QString what = QStringLiteral("the trash listing");
    const QString prefix = rootInHome.isEmpty() ? QString() : rootInHome + QLatin1Char('/');
    return entriesOfMembers(
        responses, collectionPath, what,
        [&](const DavResponse &response, const QString &name) -> MemberEntry {
            const auto location =
                response.properties.constFind(QStringLiteral("trashbin-original-location"));
            if (location == response.properties.cend())
                return corrupt(what, QStringLiteral("%1 has no original location").arg(name));
            const QString inHome = cleanRelativePath(*location);
            if (inHome.isEmpty() || !inHome.startsWith(prefix))
                return std::optional<ServerHistoryEntry>(); // outside the pair's root, or nowhere
            ServerHistoryEntry entry;
            entry.kind = ServerHistoryEntry::Kind::Trash;
            entry.path = inHome.mid(prefix.size());
            entry.trashName = name;
            entry.directory = response.collection;
            entry.size = sizeOf(response);
            bool ok = false;
            const qint64 deleted =
                response.properties.value(QStringLiteral("trashbin-deletion-time")).toLongLong(&ok);
            entry.timeMs = ok && deleted > 0 ? deleted * 1000 : 0;
            return std::optional<ServerHistoryEntry>(std::move(entry));
        });
}

} // namespace steadysync::nextcloudhistory

namespace steadysync {

namespace {
const QString versionPrefix = QStringLiteral("server-version:");
const QString trashPrefix = QStringLiteral("server-trash:");
} // namespace

QString ServerHistoryEntry::id() const
{
    return kind == Kind::Version ? versionPrefix + fileId + QLatin1Char(':') + versionName
                                 : trashPrefix + trashName;
}

QString ServerHistoryEntry::reasonName() const
{
    return kind == Kind::Version ? QStringLiteral("server-version")
                                 : QStringLiteral("server-trash");
}

std::optional<ServerHistoryEntry::Id> ServerHistoryEntry::parseId(const QString &id)
{
    if (id.startsWith(trashPrefix) && id.size() > trashPrefix.size())
        return Id{Kind::Trash, {}, id.mid(trashPrefix.size())};
    if (!id.startsWith(versionPrefix))
        return std::nullopt;
    const QString rest = id.mid(versionPrefix.size());
    const qsizetype colon = rest.indexOf(QLatin1Char(':'));
    if (colon <= 0 || colon == rest.size() - 1)
        return std::nullopt;
    return Id{Kind::Version, rest.left(colon), rest.mid(colon + 1)};
}

bool ServerHistoryEntry::matches(const Id &wanted) const
{
    if (wanted.kind != kind)
        return false;
    return kind == Kind::Version ? fileId == wanted.fileId && versionName == wanted.name
                                 : trashName == wanted.name;
}

} // namespace steadysync
