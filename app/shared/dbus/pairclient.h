#pragma once

#include "dbusnames.h"

#include <QDBusMessage>
#include <QVariantList>

#include <optional>

namespace steadysync::dbus {

// The D-Bus object of a pair that a running process serves (the tray app or `watch`), as the
// CLI's status, pause, resume, sync-now, wait and sync reach it.
class PairClient
{
public:
    // The serving process of the pair at localRoot, or nullopt when no process serves it on
    // the session bus (none runs it, the pair was never set up, or there is no session bus).
    static std::optional<PairClient> find(const QString &localRoot);

    // A blocking call (the CLI has nothing else to do meanwhile).
    QDBusMessage call(const QString &method, const QVariantList &arguments = {},
                      int timeoutMs = 25'000) const;
    QString stringProperty(const QString &name) const;
    QString service() const { return m_service; }

private:
    PairClient(const QDBusConnection &bus, const QString &pairId);

    QDBusConnection m_bus;
    QString m_service;
    QString m_path;
};

} // namespace steadysync::dbus
