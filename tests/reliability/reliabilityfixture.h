#pragma once

#include "clirunner.h"
#include "faultproxy.h"
#include "webdavserver.h"

#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QStringList>
#include <QTemporaryDir>

#include <functional>
#include <memory>

namespace steadysync::test {

// A real Apache behind a FaultProxy, and a CliRunner whose password reaches it: what every
// reliability scenario drives the real steadysync-cli through. The proxy is served by the
// test's own thread: wait with waitServing(), never with a blocking call.
class ReliabilityFixture
{
public:
    // nullptr (and *error) when Apache does not start or the proxy cannot listen.
    static std::unique_ptr<ReliabilityFixture> start(QString *error);

    FaultProxy &proxy() { return *m_proxy; }
    CliRunner &cli() { return *m_cli; }
    QString remoteUrl() const { return m_proxy->url().toString(); }
    QString serverDirectory() const { return m_server->dataDirectory(); }
    QString home() const { return m_home.path(); }

    // sync/watch arguments for a local folder through the proxy, fast enough for tests.
    QStringList syncArguments(const QString &command, const QString &localRoot,
                              const QStringList &extra = {}) const;
    // The command the CLI runs under from now on (e.g. setpriv and its options, ending in
    // "--"); empty: the CLI runs directly.
    void setLauncher(const QStringList &launcher) { m_launcher = launcher; }
    // Runs the CLI while this thread keeps serving the proxy (CliRunner::run() would block it).
    CliRunner::Outcome run(const QStringList &arguments, int timeoutMs = 300'000) const;
    CliRunner::Outcome sync(const QString &localRoot, const QStringList &extra = {}) const;
    QJsonObject status(const QString &localRoot) const;

private:
    ReliabilityFixture() = default;

    QTemporaryDir m_home;
    std::unique_ptr<WebDavServer> m_server;
    std::unique_ptr<FaultProxy> m_proxy;
    std::unique_ptr<CliRunner> m_cli;
    QStringList m_launcher;
};

// Wraps an expensive condition (reading whole trees) for waitServing(): evaluated at most every
// intervalMs, so that the proxy, served by the same thread, is not starved meanwhile.
std::function<bool()> atMostEvery(int intervalMs, std::function<bool()> condition);
// Every file's content below root counted (directories and .steadysync/ left out).
QHash<QByteArray, int> contentCounts(const QString &root);
// The versions of `written` found in none of `roots` (files, conflict copies, trash folders).
QSet<QByteArray> versionsMissing(const QSet<QByteArray> &written, const QStringList &roots);
// Files whose name looks like an unfinished transfer (temporary or partial names).
QStringList partialNames(const QString &root);
// PRAGMA integrity_check of a journal that no process has open; "ok" when sound.
QString journalIntegrity(const QString &localRoot);

} // namespace steadysync::test
