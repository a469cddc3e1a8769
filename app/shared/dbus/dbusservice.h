#pragma once

#include "dbusnames.h"
#include "servedpair.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <optional>

namespace steadysync::dbus {

class ManagerObject;
class PairObject;

// Serves the D-Bus API of the pairs this process runs (DESIGN §12): the manager object under the
// name org.steadysync.Steadysync (queued behind another process that has it) and one object per
// pair under its own name. A pair is served once its engine has set it up (the pair lock held,
// so no other process serves it) until its engine stops or the pair goes away.
class DBusService : public QObject
{
    Q_OBJECT
public:
    // bus: nullopt when there is no session bus; the service then serves nothing.
    DBusService(std::optional<QDBusConnection> bus, const QString &program,
                QObject *parent = nullptr);
    ~DBusService() override;

    bool isConnected() const { return m_bus.has_value(); }
    // pair->engine() must exist; pair may be handed over before or after the engine starts.
    void addPair(ServedPair *pair);
    PairListings listings() const;

Q_SIGNALS:
    void warning(const QString &message);

private:
    void serve(ServedPair *pair);
    void stopServing(ServedPair *pair);

    std::optional<QDBusConnection> m_bus;
    ManagerObject *m_manager = nullptr;
    QHash<ServedPair *, PairObject *> m_objects;
};

} // namespace steadysync::dbus
