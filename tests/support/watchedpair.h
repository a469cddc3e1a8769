#pragma once

#include "clirunner.h"

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace steadysync::test {

// A file:// pair synced by a `steadysync-cli watch` process that serves it on the session bus
// (paironbus.h), for tests of what holds a running pair (battery, metered network). A test
// class derives from it beside QObject and uses the members as its own.
class WatchedPair
{
protected:
    static constexpr int WatchDeadlineMs = 60'000;

    ~WatchedPair();

    // Fresh home, local and remote folders, and a CliRunner living in that home; call in init().
    void setUpPair();
    // Ends the watch process, if any; call in cleanup().
    void stopWatch();
    // `watch LOCAL file://REMOTE --debounce-ms 200 EXTRA`, until it serves the pair on the
    // session bus (fails the test when it does not within WatchDeadlineMs).
    void startWatch(const QStringList &extra);
    // A method of the pair's D-Bus object through gdbus (pairbus::call), and its State.
    QString callPair(const QString &method, const QStringList &arguments = {}) const;
    QString state() const;

    std::unique_ptr<QTemporaryDir> m_home, m_local, m_remote;
    std::unique_ptr<CliRunner> m_cli;
    QProcess *m_watch = nullptr;
    QString m_pairId;
};

} // namespace steadysync::test
