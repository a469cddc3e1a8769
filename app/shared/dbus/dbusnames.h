#pragma once

#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusObjectPath>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

// Names of Steadysync's D-Bus API (dbus/*.xml, docs/DESIGN.md "D-Bus API"), shared by the
// processes that serve it and the CLI commands that call it.
namespace steadysync::dbus {

inline const QString ServiceName = QStringLiteral("org.steadysync.Steadysync");
inline const QString ManagerPath = QStringLiteral("/org/steadysync/Steadysync");
inline const QString ManagerInterface = QStringLiteral("org.steadysync.Steadysync.Manager");
inline const QString PairInterface = QStringLiteral("org.steadysync.Steadysync.Pair");
inline const QString TimeoutError = QStringLiteral("org.steadysync.Steadysync.Error.Timeout");
inline const QString StoppedError = QStringLiteral("org.steadysync.Steadysync.Error.Stopped");

// The pair id of LOCAL_ROOT/.steadysync/pair-id as D-Bus names may carry it (letters, digits,
// '_'); empty when the folder has none (never set up).
QString readPairId(const QString &localRoot);
// The name the process running the pair owns: one process per pair, as the pair lock is.
QString pairServiceName(const QString &pairId);
QString pairObjectPath(const QString &pairId);

// The session bus, or nullopt when there is none to join: no D-Bus launched on demand (a
// daemon per process under cron or a bare X session), only DBUS_SESSION_BUS_ADDRESS or the
// user bus at $XDG_RUNTIME_DIR/bus.
std::optional<QDBusConnection> sessionBusIfPresent();

// One entry of Manager.ListPairs: (object path, local folder, remote URL).
struct PairListing
{
    QDBusObjectPath path;
    QString localPath;
    QString remoteUrl;
};
using PairListings = QList<PairListing>;

QDBusArgument &operator<<(QDBusArgument &argument, const PairListing &listing);
const QDBusArgument &operator>>(const QDBusArgument &argument, PairListing &listing);

// Once per process, before the types cross the bus.
void registerTypes();

} // namespace steadysync::dbus

Q_DECLARE_METATYPE(steadysync::dbus::PairListing)
