#include "testremote.h"

#include "webdavserver.h"

#include <QUrl>

namespace steadysync::test {

TestRemote::~TestRemote() = default;

std::unique_ptr<TestRemote> TestRemote::fromEnvironment()
{
    std::unique_ptr<TestRemote> remote(new TestRemote);
    const QString kind = qEnvironmentVariable("STEADYSYNC_TEST_REMOTE", QStringLiteral("file"));
    if (kind == QStringLiteral("file"))
        return remote;
    QStringList known{QStringLiteral("file")};
    for (WebDavServer::Kind candidate : WebDavServer::allKinds()) {
        known.append(WebDavServer::kindName(candidate));
        if (WebDavServer::kindName(candidate) != kind)
            continue;
        QString error;
        remote->m_server = WebDavServer::start(candidate, &error);
        if (!remote->m_server)
            qFatal("cannot start the %s test server: %s", qPrintable(kind), qPrintable(error));
        return remote;
    }
    qFatal("STEADYSYNC_TEST_REMOTE=%s is not one of %s", qPrintable(kind),
           qPrintable(known.join(QStringLiteral(", "))));
}

QString TestRemote::kindName() const
{
    return m_server ? WebDavServer::kindName(m_server->kind()) : QStringLiteral("file");
}

QString TestRemote::url() const
{
    return m_server ? m_server->url().toString()
                    : QUrl::fromLocalFile(m_plainDirectory.path()).toString();
}

QString TestRemote::directory() const
{
    return m_server ? m_server->dataDirectory() : m_plainDirectory.path();
}

QStringList TestRemote::credentialArguments() const
{
    if (!m_server)
        return {};
    return {QStringLiteral("--user"), m_server->user()};
}

QString TestRemote::password() const
{
    return m_server ? m_server->password() : QString();
}

} // namespace steadysync::test
