#include "dbusnames.h"

#include "fs/reservednames.h"

#include <QDBusMetaType>
#include <QFile>
#include <QFileInfo>

namespace steadysync::dbus {

QString readPairId(const QString &localRoot)
{
    QFile file(ReservedNames::statePath(localRoot, QStringLiteral("pair-id")));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QString id;
    for (const char c : file.read(128).trimmed()) {
        const bool allowed =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        id.append(allowed ? QLatin1Char(c) : QLatin1Char('_'));
    }
    return id;
}

QString pairServiceName(const QString &pairId)
{
    return ServiceName + QStringLiteral(".Pair_") + pairId;
}

QString pairObjectPath(const QString &pairId)
{
    return ManagerPath + QStringLiteral("/Pairs/") + pairId;
}

std::optional<QDBusConnection> sessionBusIfPresent()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
        const QString userBus = qEnvironmentVariable("XDG_RUNTIME_DIR") + QStringLiteral("/bus");
        if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR") || !QFileInfo::exists(userBus))
            return std::nullopt;
        const QDBusConnection bus = QDBusConnection::connectToBus(
            QStringLiteral("unix:path=") + userBus, QStringLiteral("steadysync-user-bus"));
        return bus.isConnected() ? std::optional(bus) : std::nullopt;
    }
    const QDBusConnection bus = QDBusConnection::sessionBus();
    return bus.isConnected() ? std::optional(bus) : std::nullopt;
}

QDBusArgument &operator<<(QDBusArgument &argument, const PairListing &listing)
{
    argument.beginStructure();
    argument << listing.path << listing.localPath << listing.remoteUrl;
    argument.endStructure();
    return argument;
}

const QDBusArgument &operator>>(const QDBusArgument &argument, PairListing &listing)
{
    argument.beginStructure();
    argument >> listing.path >> listing.localPath >> listing.remoteUrl;
    argument.endStructure();
    return argument;
}

void registerTypes()
{
    qRegisterMetaType<QDBusObjectPath>(); // PairAdded and PairRemoved carry one
    qDBusRegisterMetaType<PairListing>();
    qDBusRegisterMetaType<PairListings>();
}

} // namespace steadysync::dbus
