#include "mockpowerservices.h"

#include "testutil.h"

#include <QFile>

namespace steadysync::test {

namespace {

const QString UPower = QStringLiteral("org.freedesktop.UPower");
const QString UPowerPath = QStringLiteral("/org/freedesktop/UPower");
const QString DisplayDevicePath = QStringLiteral("/org/freedesktop/UPower/devices/DisplayDevice");
const QString PowerProfiles = QStringLiteral("net.hadess.PowerProfiles");
const QString PowerProfilesPath = QStringLiteral("/net/hadess/PowerProfiles");

// Properties.Set of dbusmock's objects sets the value and emits PropertiesChanged.
bool setProperty(const QString &service, const QString &path, const QString &interface,
                 const QString &name, const QString &value)
{
    return runTool(QStringLiteral("gdbus"),
                   {QStringLiteral("call"), QStringLiteral("--system"), QStringLiteral("--dest"),
                    service, QStringLiteral("--object-path"), path, QStringLiteral("--method"),
                    QStringLiteral("org.freedesktop.DBus.Properties.Set"), interface, name, value});
}

} // namespace

MockPowerServices::~MockPowerServices()
{
    for (QProcess *process : {&m_upower, &m_powerProfiles, &m_systemBus}) {
        process->terminate();
        if (!process->waitForFinished(10'000))
            process->kill();
    }
}

bool MockPowerServices::start(QString *error)
{
    m_systemBus.start(QStringLiteral("dbus-daemon"),
                      {QStringLiteral("--session"), QStringLiteral("--nofork"),
                       QStringLiteral("--print-address=1")});
    if (!m_systemBus.waitForStarted() || !waitFor([&] { return m_systemBus.canReadLine(); })) {
        *error = QStringLiteral("dbus-daemon did not start");
        return false;
    }
    qputenv("DBUS_SYSTEM_BUS_ADDRESS", m_systemBus.readLine().trimmed());
    return startServices(error);
}

bool MockPowerServices::startServices(QString *error)
{
    return startTemplate(m_upower, QStringLiteral("upower"), UPower, UPowerPath, error) &&
           startTemplate(m_powerProfiles, QStringLiteral("power_profiles_daemon"), PowerProfiles,
                         PowerProfilesPath, error) &&
           setPercentage(80.0);
}

bool MockPowerServices::startTemplate(QProcess &process, const QString &name,
                                      const QString &service, const QString &path, QString *error)
{
    const QString python = QFile::exists(QStringLiteral("/usr/bin/python3"))
                               ? QStringLiteral("/usr/bin/python3")
                               : QStringLiteral("python3");
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(python, {QStringLiteral("-m"), QStringLiteral("dbusmock"),
                           QStringLiteral("--system"), QStringLiteral("--template"), name});
    const QStringList introspect{QStringLiteral("introspect"),    QStringLiteral("--system"),
                                 QStringLiteral("--dest"),        service,
                                 QStringLiteral("--object-path"), path};
    if (!waitFor([&] { return runTool(QStringLiteral("gdbus"), introspect); })) {
        *error = QStringLiteral("python3-dbusmock's %1 template did not start").arg(name);
        return false;
    }
    return true;
}

bool MockPowerServices::setOnBattery(bool onBattery)
{
    return setProperty(UPower, UPowerPath, UPower, QStringLiteral("OnBattery"),
                       onBattery ? QStringLiteral("<true>") : QStringLiteral("<false>"));
}

bool MockPowerServices::setPercentage(double percentage)
{
    return setProperty(UPower, DisplayDevicePath, QStringLiteral("org.freedesktop.UPower.Device"),
                       QStringLiteral("Percentage"), QStringLiteral("<double %1>").arg(percentage));
}

bool MockPowerServices::setPowerSaver(bool powerSaver)
{
    return setProperty(
        PowerProfiles, PowerProfilesPath, PowerProfiles, QStringLiteral("ActiveProfile"),
        powerSaver ? QStringLiteral("<'power-saver'>") : QStringLiteral("<'balanced'>"));
}

} // namespace steadysync::test
