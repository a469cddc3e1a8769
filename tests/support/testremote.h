#pragma once

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace steadysync::test {

class WebDavServer;

// The remote that end-to-end tests sync through: a plain directory (file://, the default)
// or a real WebDAV server on loopback, chosen by STEADYSYNC_TEST_REMOTE=file or a
// WebDavServer::kindName() (apache, nginx, rclone, lighttpd, lighttpd-nodb) so that one suite
// proves every kind of remote.
class TestRemote
{
public:
    // Fails the process with a clear message when the requested server cannot start: a
    // suite that silently fell back to file:// would prove nothing about WebDAV.
    static std::unique_ptr<TestRemote> fromEnvironment();
    ~TestRemote();

    QString kindName() const;
    QString url() const;
    QString directory() const;               // where the remote's files live on disk
    QStringList credentialArguments() const; // {"--user", USER} for servers, else empty
    QString password() const;
    bool isWebDav() const { return m_server != nullptr; }

private:
    TestRemote() = default;

    QTemporaryDir m_plainDirectory;
    std::unique_ptr<WebDavServer> m_server;
};

} // namespace steadysync::test
