#pragma once

#include "quirkydavserver.h"

#include <QByteArray>
#include <QString>

namespace steadysync::test {

// A Nextcloud 32 as its sync clients see it, in memory (CI cannot run Nextcloud): a
// QuirkyDavServer with ownCloud's properties (oc:fileid, oc:permissions, collection ETags that
// change with anything below them, file ETags from size and mtime), every WebDAV request
// refused with Nextcloud's Basic challenge unless it carries credentials, and status.php and
// the OCS capabilities answered with what a real Nextcloud 32.0.1 answered, recorded once in
// tests/data/nextcloud32/ (an anonymous caller gets the anonymous recording). It counts the
// requests per method (PROPFIND, GET of status.php...).
class ScriptedNextcloud
{
public:
    // dataDirectory: tests/data/nextcloud32 (STEADYSYNC_NEXTCLOUD32_DATA in the tests).
    explicit ScriptedNextcloud(const QString &dataDirectory);

    bool start();
    QUrl url() const { return m_dav.url(); } // http://127.0.0.1:PORT/dav/
    QuirkyDavServer &dav() { return m_dav; }
    // Requests so far with this method ("PROPFIND"), or all of them.
    int requestCount(const QByteArray &method = {});
    // How many of them were answered 401.
    int challengesSent() const { return m_challenges; }
    // Only the status.php answer: as an ownCloud/Nextcloud without the OCS capabilities.
    void setCapabilitiesAnswered(bool answered) { m_capabilitiesAnswered = answered; }

private:
    std::optional<QByteArray> instead(const HostileWebDavServer::Request &request);

    QString m_dataDirectory;
    QuirkyDavServer m_dav;
    int m_challenges = 0;
    bool m_capabilitiesAnswered = true;
};

} // namespace steadysync::test
