#pragma once

#include <QProcess>

namespace steadysync::test {

// python3-dbusmock's NetworkManager template on a private system bus that this object starts
// (DBUS_SYSTEM_BUS_ADDRESS is set for this process and the processes it starts from then on),
// with the Metered property Qt's QNetworkInformation reads, which the template lacks.
class MockNetworkManager
{
public:
    enum Metered { Yes = 1, No = 2 }; // NetworkManager's NMMetered

    ~MockNetworkManager();
    // Starts both; false (and the reason in *error) when either does not come up.
    bool start(Metered metered, QString *error);
    bool setMetered(Metered metered);

private:
    QProcess m_systemBus;
    QProcess m_networkManager;
};

} // namespace steadysync::test
