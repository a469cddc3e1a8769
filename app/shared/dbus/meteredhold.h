#pragma once

#include "sync/engine.h"

#include <QObject>
#include <QVariantMap>

namespace steadysync {

// Whether the system's connection is metered, one per process. Qt's QNetworkInformation says so
// on every platform; on Linux its NetworkManager backend (Qt 6.4) reports changes of
// NetworkManager's Metered property but never its value at start, so where NetworkManager runs
// the property is read, and its changes followed, here on the system bus.
class MeteredConnection : public QObject
{
    Q_OBJECT
public:
    static MeteredConnection *instance();
    bool isMetered() const { return m_metered; }

Q_SIGNALS:
    void meteredChanged(bool metered);

private Q_SLOTS:
    void onNetworkManagerChanged(const QString &interface, const QVariantMap &changed,
                                 const QStringList &invalidated);

private:
    explicit MeteredConnection(QObject *parent);
    bool followNetworkManager();
    void followQtNetworkInformation();
    void setMetered(bool metered);

    bool m_metered = false;
};

// Holds engine (Engine::setMeteredHold) while the connection is metered, from now until
// context goes, which must go before the engine.
void holdWhileMetered(Engine *engine, QObject *context);

} // namespace steadysync
