#pragma once

#include <QProcess>

namespace steadysync::test {

// python3-dbusmock's upower and power_profiles_daemon templates on a private system bus that
// this object starts (DBUS_SYSTEM_BUS_ADDRESS is set for this process and the processes it
// starts from then on). The properties change as a laptop's would, with PropertiesChanged.
class MockPowerServices
{
public:
    ~MockPowerServices();
    // Starts the bus and both services; false (and the reason in *error) when one does not
    // come up. Starts on mains, at 80 %, in the balanced profile.
    bool start(QString *error);
    // Only the services, on the system bus this process already uses (another mock's).
    bool startServices(QString *error);
    bool setOnBattery(bool onBattery);
    bool setPercentage(double percentage);
    bool setPowerSaver(bool powerSaver);

private:
    bool startTemplate(QProcess &process, const QString &name, const QString &service,
                       const QString &path, QString *error);

    QProcess m_systemBus;
    QProcess m_upower;
    QProcess m_powerProfiles;
};

} // namespace steadysync::test
