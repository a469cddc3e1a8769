#pragma once

#include "commandline.h"
#include "dbusservice.h"
#include "enginepair.h"
#include "systemdnotifier.h"

namespace steadysync::cli {

// What a running `watch` offers around its engine (DESIGN §12): the pair's D-Bus API, the hold on
// metered connections (--pause-on-metered), the hold on battery (--pause-on-battery-below), and
// systemd's readiness and watchdog protocol.
// Create it before the engine starts watching; it must go before the engine.
class WatchServices
{
public:
    WatchServices(Engine *engine, const Invocation &invocation);

    void stopping() { m_systemd.stopping(); }

private:
    dbus::DBusService m_bus;
    dbus::EnginePair m_pair;
    SystemdNotifier m_systemd;
};

} // namespace steadysync::cli
