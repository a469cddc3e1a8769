#include "pairmanager.h"

#include <QUuid>

#include <algorithm>

namespace steadysync {

PairManager::PairManager(PairStore store, QObject *parent)
    : QObject(parent), m_store(std::move(store))
{}

PairManager::~PairManager() = default;

void PairManager::startAll()
{
    for (const PairConfig &config : m_store.load())
        createSession(config, m_sessions.size())->start();
    Q_EMIT sessionsChanged();
}

QVector<PairSession *> PairManager::sessions() const
{
    QVector<PairSession *> sessions;
    for (const auto &session : m_sessions)
        sessions.append(session.get());
    return sessions;
}

PairSession *PairManager::session(const QString &id) const
{
    for (const auto &session : m_sessions) {
        if (session->config().id == id)
            return session.get();
    }
    return nullptr;
}

QVector<PairConfig> PairManager::configs() const
{
    QVector<PairConfig> configs;
    for (const auto &session : m_sessions)
        configs.append(session->config());
    return configs;
}

PairSession *PairManager::addOrUpdate(PairConfig config)
{
    if (config.id.isEmpty())
        config.id = uniqueId();
    const auto existing = std::find_if(m_sessions.begin(), m_sessions.end(),
                                       [&](const auto &s) { return s->config().id == config.id; });
    const std::size_t index = std::size_t(existing - m_sessions.begin());
    if (existing != m_sessions.end())
        m_sessions.erase(existing); // the old engine releases the folder's lock first
    PairSession *session = createSession(config, index);
    save();
    session->start();
    Q_EMIT sessionsChanged();
    return session;
}

void PairManager::remove(const QString &id)
{
    const auto found = std::find_if(m_sessions.begin(), m_sessions.end(),
                                    [&](const auto &s) { return s->config().id == id; });
    if (found == m_sessions.end())
        return;
    m_sessions.erase(found);
    save();
    Q_EMIT sessionsChanged();
}

void PairManager::pauseAll()
{
    for (const auto &session : m_sessions)
        session->pause();
}

void PairManager::resumeAll()
{
    for (const auto &session : m_sessions)
        session->resume();
}

void PairManager::syncAllNow()
{
    for (const auto &session : m_sessions)
        session->syncNow();
}

bool PairManager::allPaused() const
{
    return !m_sessions.empty() &&
           std::all_of(m_sessions.begin(), m_sessions.end(),
                       [](const auto &session) { return session->isPaused(); });
}

PairSession *PairManager::createSession(const PairConfig &config, std::size_t index)
{
    auto owned = std::make_unique<PairSession>(config);
    PairSession *session = owned.get();
    m_sessions.insert(m_sessions.begin() + std::ptrdiff_t(std::min(index, m_sessions.size())),
                      std::move(owned));
    connect(session, &PairSession::statusChanged, this,
            [this, session] { Q_EMIT sessionStatusChanged(session); });
    connect(session, &PairSession::transfersChanged, this,
            [this, session] { Q_EMIT sessionTransfersChanged(session); });
    connect(session, &PairSession::conflictOpened, this,
            [this, session](const QString &path) { Q_EMIT conflictOpened(session, path); });
    connect(
        session, &PairSession::credentialsRequired, this,
        [this, session](const QString &message) { Q_EMIT credentialsRequired(session, message); });
    connect(session, &PairSession::massDeleteBlocked, this,
            [this, session](const MassDeleteVerdict &verdict) {
                Q_EMIT massDeleteBlocked(session, verdict);
            });
    connect(session, &PairSession::newFoldersHeldBack, this,
            [this, session](const QStringList &folders) {
                Q_EMIT newFoldersHeldBack(session, folders);
            });
    return session;
}

void PairManager::save() const
{
    m_store.save(configs());
}

QString PairManager::uniqueId() const
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces).left(8);
}

} // namespace steadysync
