#include "remote/nextcloudhistory.h"

#include "remote/nextcloudcapabilities.h"
#include "remote/nextcloudhistoryparse.h"
#include "remote/webdavhttp.h"
#include "remote/webdavsession.h"

#include <QEventLoop>
#include <QFile>
#include <QNetworkReply>
#include <QSslCertificate>

namespace steadysync {

using namespace nextcloudhistory;

namespace {

const QString davMarker = QStringLiteral("/remote.php/dav/");
const QString legacyMarker = QStringLiteral("/remote.php/webdav");

QByteArray propfindBody(const QByteArray &properties)
{
    return "<?xml version=\"1.0\"?><d:propfind xmlns:d=\"DAV:\" "
           "xmlns:oc=\"http://owncloud.org/ns\" xmlns:nc=\"http://nextcloud.org/ns\"><d:prop>" +
           properties + "</d:prop></d:propfind>";
}

const QByteArray fileProperties =
    "<oc:fileid/><d:getlastmodified/><d:getcontentlength/><d:resourcetype/>";
const QByteArray versionProperties = "<d:getlastmodified/><d:getcontentlength/><d:getetag/>"
                                     "<nc:version-label/><nc:version-author/>";
const QByteArray trashProperties =
    "<nc:trashbin-filename/><nc:trashbin-original-location/><nc:trashbin-deletion-time/>"
    "<d:getcontentlength/><d:resourcetype/><oc:fileid/>";

webdav::Method methodOf(const QByteArray &verb)
{
    if (verb == "PROPFIND")
        return webdav::Method::Propfind;
    if (verb == "MOVE")
        return webdav::Method::Move;
    return webdav::Method::Get;
}

qint64 epochMsOfDate(const QString &value)
{
    const std::optional<QDateTime> date = webdav::parseHttpDate(value.toLatin1());
    return date ? date->toMSecsSinceEpoch() : -1;
}

QString trimmedPath(QString path)
{
    while (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    return path;
}

} // namespace

std::unique_ptr<NextcloudHistory> NextcloudHistory::forRemote(const QUrl &filesRoot,
                                                              const BackendOptions &options)
{
    if (filesRoot.scheme() != QLatin1String("http") && filesRoot.scheme() != QLatin1String("https"))
        return nullptr;
    const QString path = filesRoot.path(QUrl::FullyDecoded);
    QString user;
    QString rest;
    qsizetype marker = path.indexOf(davMarker + QStringLiteral("files/"));
    if (marker >= 0) {
        rest = path.mid(marker + davMarker.size() + 6);
        user = rest.section(QLatin1Char('/'), 0, 0);
        rest = rest.section(QLatin1Char('/'), 1);
    } else if ((marker = path.indexOf(legacyMarker)) >= 0) {
        user = options.user;
        rest = path.mid(marker + legacyMarker.size());
    } else {
        return nullptr;
    }
    if (user.isEmpty())
        return nullptr;
    QUrl base = filesRoot.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
    base.setPath(path.left(marker) + davMarker);
    return std::unique_ptr<NextcloudHistory>(
        new NextcloudHistory(base, user, trimmedPath(rest), options));
}

NextcloudHistory::NextcloudHistory(const QUrl &davBase, const QString &user,
                                   const QString &rootInHome, const BackendOptions &options)
    : m_davBase(davBase), m_user(user), m_rootInHome(rootInHome)
{
    QList<QSslCertificate> certificates;
    if (!options.caCertFile.isEmpty()) {
        certificates = QSslCertificate::fromPath(options.caCertFile, QSsl::Pem);
        if (certificates.isEmpty())
            certificates = QSslCertificate::fromPath(options.caCertFile, QSsl::Der);
    }
    m_session = std::make_unique<WebDavSession>(davBase, options, certificates);
}

NextcloudHistory::~NextcloudHistory() = default;

QUrl NextcloudHistory::collectionUrl(const QString &collection, const QString &relative,
                                     bool directory) const
{
    const QString path = collection + QLatin1Char('/') + m_user +
                         (relative.isEmpty() ? QString() : QLatin1Char('/') + relative);
    return webdav::urlForPath(m_davBase, path, directory);
}

QString NextcloudHistory::pathInHome(const QString &path) const
{
    if (m_rootInHome.isEmpty())
        return path;
    return path.isEmpty() ? m_rootInHome : m_rootInHome + QLatin1Char('/') + path;
}

QUrl NextcloudHistory::filesUrl(const QString &path, bool directory) const
{
    return collectionUrl(QStringLiteral("files"), pathInHome(path), directory);
}

Result<NextcloudHistory::Response>
NextcloudHistory::exchange(const QByteArray &verb, const QUrl &url,
                           const QList<std::pair<QByteArray, QByteArray>> &headers,
                           const QByteArray &body, const QString &what, const QString &toFile)
{
    WebDavSession::Request request{verb, url, headers, body, nullptr};
    // Up front: the capabilities are public, and answered without credentials they lack what
    // the user's files offer (files.versioning, files.undelete), with no 401 to tell.
    const BackendOptions &options = m_session->options();
    if (!options.user.isEmpty())
        request.headers.append(
            {"Authorization",
             "Basic " + (options.user + QLatin1Char(':') + options.password).toUtf8().toBase64()});
    for (int attempt = 0;; ++attempt) {
        QFile file(toFile);
        if (!toFile.isEmpty() && !file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return makeError(ErrorKind::Permanent,
                             QStringLiteral("cannot write %1: %2").arg(toFile, file.errorString()));
        QNetworkReply *reply = m_session->send(request, true);
        Response response;
        bool tooLarge = false;
        bool writeFailed = false;
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::readyRead, reply, [&] {
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (!toFile.isEmpty() && status >= 200 && status < 300) {
                writeFailed |= file.write(reply->readAll()) < 0;
                return;
            }
            response.body += reply->readAll();
            if (response.body.size() > maxAnswerBytes && !tooLarge) {
                tooLarge = true;
                reply->abort();
            }
        });
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        reply->deleteLater();
        response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (attempt == 0 && m_session->resendAfterChallenge(reply))
            continue;
        if (tooLarge)
            return makeError(ErrorKind::Corrupt,
                             QStringLiteral("the server's answer to %1 is too large").arg(what));
        if (std::optional<Error> error = m_session->errorOf(reply, methodOf(verb), what))
            return *error;
        if (writeFailed || (!toFile.isEmpty() && !file.flush()))
            return makeError(ErrorKind::Permanent,
                             QStringLiteral("cannot write %1: %2").arg(toFile, file.errorString()));
        return response;
    }
}

Result<ServerHistoryFeatures> NextcloudHistory::features()
{
    const Result<Response> answer =
        exchange("GET", nextcloud::capabilitiesUrl(m_davBase), {{"OCS-APIRequest", "true"}}, {},
                 QStringLiteral("the server's capabilities"));
    if (!answer) {
        // A server without OCS (plain WebDAV) keeps nothing of its own to show.
        const bool absent = answer.error().kind == ErrorKind::NotFound ||
                            answer.error().kind == ErrorKind::Permanent;
        if (absent)
            return ServerHistoryFeatures{};
        return answer.error();
    }
    // The same reading as the pair's own probe (webdav::probeServerOnce); an answer that is
    // no OCS capabilities offers nothing.
    ServerCapabilities capabilities;
    if (!nextcloud::readCapabilities(answer->body, &capabilities))
        return ServerHistoryFeatures{};
    return ServerHistoryFeatures{capabilities.versions, capabilities.trashbin};
}

Result<std::optional<NextcloudHistory::Item>> NextcloudHistory::stat(const QString &path)
{
    const Result<Response> answer = exchange("PROPFIND", filesUrl(path, false), {{"Depth", "0"}},
                                             propfindBody(fileProperties), path);
    if (!answer) {
        if (answer.error().kind == ErrorKind::NotFound)
            return std::optional<Item>();
        return answer.error();
    }
    const Result<QList<DavResponse>> responses = parseMultistatus(answer->body, path);
    if (!responses)
        return responses.error();
    if (responses->isEmpty())
        return makeError(
            ErrorKind::Corrupt,
            QStringLiteral("the server's answer to a PROPFIND of %1 is empty").arg(path));
    return std::optional<Item>(Item{responses->first().collection});
}

Result<QList<ServerHistoryEntry>> NextcloudHistory::versionsOf(const QString &path)
{
    const Result<Response> answer = exchange("PROPFIND", filesUrl(path, false), {{"Depth", "0"}},
                                             propfindBody(fileProperties), path);
    if (!answer)
        return answer.error();
    const Result<QList<DavResponse>> responses = parseMultistatus(answer->body, path);
    if (!responses)
        return responses.error();
    if (responses->isEmpty() || responses->first().collection)
        return QList<ServerHistoryEntry>();
    const DavResponse &file = responses->first();
    const QString fileId = file.properties.value(QStringLiteral("fileid")).trimmed();
    if (fileId.isEmpty())
        return QList<ServerHistoryEntry>(); // a server that names no file ids keeps no versions
    const std::optional<QDateTime> modified =
        webdav::parseHttpDate(file.properties.value(QStringLiteral("getlastmodified")).toLatin1());
    return versionsOfFileId(path, fileId, modified ? modified->toMSecsSinceEpoch() : -1);
}

Result<QList<ServerHistoryEntry>> NextcloudHistory::versionsOfFileId(const QString &path,
                                                                     const QString &fileId,
                                                                     qint64 currentMtimeMs)
{
    if (fileId.contains(QLatin1Char('/')) || fileId == QStringLiteral(".."))
        return makeError(ErrorKind::Corrupt,
                         QStringLiteral("the server gave %1 an unusable file id").arg(path));
    const QUrl url =
        collectionUrl(QStringLiteral("versions"), QStringLiteral("versions/") + fileId, true);
    const QString what = QStringLiteral("the versions of %1").arg(path);
    const Result<Response> answer =
        exchange("PROPFIND", url, {{"Depth", "1"}}, propfindBody(versionProperties), what);
    if (!answer) {
        if (answer.error().kind == ErrorKind::NotFound)
            return QList<ServerHistoryEntry>(); // no versions kept
        return answer.error();
    }
    const Result<QList<DavResponse>> responses = parseMultistatus(answer->body, what);
    if (!responses)
        return responses.error();
    return versionsFromListing(*responses,
                               trimmedPath(url.path(QUrl::FullyDecoded)).prepend(QLatin1Char('/')),
                               path, fileId, currentMtimeMs);
}

Result<QList<ServerHistoryEntry>> NextcloudHistory::versionsIn(const QString &folder, int maxFiles,
                                                               int *leftOut)
{
    *leftOut = 0;
    const Result<Response> answer = exchange("PROPFIND", filesUrl(folder, true), {{"Depth", "1"}},
                                             propfindBody(fileProperties), folder);
    if (!answer)
        return answer.error();
    const Result<QList<DavResponse>> responses = parseMultistatus(answer->body, folder);
    if (!responses)
        return responses.error();
    const QString folderPath = trimmedPath(filesUrl(folder, true).path(QUrl::FullyDecoded));
    QList<ServerHistoryEntry> entries;
    int asked = 0;
    for (const DavResponse &member : *responses) {
        const QString memberPath = trimmedPath(member.path);
        if (member.collection || !memberPath.startsWith(folderPath + QLatin1Char('/')))
            continue;
        const QString name = memberPath.mid(folderPath.size() + 1);
        const QString fileId = member.properties.value(QStringLiteral("fileid")).trimmed();
        if (name.contains(QLatin1Char('/')) || fileId.isEmpty())
            continue;
        if (asked++ >= maxFiles) {
            ++*leftOut;
            continue;
        }
        const QString path = folder.isEmpty() ? name : folder + QLatin1Char('/') + name;
        const qint64 modified =
            epochMsOfDate(member.properties.value(QStringLiteral("getlastmodified")));
        Result<QList<ServerHistoryEntry>> versions = versionsOfFileId(path, fileId, modified);
        if (!versions)
            return versions.error();
        entries += *versions;
    }
    return entries;
}

Result<QList<ServerHistoryEntry>> NextcloudHistory::trash()
{
    const QUrl url = collectionUrl(QStringLiteral("trashbin"), QStringLiteral("trash"), true);
    const QString what = QStringLiteral("the server's trash");
    const Result<Response> answer =
        exchange("PROPFIND", url, {{"Depth", "1"}}, propfindBody(trashProperties), what);
    if (!answer)
        return answer.error();
    const Result<QList<DavResponse>> responses = parseMultistatus(answer->body, what);
    if (!responses)
        return responses.error();
    return trashFromListing(
        *responses, QLatin1Char('/') + trimmedPath(url.path(QUrl::FullyDecoded)), m_rootInHome);
}

Status NextcloudHistory::download(const ServerHistoryEntry &entry, const QString &localFile)
{
    const bool version = entry.kind == ServerHistoryEntry::Kind::Version;
    const QUrl url =
        version
            ? collectionUrl(QStringLiteral("versions"),
                            QStringLiteral("versions/%1/%2").arg(entry.fileId, entry.versionName),
                            false)
            : collectionUrl(QStringLiteral("trashbin"), QStringLiteral("trash/") + entry.trashName,
                            false);
    const Result<Response> answer = exchange(
        "GET", url, {}, {}, QStringLiteral("%1 (%2)").arg(entry.path, entry.id()), localFile);
    if (!answer) {
        QFile::remove(localFile);
        return answer.error();
    }
    return success();
}

Status NextcloudHistory::restoreFromTrash(const ServerHistoryEntry &entry)
{
    const QUrl from = collectionUrl(QStringLiteral("trashbin"),
                                    QStringLiteral("trash/") + entry.trashName, entry.directory);
    const QUrl to = collectionUrl(QStringLiteral("trashbin"),
                                  QStringLiteral("restore/") + entry.trashName, entry.directory);
    // No "Overwrite: F": Nextcloud's restore collection claims every name and answers it 412
    // (trash-restore-overwrite-f.http); the caller checked that the place is free.
    const Result<Response> answer = exchange("MOVE", from, {{"Destination", to.toEncoded()}}, {},
                                             QStringLiteral("%1 (%2)").arg(entry.path, entry.id()));
    if (!answer)
        return answer.error();
    return success();
}

} // namespace steadysync
