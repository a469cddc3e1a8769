#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>

namespace steadysync {

// The sd_notify(3) protocol without libsystemd: datagrams to the unix socket systemd names in
// $NOTIFY_SOCKET (a path, or '@' for an abstract name). Type=notify units learn READY=1 from
// ready(); with WatchdogSec= set ($WATCHDOG_USEC), WATCHDOG=1 goes out at half that interval
// from the event loop, so a wedged loop is what the watchdog catches. Without $NOTIFY_SOCKET
// (not started by systemd) everything is a no-op.
class SystemdNotifier : public QObject
{
    Q_OBJECT
public:
    explicit SystemdNotifier(QObject *parent = nullptr);
    ~SystemdNotifier() override;

    bool isActive() const { return m_socket >= 0; }
    void ready();
    void stopping();
    void status(const QString &text);

private:
    void send(const QByteArray &message);

    int m_socket = -1;
    QByteArray m_address;
    QTimer m_watchdog;
};

} // namespace steadysync
