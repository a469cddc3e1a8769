#include "batteryhold.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusReply>
#include <QDBusVariant>

#include <optional>

namespace steadysync {

namespace {

const QString UPower = QStringLiteral("org.freedesktop.UPower");
const QString UPowerPath = QStringLiteral("/org/freedesktop/UPower");
const QString Device = QStringLiteral("org.freedesktop.UPower.Device");
const QString DisplayDevicePath = QStringLiteral("/org/freedesktop/UPower/devices/DisplayDevice");
const QString PowerProfiles = QStringLiteral("net.hadess.PowerProfiles");
const QString PowerProfilesPath = QStringLiteral("/net/hadess/PowerProfiles");
const QString Properties = QStringLiteral("org.freedesktop.DBus.Properties");

std::optional<QVariant> readProperty(const QString &service, const QString &path,
                                     const QString &interface, const QString &name)
{
    QDBusMessage get =
        QDBusMessage::createMethodCall(service, path, Properties, QStringLiteral("Get"));
    get << interface << name;
    const QDBusReply<QDBusVariant> reply =
        QDBusConnection::systemBus().call(get, QDBus::Block, 2'000);
    if (!reply.isValid())
        return std::nullopt;
    return reply.value().variant();
}

} // namespace

PowerSource *PowerSource::instance()
{
    static PowerSource *source = new PowerSource(QCoreApplication::instance());
    return source;
}

PowerSource::PowerSource(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<steadysync::PowerFacts>();
    if (!QDBusConnection::systemBus().isConnected())
        return; // nothing here knows: on mains
    follow(UPower, UPowerPath);
    follow(UPower, DisplayDevicePath);
    follow(PowerProfiles, PowerProfilesPath);
    readInitialFacts();
}

void PowerSource::follow(const QString &service, const QString &path)
{
    QDBusConnection::systemBus().connect(
        service, path, Properties, QStringLiteral("PropertiesChanged"), this,
        SLOT(onPropertiesChanged(QString, QVariantMap, QStringList)));
}

void PowerSource::readInitialFacts()
{
    QDBusConnectionInterface *bus = QDBusConnection::systemBus().interface();
    if (bus->isServiceRegistered(UPower).value()) {
        if (const auto onBattery =
                readProperty(UPower, UPowerPath, UPower, QStringLiteral("OnBattery")))
            take(UPower, QStringLiteral("OnBattery"), *onBattery);
        if (const auto charge =
                readProperty(UPower, DisplayDevicePath, Device, QStringLiteral("Percentage")))
            take(Device, QStringLiteral("Percentage"), *charge);
    }
    if (bus->isServiceRegistered(PowerProfiles).value()) {
        if (const auto profile = readProperty(PowerProfiles, PowerProfilesPath, PowerProfiles,
                                              QStringLiteral("ActiveProfile")))
            take(PowerProfiles, QStringLiteral("ActiveProfile"), *profile);
    }
}

bool PowerSource::take(const QString &interface, const QString &name, const QVariant &value)
{
    if (interface == UPower && name == QStringLiteral("OnBattery"))
        m_facts.onBattery = value.toBool();
    else if (interface == Device && name == QStringLiteral("Percentage"))
        m_facts.percentage = value.toDouble();
    else if (interface == PowerProfiles && name == QStringLiteral("ActiveProfile"))
        m_facts.powerSaver = value.toString() == QStringLiteral("power-saver");
    else
        return false;
    return true;
}

void PowerSource::onPropertiesChanged(const QString &interface, const QVariantMap &changed,
                                      const QStringList &)
{
    // Only the display device is followed on the Device interface, so a Percentage is its own.
    bool any = false;
    for (auto it = changed.cbegin(); it != changed.cend(); ++it)
        any = take(interface, it.key(), it.value()) || any;
    if (any)
        Q_EMIT factsChanged(m_facts);
}

void holdOnLowBattery(Engine *engine, int thresholdPercent, QObject *context)
{
    PowerSource *source = PowerSource::instance();
    const auto apply = [engine, thresholdPercent](const PowerFacts &facts) {
        const bool held = holdsForPower(facts, thresholdPercent);
        QMetaObject::invokeMethod(engine, [engine, held] { engine->setBatteryHold(held); });
    };
    QObject::connect(source, &PowerSource::factsChanged, context, apply);
    apply(source->facts());
}

} // namespace steadysync
