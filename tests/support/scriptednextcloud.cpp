#include "scriptednextcloud.h"

#include <QFile>

namespace steadysync::test {

namespace {

QByteArray recording(const QString &directory, const QString &name)
{
    QFile file(directory + QLatin1Char('/') + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QByteArray json(const QByteArray &body)
{
    return HostileWebDavServer::response(200, body,
                                         {{"Content-Type", "application/json; charset=utf-8"}});
}

} // namespace

ScriptedNextcloud::ScriptedNextcloud(const QString &dataDirectory) : m_dataDirectory(dataDirectory)
{
    m_dav.quirks().ownCloudProperties = true;
    m_dav.quirks().nextcloudFileEtags = true;
    m_dav.addBehaviour(
        {[this](const HostileWebDavServer::Request &request) { return instead(request); }, {}});
}

bool ScriptedNextcloud::start()
{
    return m_dav.start();
}

int ScriptedNextcloud::requestCount(const QByteArray &method)
{
    int count = 0;
    for (const HostileWebDavServer::Request &request : m_dav.http().requests())
        count += method.isEmpty() || request.method == method ? 1 : 0;
    return count;
}

// status.php and the OCS capabilities as Nextcloud 32.0.1 answered them; WebDAV without
// credentials as it does: 401 with a Basic challenge.
std::optional<QByteArray> ScriptedNextcloud::instead(const HostileWebDavServer::Request &request)
{
    const bool credentials = request.header("Authorization").startsWith("Basic ");
    if (request.target == "/status.php")
        return json(recording(m_dataDirectory, QStringLiteral("status.json")));
    if (request.target.startsWith("/ocs/v1.php/cloud/capabilities")) {
        if (!m_capabilitiesAnswered)
            return HostileWebDavServer::response(404);
        return json(recording(m_dataDirectory,
                              credentials ? QStringLiteral("capabilities.json")
                                          : QStringLiteral("capabilities-anonymous.json")));
    }
    if (request.target.startsWith("/dav") && !credentials) {
        ++m_challenges;
        return HostileWebDavServer::response(
            401,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<d:error xmlns:d=\"DAV:\" "
            "xmlns:s=\"http://sabredav.org/ns\"><s:exception>Sabre\\DAV\\Exception\\"
            "NotAuthenticated</s:exception><s:message>No public access to this resource., "
            "No 'Authorization: Basic' header found.</s:message></d:error>",
            {{"WWW-Authenticate", "Basic realm=\"Nextcloud\", charset=\"UTF-8\""},
             {"Content-Type", "application/xml; charset=utf-8"}});
    }
    return std::nullopt;
}

} // namespace steadysync::test
