#include "mocknetworkmanager.h"

#include "testutil.h"

#include <QFile>

namespace steadysync::test {

namespace {

const QString Service = QStringLiteral("org.freedesktop.NetworkManager");
const QString Path = QStringLiteral("/org/freedesktop/NetworkManager");

QStringList callArguments(const QString &method)
{
    return {QStringLiteral("call"),          QStringLiteral("--system"),
            QStringLiteral("--dest"),        Service,
            QStringLiteral("--object-path"), Path,
            QStringLiteral("--method"),      QStringLiteral("org.freedesktop.DBus.Mock.") + method};
}

QString meteredValue(MockNetworkManager::Metered metered)
{
    return QStringLiteral("<uint32 %1>").arg(int(metered));
}

} // namespace

MockNetworkManager::~MockNetworkManager()
{
    for (QProcess *process : {&m_networkManager, &m_systemBus}) {
        process->terminate();
        if (!process->waitForFinished(10'000))
            process->kill();
    }
}

bool MockNetworkManager::start(Metered metered, QString *error)
{
    m_systemBus.start(QStringLiteral("dbus-daemon"),
                      {QStringLiteral("--session"), QStringLiteral("--nofork"),
                       QStringLiteral("--print-address=1")});
    if (!m_systemBus.waitForStarted() || !waitFor([&] { return m_systemBus.canReadLine(); })) {
        *error = QStringLiteral("dbus-daemon did not start");
        return false;
    }
    qputenv("DBUS_SYSTEM_BUS_ADDRESS", m_systemBus.readLine().trimmed());
    const QString python = QFile::exists(QStringLiteral("/usr/bin/python3"))
                               ? QStringLiteral("/usr/bin/python3")
                               : QStringLiteral("python3");
    m_networkManager.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_networkManager.start(python, {QStringLiteral("-m"), QStringLiteral("dbusmock"),
                                    QStringLiteral("--system"), QStringLiteral("--template"),
                                    QStringLiteral("networkmanager")});
    const QStringList introspect{QStringLiteral("introspect"),    QStringLiteral("--system"),
                                 QStringLiteral("--dest"),        Service,
                                 QStringLiteral("--object-path"), Path};
    if (!waitFor([&] { return runTool(QStringLiteral("gdbus"), introspect); })) {
        *error = QStringLiteral("python3-dbusmock's networkmanager template did not start");
        return false;
    }
    if (!runTool(QStringLiteral("gdbus"),
                 callArguments(QStringLiteral("AddProperty")) +
                     QStringList{Service, QStringLiteral("Metered"), meteredValue(metered)},
                 error))
        return false;
    return true;
}

bool MockNetworkManager::setMetered(Metered metered)
{
    return runTool(
        QStringLiteral("gdbus"),
        callArguments(QStringLiteral("SetProperty")) +
            QStringList{Path, Service, QStringLiteral("Metered"), meteredValue(metered)});
}

} // namespace steadysync::test
