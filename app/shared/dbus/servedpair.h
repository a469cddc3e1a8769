#pragma once

#include "sync/engine.h"
#include "sync/pairstate.h"

#include <QObject>
#include <QUrl>

namespace steadysync::dbus {

// A pair as the process that runs it knows it, for the D-Bus API: its engine (in a worker
// thread) and the facts the one state model is computed from. The tray app's PairSession and
// `watch`'s EnginePair both provide one, so both serve the same API.
class ServedPair : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // The engine; it must exist when the pair is handed to DBusService.
    virtual Engine *engine() const = 0;
    virtual PairFacts facts() const = 0;
    virtual QString localRoot() const = 0;
    virtual QUrl remoteUrl() const = 0;

Q_SIGNALS:
    // facts() changed (the status, or another fact behind the state).
    void factsChanged();
};

} // namespace steadysync::dbus
