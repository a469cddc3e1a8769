#include "systemdnotifier.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

namespace steadysync {

namespace {

// The watchdog interval systemd asks for, in ms; 0 when none is (or it is meant for another
// process: $WATCHDOG_PID names the main process).
qint64 watchdogIntervalMs()
{
    const qint64 usec = qEnvironmentVariable("WATCHDOG_USEC").toLongLong();
    const QString pid = qEnvironmentVariable("WATCHDOG_PID");
    if (usec <= 0 || (!pid.isEmpty() && pid.toLongLong() != qint64(::getpid())))
        return 0;
    return qMax<qint64>(1, usec / 1000);
}

} // namespace

SystemdNotifier::SystemdNotifier(QObject *parent) : QObject(parent)
{
    m_address = qgetenv("NOTIFY_SOCKET");
    if (m_address.isEmpty() || (m_address.at(0) != '/' && m_address.at(0) != '@') ||
        std::size_t(m_address.size()) >= sizeof(sockaddr_un::sun_path))
        return;
    m_socket = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (m_socket < 0)
        return;
    // Children (none today) must not talk to systemd in our name.
    qunsetenv("NOTIFY_SOCKET");
    if (const qint64 interval = watchdogIntervalMs(); interval > 0) {
        connect(&m_watchdog, &QTimer::timeout, this, [this] { send("WATCHDOG=1"); });
        m_watchdog.start(int(qMin<qint64>(interval / 2, 24 * 3600 * 1000LL)));
    }
}

SystemdNotifier::~SystemdNotifier()
{
    if (m_socket >= 0)
        ::close(m_socket);
}

void SystemdNotifier::ready()
{
    send("READY=1");
}

void SystemdNotifier::stopping()
{
    send("STOPPING=1");
}

void SystemdNotifier::status(const QString &text)
{
    send("STATUS=" + text.toUtf8());
}

void SystemdNotifier::send(const QByteArray &message)
{
    if (m_socket < 0)
        return;
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, m_address.constData(), std::size_t(m_address.size()));
    if (address.sun_path[0] == '@')
        address.sun_path[0] = '\0'; // abstract namespace
    const socklen_t length =
        socklen_t(offsetof(sockaddr_un, sun_path) + std::size_t(m_address.size()));
    // Best effort, as sd_notify: a manager that went away must not stop the sync.
    [[maybe_unused]] const ssize_t sent =
        ::sendto(m_socket, message.constData(), std::size_t(message.size()), MSG_NOSIGNAL,
                 reinterpret_cast<const sockaddr *>(&address), length);
}

} // namespace steadysync
