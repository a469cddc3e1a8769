#include "meteredhold.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusReply>
#include <QDBusVariant>
#include <QNetworkInformation>

namespace steadysync {

namespace {

const QString NetworkManager = QStringLiteral("org.freedesktop.NetworkManager");
const QString NetworkManagerPath = QStringLiteral("/org/freedesktop/NetworkManager");
const QString Properties = QStringLiteral("org.freedesktop.DBus.Properties");

// NMMetered: YES and GUESS_YES are metered; UNKNOWN, NO and GUESS_NO are not.
bool meteredValue(uint value)
{
    return value == 1 || value == 3;
}

} // namespace

MeteredConnection *MeteredConnection::instance()
{
    static MeteredConnection *connection = new MeteredConnection(QCoreApplication::instance());
    return connection;
}

MeteredConnection::MeteredConnection(QObject *parent) : QObject(parent)
{
    if (!followNetworkManager())
        followQtNetworkInformation();
}

bool MeteredConnection::followNetworkManager()
{
    QDBusConnection bus = QDBusConnection::systemBus();
    if (!bus.isConnected() || !bus.interface()->isServiceRegistered(NetworkManager).value())
        return false;
    bus.connect(NetworkManager, NetworkManagerPath, Properties, QStringLiteral("PropertiesChanged"),
                this, SLOT(onNetworkManagerChanged(QString, QVariantMap, QStringList)));
    QDBusMessage get = QDBusMessage::createMethodCall(NetworkManager, NetworkManagerPath,
                                                      Properties, QStringLiteral("Get"));
    get << NetworkManager << QStringLiteral("Metered");
    const QDBusReply<QDBusVariant> metered = bus.call(get, QDBus::Block, 2'000);
    m_metered = metered.isValid() && meteredValue(metered.value().variant().toUInt());
    return true;
}

void MeteredConnection::followQtNetworkInformation()
{
    if (!QNetworkInformation::instance() &&
        !QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Metered))
        return; // nothing here knows: never metered
    QNetworkInformation *network = QNetworkInformation::instance();
    connect(network, &QNetworkInformation::isMeteredChanged, this, &MeteredConnection::setMetered);
    m_metered = network->isMetered();
}

void MeteredConnection::onNetworkManagerChanged(const QString &interface,
                                                const QVariantMap &changed, const QStringList &)
{
    if (interface == NetworkManager && changed.contains(QStringLiteral("Metered")))
        setMetered(meteredValue(changed.value(QStringLiteral("Metered")).toUInt()));
}

void MeteredConnection::setMetered(bool metered)
{
    if (m_metered == metered)
        return;
    m_metered = metered;
    Q_EMIT meteredChanged(metered);
}

void holdWhileMetered(Engine *engine, QObject *context)
{
    MeteredConnection *connection = MeteredConnection::instance();
    const auto apply = [engine](bool metered) {
        QMetaObject::invokeMethod(engine, [engine, metered] { engine->setMeteredHold(metered); });
    };
    QObject::connect(connection, &MeteredConnection::meteredChanged, context, apply);
    apply(connection->isMetered());
}

} // namespace steadysync
