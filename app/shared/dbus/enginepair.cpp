#include "enginepair.h"

namespace steadysync::dbus {

EnginePair::EnginePair(Engine *engine, const EngineOptions &options, QObject *parent)
    : ServedPair(parent), m_engine(engine), m_localRoot(options.localRoot),
      m_remoteUrl(options.remoteUrl)
{
    connect(engine, &Engine::statusChanged, this, [this](const StatusSnapshot &status) {
        update([&](PairFacts &facts) { facts.status = status; });
    });
    connect(engine, &Engine::cycleFinished, this, [this](const CycleReport &report) {
        update([&](PairFacts &facts) {
            facts.firstCycleDone = true;
            if (!report.massDelete)
                facts.deletionHeld = false; // a cycle that was not held back ends the question
        });
    });
    connect(engine, &Engine::credentialsRequired, this,
            [this] { update([](PairFacts &facts) { facts.signInNeeded = true; }); });
    connect(engine, &Engine::remoteReached, this,
            [this] { update([](PairFacts &facts) { facts.signInNeeded = false; }); });
    connect(engine, &Engine::massDeleteBlocked, this,
            [this] { update([](PairFacts &facts) { facts.deletionHeld = true; }); });
}

void EnginePair::update(const std::function<void(PairFacts &)> &change)
{
    change(m_facts);
    Q_EMIT factsChanged();
}

} // namespace steadysync::dbus
