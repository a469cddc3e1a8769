#include "pairobject.h"

#include "jsonreport.h"
#include "pairadaptor.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace steadysync::dbus {

namespace {

// How often a waiting WaitUntilIdle looks at the engine, and how many quiet looks in a row
// make the pair idle: a file event the kernel has queued but the engine not yet read must
// not let a wait answer before the change is seen.
constexpr int ProbeIntervalMs = 120;
constexpr int QuietProbesNeeded = 2;

} // namespace

PairObject::PairObject(ServedPair *pair, const QString &pairId, const QDBusConnection &bus,
                       QObject *parent)
    : QObject(parent), m_pair(pair), m_bus(bus), m_pairId(pairId)
{
    new PairAdaptor(this);
    m_lastState = state();
    m_probeTimer.setSingleShot(true);
    m_probeTimer.setInterval(ProbeIntervalMs);
    connect(&m_probeTimer, &QTimer::timeout, this, &PairObject::probeIdle);
    connect(pair, &ServedPair::factsChanged, this, &PairObject::onFactsChanged);
    Engine *engine = pair->engine();
    connect(engine, &Engine::conflictOpened, this, &PairObject::ConflictOpened);
    connect(engine, &Engine::itemDone, this,
            [this](const QString &path, ActionKind, bool ok, const QString &message) {
                if (!ok)
                    Q_EMIT ItemFailed(path, message);
            });
    connect(engine, &Engine::cycleFinished, this, [this](const CycleReport &report) {
        if (report.fatal && report.fatal->kind != ErrorKind::Cancelled)
            Q_EMIT SyncFailed(report.fatal->message);
    });
}

PairObject::~PairObject()
{
    for (const Waiter &waiter : std::as_const(m_waiters))
        waiter.connection.send(waiter.call.createErrorReply(
            StoppedError, QStringLiteral("the pair stopped being served")));
}

QString PairObject::path() const
{
    return pairObjectPath(m_pairId);
}

QString PairObject::localPath() const
{
    return m_pair ? m_pair->localRoot() : QString();
}

QString PairObject::remoteUrl() const
{
    return m_pair ? m_pair->remoteUrl().toString(QUrl::RemoveUserInfo) : QString();
}

QString PairObject::state() const
{
    return m_pair ? stateKey(pairState(m_pair->facts())) : QStringLiteral("error");
}

QString PairObject::Status()
{
    if (!m_pair)
        return {};
    const PairFacts facts = m_pair->facts();
    QJsonObject object = cli::statusObject(facts.status);
    object.insert(QStringLiteral("pair_state"), stateKey(pairState(facts)));
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

void PairObject::invokeEngine(void (Engine::*slot)())
{
    if (m_pair)
        QMetaObject::invokeMethod(m_pair->engine(), slot, Qt::QueuedConnection);
}

void PairObject::Pause()
{
    invokeEngine(&Engine::pause);
}

void PairObject::Resume()
{
    invokeEngine(&Engine::resume);
}

void PairObject::SyncNow()
{
    invokeEngine(&Engine::syncNow);
}

void PairObject::Retry()
{
    invokeEngine(&Engine::retryAll);
}

QString PairObject::WaitUntilIdle(uint timeout_ms)
{
    setDelayedReply(true);
    const qint64 deadline =
        timeout_ms == 0 ? 0 : QDateTime::currentMSecsSinceEpoch() + qint64(timeout_ms);
    m_waiters.append(Waiter{message(), connection(), deadline});
    if (!m_probing && !m_probeTimer.isActive())
        probeIdle();
    return {};
}

void PairObject::onFactsChanged()
{
    ++m_generation;
    m_quietProbes = 0;
    const QString now = state();
    if (now == m_lastState)
        return;
    m_lastState = now;
    Q_EMIT StateChanged(now);
    // What busctl monitor and GDBus proxies watch for a property.
    QDBusMessage changed =
        QDBusMessage::createSignal(path(), QStringLiteral("org.freedesktop.DBus.Properties"),
                                   QStringLiteral("PropertiesChanged"));
    changed << PairInterface << QVariantMap{{QStringLiteral("State"), now}} << QStringList();
    m_bus.send(changed);
}

bool PairObject::factsSettled() const
{
    // Paused (by the user or a hold) before any cycle is settled too: nothing runs until then.
    const PairFacts facts = m_pair->facts();
    return (facts.firstCycleDone || facts.status.state == EngineState::Paused) &&
           facts.status.state != EngineState::Syncing;
}

// Asks the engine, on its thread, whether it has work in hand; the answer comes back here.
void PairObject::probeIdle()
{
    answerWaiters(false); // the timed-out ones
    if (m_waiters.isEmpty() || !m_pair)
        return;
    if (!factsSettled()) {
        m_quietProbes = 0;
        m_probeTimer.start();
        return;
    }
    m_probing = true;
    Engine *engine = m_pair->engine();
    const quint64 generation = m_generation;
    QPointer<PairObject> self(this);
    QMetaObject::invokeMethod(engine, [engine, self, generation] {
        const bool busy = engine->hasWorkInHand();
        // Back through the application object, which outlives this object and the engine.
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, busy, generation] {
            if (self)
                self->onProbeAnswer(busy, generation);
        });
    });
}

void PairObject::onProbeAnswer(bool busy, quint64 generation)
{
    m_probing = false;
    if (busy || generation != m_generation)
        m_quietProbes = 0;
    else
        ++m_quietProbes;
    if (m_quietProbes >= QuietProbesNeeded && factsSettled())
        answerWaiters(true);
    if (!m_waiters.isEmpty())
        m_probeTimer.start();
}

// idle: answers every waiter with the state; otherwise only those past their deadline, with
// a Timeout error.
void PairObject::answerWaiters(bool idle)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QString current = state();
    for (auto it = m_waiters.begin(); it != m_waiters.end();) {
        if (idle) {
            it->connection.send(it->call.createReply(current));
        } else if (it->deadlineMs != 0 && now >= it->deadlineMs) {
            it->connection.send(it->call.createErrorReply(
                TimeoutError, QStringLiteral("not idle in time; the pair is %1").arg(current)));
        } else {
            ++it;
            continue;
        }
        it = m_waiters.erase(it);
    }
}

} // namespace steadysync::dbus
