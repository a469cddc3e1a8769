#include "pairclient.h"

#include <QDBusConnectionInterface>
#include <QDBusReply>
#include <QDBusVariant>

namespace steadysync::dbus {

PairClient::PairClient(const QDBusConnection &bus, const QString &pairId)
    : m_bus(bus), m_service(pairServiceName(pairId)), m_path(pairObjectPath(pairId))
{}

std::optional<PairClient> PairClient::find(const QString &localRoot)
{
    const QString id = readPairId(localRoot);
    if (id.isEmpty())
        return std::nullopt;
    const std::optional<QDBusConnection> bus = sessionBusIfPresent();
    if (!bus)
        return std::nullopt;
    const QDBusReply<bool> served = bus->interface()->isServiceRegistered(pairServiceName(id));
    if (!served.isValid() || !served.value())
        return std::nullopt;
    return PairClient(*bus, id);
}

QDBusMessage PairClient::call(const QString &method, const QVariantList &arguments,
                              int timeoutMs) const
{
    QDBusMessage message = QDBusMessage::createMethodCall(m_service, m_path, PairInterface, method);
    message.setArguments(arguments);
    return m_bus.call(message, QDBus::Block, timeoutMs);
}

QString PairClient::stringProperty(const QString &name) const
{
    QDBusMessage message = QDBusMessage::createMethodCall(
        m_service, m_path, QStringLiteral("org.freedesktop.DBus.Properties"),
        QStringLiteral("Get"));
    message << PairInterface << name;
    const QDBusReply<QDBusVariant> reply = m_bus.call(message);
    return reply.isValid() ? reply.value().variant().toString() : QString();
}

} // namespace steadysync::dbus
