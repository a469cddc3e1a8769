#include "watchedpair.h"

#include "paironbus.h"

#include <QTest>
#include <QUrl>

namespace steadysync::test {

WatchedPair::~WatchedPair()
{
    stopProcess(m_watch);
}

void WatchedPair::setUpPair()
{
    m_home = std::make_unique<QTemporaryDir>();
    m_local = std::make_unique<QTemporaryDir>();
    m_remote = std::make_unique<QTemporaryDir>();
    m_cli = std::make_unique<CliRunner>(m_home->path()); // with DBUS_SYSTEM_BUS_ADDRESS
}

void WatchedPair::stopWatch()
{
    stopProcess(m_watch);
}

void WatchedPair::startWatch(const QStringList &extra)
{
    m_watch = m_cli->start(QStringList{QStringLiteral("watch"), m_local->path(),
                                       QUrl::fromLocalFile(m_remote->path()).toString(),
                                       QStringLiteral("--debounce-ms"), QStringLiteral("200")} +
                               extra,
                           nullptr);
    m_pairId = pairbus::waitUntilServed(m_local->path(), WatchDeadlineMs);
    QVERIFY2(!m_pairId.isEmpty(), "watch did not serve its pair on the session bus");
}

QString WatchedPair::callPair(const QString &method, const QStringList &arguments) const
{
    return pairbus::call(m_pairId, method, arguments);
}

QString WatchedPair::state() const
{
    return pairbus::state(m_pairId);
}

} // namespace steadysync::test
