#include "dbusservice.h"

#include "managerobject.h"
#include "pairobject.h"

#include <QCoreApplication>
#include <QDBusConnectionInterface>

namespace steadysync::dbus {

DBusService::DBusService(std::optional<QDBusConnection> bus, const QString &program,
                         QObject *parent)
    : QObject(parent), m_bus(std::move(bus))
{
    if (!m_bus)
        return;
    registerTypes();
    m_manager = new ManagerObject(
        program, [this] { return listings(); }, this);
    if (!m_bus->registerObject(ManagerPath, m_manager))
        Q_EMIT warning(tr("D-Bus: cannot register %1").arg(ManagerPath));
    // The first process to run pairs owns the name; the others queue and take over in turn.
    m_bus->interface()->registerService(ServiceName, QDBusConnectionInterface::QueueService,
                                        QDBusConnectionInterface::DontAllowReplacement);
}

DBusService::~DBusService()
{
    for (ServedPair *pair : m_objects.keys())
        stopServing(pair);
    if (m_bus) {
        m_bus->unregisterObject(ManagerPath);
        m_bus->interface()->unregisterService(ServiceName);
    }
}

void DBusService::addPair(ServedPair *pair)
{
    if (!m_bus || m_objects.contains(pair))
        return;
    m_objects.insert(pair, nullptr);
    connect(pair, &QObject::destroyed, this, [this, pair] { stopServing(pair); });
    Engine *engine = pair->engine();
    connect(engine, &Engine::stopped, this, [this, pair] { stopServing(pair); });
    // The engine's first status comes once it holds the pair (lock, journal, pair id); if
    // that went by before now, asking the engine tells.
    connect(engine, &Engine::statusChanged, this, [this, pair] { serve(pair); });
    QPointer<DBusService> self(this);
    QPointer<ServedPair> guarded(pair);
    QMetaObject::invokeMethod(engine, [engine, self, guarded] {
        if (!engine->isSetUp())
            return;
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, guarded] {
            if (self && guarded)
                self->serve(guarded);
        });
    });
}

void DBusService::serve(ServedPair *pair)
{
    const auto found = m_objects.find(pair);
    if (found == m_objects.end() || found.value())
        return; // not ours, or served already
    const QString id = readPairId(pair->localRoot());
    if (id.isEmpty()) {
        Q_EMIT warning(tr("D-Bus: %1 has no pair id; not served").arg(pair->localRoot()));
        return;
    }
    auto *object = new PairObject(pair, id, *m_bus, this);
    if (!m_bus->registerObject(object->path(), object)) {
        Q_EMIT warning(tr("D-Bus: cannot register %1").arg(object->path()));
        delete object;
        return;
    }
    if (!m_bus->interface()->registerService(pairServiceName(id),
                                             QDBusConnectionInterface::DontQueueService))
        Q_EMIT warning(tr("D-Bus: another process owns %1").arg(pairServiceName(id)));
    found.value() = object;
    Q_EMIT m_manager->PairAdded(QDBusObjectPath(object->path()));
}

void DBusService::stopServing(ServedPair *pair)
{
    PairObject *object = m_objects.take(pair);
    if (!object)
        return;
    m_bus->interface()->unregisterService(pairServiceName(object->id()));
    m_bus->unregisterObject(object->path());
    Q_EMIT m_manager->PairRemoved(QDBusObjectPath(object->path()));
    delete object;
}

PairListings DBusService::listings() const
{
    PairListings listings;
    for (PairObject *object : m_objects) {
        if (object)
            listings.append(PairListing{QDBusObjectPath(object->path()), object->localPath(),
                                        object->remoteUrl()});
    }
    return listings;
}

} // namespace steadysync::dbus
