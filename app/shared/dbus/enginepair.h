#pragma once

#include "servedpair.h"

namespace steadysync::dbus {

// The facts of a pair whose engine this process runs without the app (`steadysync-cli watch`),
// gathered from the engine's signals as the app's PairSession gathers them.
class EnginePair : public ServedPair
{
    Q_OBJECT
public:
    EnginePair(Engine *engine, const EngineOptions &options, QObject *parent = nullptr);

    Engine *engine() const override { return m_engine; }
    PairFacts facts() const override { return m_facts; }
    QString localRoot() const override { return m_localRoot; }
    QUrl remoteUrl() const override { return m_remoteUrl; }

private:
    void update(const std::function<void(PairFacts &)> &change);

    Engine *m_engine;
    QString m_localRoot;
    QUrl m_remoteUrl;
    PairFacts m_facts;
};

} // namespace steadysync::dbus
