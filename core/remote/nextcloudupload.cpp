#include "remote/nextcloudupload.h"

#include "remote/webdavhttp.h"
#include "remote/webdavsession.h"

#include <QLocale>
#include <QXmlStreamReader>

#include <algorithm>

namespace steadysync {

namespace {

const QString davFiles = QStringLiteral("/remote.php/dav/files/");
const QString oldWebDav = QStringLiteral("/remote.php/webdav/");

QString encoded(const QString &segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

// A chunk that went up faster than this makes the next one twice as large. Each request
// costs Nextcloud a second or more of its own (measured on NC 32 under load: 10 MiB chunks
// took 3-4 s, 103 of them for 1 GiB where 100 MiB chunks would have been 11): the Nextcloud
// desktop client aims at 60 s per chunk.
constexpr qint64 fastChunkMs = 20'000;

} // namespace

std::optional<NextcloudEndpoints> NextcloudEndpoints::of(const QUrl &root, const QString &user)
{
    const QString path = root.path(QUrl::FullyDecoded);
    QString base;
    QString userName;
    QString rest;
    if (const qsizetype at = path.indexOf(davFiles); at >= 0) {
        base = path.left(at) + QStringLiteral("/remote.php/dav/");
        const QString tail = path.mid(at + davFiles.size());
        const qsizetype slash = tail.indexOf(QLatin1Char('/'));
        userName = slash < 0 ? tail : tail.left(slash);
        rest = slash < 0 ? QString() : tail.mid(slash + 1);
    } else if (const qsizetype old = path.indexOf(oldWebDav); old >= 0 && !user.isEmpty()) {
        base = path.left(old) + QStringLiteral("/remote.php/dav/");
        userName = user;
        rest = path.mid(old + oldWebDav.size());
    } else {
        return std::nullopt;
    }
    if (userName.isEmpty())
        return std::nullopt;
    while (rest.endsWith(QLatin1Char('/')))
        rest.chop(1);
    NextcloudEndpoints endpoints;
    QUrl origin = root.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment |
                                QUrl::RemoveUserInfo);
    const auto at = [&](const QString &encodedPath) {
        QUrl url = origin;
        url.setPath(encodedPath, QUrl::TolerantMode);
        return url;
    };
    QString encodedBase;
    for (const QString &segment : base.split(QLatin1Char('/'), Qt::SkipEmptyParts))
        encodedBase += QLatin1Char('/') + encoded(segment);
    encodedBase += QLatin1Char('/');
    endpoints.bulk = at(encodedBase + QStringLiteral("bulk"));
    endpoints.uploadsHome =
        at(encodedBase + QStringLiteral("uploads/") + encoded(userName) + QLatin1Char('/'));
    const QUrl userFiles =
        at(encodedBase + QStringLiteral("files/") + encoded(userName) + QLatin1Char('/'));
    endpoints.filesRoot = rest.isEmpty() ? userFiles : webdav::urlForPath(userFiles, rest, true);
    endpoints.pairFolder = rest;
    return endpoints;
}

QString NextcloudEndpoints::userPath(const QString &path) const
{
    if (pairFolder.isEmpty())
        return QLatin1Char('/') + path;
    return QLatin1Char('/') + pairFolder + QLatin1Char('/') + path;
}

NextcloudUploadState::NextcloudUploadState(WebDavSession *session)
    : QObject(session), m_session(session)
{
    setObjectName(QStringLiteral("steadysync-nextcloud-uploads"));
}

NextcloudUploadState *NextcloudUploadState::of(WebDavSession *session)
{
    if (auto *state = session->findChild<NextcloudUploadState *>(
            QStringLiteral("steadysync-nextcloud-uploads"), Qt::FindDirectChildrenOnly))
        return state;
    return new NextcloudUploadState(session);
}

std::optional<NextcloudEndpoints> NextcloudUploadState::endpoints() const
{
    return NextcloudEndpoints::of(m_session->root(), m_session->options().user);
}

bool NextcloudUploadState::bulkAvailable() const
{
    const ServerCapabilities &server = m_session->capabilities();
    if (m_bulkRefused || !endpoints())
        return false;
    return server.capabilitiesRead ? server.bulkUpload : server.propagatesDirectoryEtags;
}

bool NextcloudUploadState::chunkingAvailable() const
{
    const ServerCapabilities &server = m_session->capabilities();
    if (!endpoints())
        return false;
    return server.capabilitiesRead ? server.chunkingV2 : server.propagatesDirectoryEtags;
}

qint64 NextcloudUploadState::chunkCeiling() const
{
    qint64 ceiling = maxChunkBytes;
    if (const qint64 serverMax = m_session->capabilities().maxChunkSize; serverMax > 0)
        ceiling = std::min(ceiling, serverMax);
    // Below the refused size, with room for the request's head.
    if (m_requestLimit > 0)
        ceiling = std::min(ceiling, m_requestLimit - 64 * 1024);
    return std::max(ceiling, minChunkBytes);
}

bool NextcloudUploadState::wantsChunked(qint64 size) const
{
    return chunkingAvailable() && size > chunkCeiling();
}

bool NextcloudUploadState::learnRequestLimit(qint64 size)
{
    if (m_requestLimit == 0 || size < m_requestLimit)
        m_requestLimit = size;
    m_chunkSize = std::min(m_chunkSize, chunkCeiling());
    return chunkingAvailable();
}

void NextcloudUploadState::chunkSent(qint64 bytes, qint64 elapsedMs)
{
    if (!m_chunkSizeFrozen && bytes >= m_chunkSize && elapsedMs < fastChunkMs)
        m_chunkSize = std::min(m_chunkSize * 2, chunkCeiling());
}

void NextcloudUploadState::chunkTimedOut()
{
    m_chunkSize = std::max(m_chunkSize / 2, minChunkBytes);
}

void NextcloudUploadState::chunkRefused(qint64 bytes)
{
    learnRequestLimit(bytes);
    m_chunkSizeFrozen = true;
    m_chunkSize = std::max(std::min(m_chunkSize, bytes / 2), minChunkBytes);
}

void NextcloudUploadState::learnQuota(const QByteArray &listing)
{
    // The first response is the root itself; its quota is all that is read.
    QXmlStreamReader xml(listing);
    std::optional<qint64> used;
    std::optional<qint64> available;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isEndElement() && xml.name() == QLatin1String("response"))
            break;
        if (!xml.isStartElement() || xml.namespaceUri() != QLatin1String("DAV:"))
            continue;
        const bool isUsed = xml.name() == QLatin1String("quota-used-bytes");
        if (!isUsed && xml.name() != QLatin1String("quota-available-bytes"))
            continue;
        bool ok = false;
        const qint64 value = xml.readElementText().trimmed().toLongLong(&ok);
        if (ok)
            (isUsed ? used : available) = value;
    }
    if (available)
        m_quotaAvailable = *available >= 0 ? *available : -1;
    if (used || available) {
        m_quotaUsedBytes = used;
        m_quotaAvailableAnswer = available;
    }
}

void NextcloudUploadState::quotaUsed(qint64 bytes)
{
    if (m_quotaAvailable >= 0)
        m_quotaAvailable = std::max<qint64>(0, m_quotaAvailable - bytes);
    if (m_quotaUsedBytes && *m_quotaUsedBytes >= 0)
        *m_quotaUsedBytes += bytes;
}

void NextcloudUploadState::quotaExceeded(qint64 bytes)
{
    if (m_quotaAvailable < 0 || m_quotaAvailable >= bytes)
        m_quotaAvailable = std::max<qint64>(0, bytes - 1);
}

std::optional<ServerSpace> NextcloudUploadState::serverSpace() const
{
    std::optional<qint64> available = m_quotaAvailableAnswer;
    if (m_quotaAvailable >= 0) // lowered by uploads and 507s since the listing
        available = m_quotaAvailable;
    return ServerSpace::of(m_quotaUsedBytes, available);
}

std::optional<Error> NextcloudUploadState::quotaHold(const QString &path, qint64 size) const
{
    if (m_quotaAvailable < 0 || size <= m_quotaAvailable)
        return std::nullopt;
    const QLocale c = QLocale::c();
    // DiskFull: the retry queue holds it at its slowest pace, never gives up, and the next
    // listing that shows room lets it go.
    return makeError(
        ErrorKind::DiskFull,
        QStringLiteral("%1: held, it does not fit in the space left on the server "
                       "(%2 needed, %3 free of the account's quota)")
            .arg(path, c.formattedDataSize(size), c.formattedDataSize(m_quotaAvailable)));
}

} // namespace steadysync
