#pragma once

#include "sync/engine.h"
#include "sync/powerhold.h"

#include <QObject>
#include <QVariantMap>

namespace steadysync {

// The machine's power as UPower (on battery, the display device's charge) and
// power-profiles-daemon (the power-saver profile) tell it on the system bus, one per process.
// A service that is not there says nothing: on mains, full, no power-saver.
class PowerSource : public QObject
{
    Q_OBJECT
public:
    static PowerSource *instance();
    PowerFacts facts() const { return m_facts; }

Q_SIGNALS:
    void factsChanged(const steadysync::PowerFacts &facts);

private Q_SLOTS:
    void onPropertiesChanged(const QString &interface, const QVariantMap &changed,
                             const QStringList &invalidated);

private:
    explicit PowerSource(QObject *parent);
    void follow(const QString &service, const QString &path);
    void readInitialFacts();
    // Takes what a property says into the facts; false when it is none of the three.
    bool take(const QString &interface, const QString &name, const QVariant &value);

    PowerFacts m_facts;
};

// Holds engine (Engine::setBatteryHold) while holdsForPower(facts, thresholdPercent), from now
// until context goes, which must go before the engine.
void holdOnLowBattery(Engine *engine, int thresholdPercent, QObject *context);

} // namespace steadysync
