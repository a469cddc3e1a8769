#include "watchservices.h"

#include "batteryhold.h"
#include "clioutput.h"
#include "meteredhold.h"

namespace steadysync::cli {

WatchServices::WatchServices(Engine *engine, const Invocation &invocation)
    : m_bus(dbus::sessionBusIfPresent(), QStringLiteral("steadysync-cli watch")),
      m_pair(engine, invocation.engine)
{
    if (!invocation.quiet)
        QObject::connect(&m_bus, &dbus::DBusService::warning, &m_bus, [](const QString &message) {
            printLine(stderr, QStringLiteral("warning: %1").arg(message));
        });
    m_bus.addPair(&m_pair); // served once the engine holds the pair
    if (invocation.pauseOnMetered)
        holdWhileMetered(engine, &m_pair);
    if (invocation.pauseOnBatteryBelow > 0)
        holdOnLowBattery(engine, int(invocation.pauseOnBatteryBelow), &m_pair);
    // A unit of Type=notify is ready once the first cycle ended, whatever its outcome (an
    // offline server is waited for); its watchdog hears from this event loop.
    QObject::connect(engine, &Engine::cycleFinished, &m_systemd, &SystemdNotifier::ready,
                     Qt::SingleShotConnection);
}

} // namespace steadysync::cli
