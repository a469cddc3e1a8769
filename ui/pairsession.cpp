#include "pairsession.h"

#include "batteryhold.h"
#include "credentialfetcher.h"
#include "meteredhold.h"
#include "selectionwriter.h"

#include <QDateTime>

#include <utility>

namespace steadysync {

PairSession::PairSession(const PairConfig &config, QObject *parent)
    : QObject(parent), m_config(config)
{}

PairSession::~PairSession()
{
    // stop() only aborts and records the final status; waiting for it lets the journal and
    // the queue be persisted before the thread ends.
    if (m_host)
        QMetaObject::invokeMethod(m_host->engine(), &Engine::stop, Qt::BlockingQueuedConnection);
}

void PairSession::start()
{
    if (m_host)
        return;
    CredentialFetcher::readPassword(m_config, this,
                                    [this](const QString &password, const QString &error) {
                                        if (!error.isEmpty())
                                            Q_EMIT warning(error);
                                        startEngine(password);
                                    });
}

void PairSession::startEngine(const QString &password)
{
    EngineOptions options = m_config.engineOptions();
    options.backend.password = password;
    m_backendOptions = options.backend;
    m_host = std::make_unique<EngineHost>(options);
    Engine *engine = m_host->engine();
    connect(engine, &Engine::statusChanged, this, &PairSession::onStatusChanged);
    connect(engine, &Engine::itemDone, this, &PairSession::itemDone);
    connect(engine, &Engine::itemDone, this, &PairSession::endTransfer);
    connect(engine, &Engine::transferProgress, this, &PairSession::onTransferProgress);
    connect(engine, &Engine::conflictOpened, this, &PairSession::conflictOpened);
    connect(engine, &Engine::conflictResolved, this, &PairSession::conflictResolved);
    connect(engine, &Engine::keptVersionFetched, this, &PairSession::keptVersionFetched);
    connect(engine, &Engine::conflictResolved, this,
            [this](const QString &path, bool ok, const QString &message) {
                if (const auto choice = m_requestedChoices.constFind(path);
                    choice != m_requestedChoices.cend()) {
                    const ConflictChoice chosen = *choice;
                    m_requestedChoices.erase(choice);
                    Q_EMIT resolutionDone(path, chosen, ok, message);
                }
            });
    connect(engine, &Engine::warning, this, &PairSession::warning);
    connect(engine, &Engine::startFailed, this, [this](const QString &message) {
        // The engine could not open its journal, so it publishes no status: this is its state.
        m_status.state = EngineState::Error;
        m_status.lastError = message;
        Q_EMIT statusChanged(m_status);
        Q_EMIT warning(message);
    });
    connect(engine, &Engine::credentialsRequired, this, [this](const QString &message) {
        setSignInNeeded(true);
        Q_EMIT credentialsRequired(message);
    });
    connect(engine, &Engine::cycleFinished, this, &PairSession::onCycleFinished);
    connect(engine, &Engine::remoteReached, this, [this] { setSignInNeeded(false); });
    connect(engine, &Engine::massDeleteBlocked, this, [this](const MassDeleteVerdict &verdict) {
        const bool news = !m_heldDeletion;
        setHeldDeletion(verdict);
        if (news)
            Q_EMIT massDeleteBlocked(verdict);
    });
    connect(engine, &Engine::heldBackChanged, this, &PairSession::setHeldBack);
    connect(engine, &Engine::folderSelectionChanged, this, &PairSession::folderSelectionChanged);
    Q_EMIT engineStarted();
    if (m_config.pauseOnMetered)
        holdWhileMetered(engine, this);
    if (m_config.pauseOnBatteryBelow > 0)
        holdOnLowBattery(engine, int(m_config.pauseOnBatteryBelow), this);
    invokeEngine(&Engine::startWatching);
}

void PairSession::changeFolderSelection(const SelectionChange &change)
{
    if (m_host) {
        Engine *engine = m_host->engine();
        QMetaObject::invokeMethod(
            engine, [engine, change] { engine->changeFolderSelection(change); },
            Qt::QueuedConnection);
        return;
    }
    // No engine yet (the keychain has not answered): the pair's journal is free to write.
    const Result<SelectionOutcome> outcome =
        applySelectionWithoutEngine(m_config.localRoot, change);
    Q_EMIT folderSelectionChanged(outcome.ok() ? *outcome : SelectionOutcome{},
                                  outcome.ok() ? QString() : outcome.error().message);
}

void PairSession::setHeldBack(const QStringList &folders)
{
    QStringList news;
    if (m_heldBackSeen) {
        for (const QString &folder : folders) {
            if (!m_heldBackSeen->contains(folder))
                news.append(folder);
        }
        *m_heldBackSeen += news;
    } else {
        m_heldBackSeen = folders;
    }
    if (folders != m_heldBack) {
        m_heldBack = folders;
        Q_EMIT heldBackChanged(folders);
    }
    if (!news.isEmpty())
        Q_EMIT newFoldersHeldBack(news);
}

void PairSession::syncNow()
{
    invokeEngine(&Engine::syncNow);
}

void PairSession::pause()
{
    invokeEngine(&Engine::pause);
}

void PairSession::resume()
{
    invokeEngine(&Engine::resume);
}

void PairSession::retryAll()
{
    invokeEngine(&Engine::retryAll);
}

void PairSession::confirmMassDelete()
{
    setHeldDeletion(std::nullopt);
    invokeEngine(&Engine::confirmMassDelete);
}

void PairSession::restoreMassDelete()
{
    setHeldDeletion(std::nullopt);
    invokeEngine(&Engine::restoreMassDelete);
}

void PairSession::resolveConflict(const QString &path, ConflictChoice choice)
{
    if (!m_host)
        return;
    Engine *engine = m_host->engine();
    m_requestedChoices.insert(path, choice);
    QMetaObject::invokeMethod(
        engine, [engine, path, choice] { engine->resolveConflict(path, choice); },
        Qt::QueuedConnection);
}

void PairSession::fetchKeptVersion(const VersionEntry &entry)
{
    if (!m_host)
        return Q_EMIT keptVersionFetched(entry.id, {}, tr("the pair is not running"));
    Engine *engine = m_host->engine();
    QMetaObject::invokeMethod(
        engine, [engine, entry] { engine->fetchKeptVersion(entry); }, Qt::QueuedConnection);
}

void PairSession::invokeEngine(void (Engine::*slot)())
{
    if (m_host)
        QMetaObject::invokeMethod(m_host->engine(), slot, Qt::QueuedConnection);
}

void PairSession::onStatusChanged(const StatusSnapshot &status)
{
    m_status = status;
    // Transfers run only in a cycle: a paused, offline or idle pair moves nothing.
    const bool transfersEnded = status.state != EngineState::Syncing && !m_transfers.isEmpty();
    if (transfersEnded)
        m_transfers.clear();
    Q_EMIT statusChanged(status);
    if (transfersEnded)
        Q_EMIT transfersChanged();
}

void PairSession::onTransferProgress(const QString &path, bool upload, qint64 bytesDone,
                                     qint64 bytesTotal)
{
    m_transfers.update(path, upload, bytesDone, bytesTotal, QDateTime::currentMSecsSinceEpoch());
    Q_EMIT transfersChanged();
}

void PairSession::endTransfer(const QString &path)
{
    m_transfers.finish(path);
    Q_EMIT transfersChanged();
}

QVector<TransferProgress::Transfer> PairSession::shownTransfers() const
{
    return m_transfers.shown(QDateTime::currentMSecsSinceEpoch());
}

void PairSession::onCycleFinished(const CycleReport &report)
{
    // A cycle that was not held back ends the question (the files came back, say).
    if (!report.massDelete)
        setHeldDeletion(std::nullopt);
    if (!std::exchange(m_firstCycleDone, true))
        Q_EMIT statusChanged(m_status);
}

void PairSession::setHeldDeletion(const std::optional<MassDeleteVerdict> &verdict)
{
    if (!verdict && !m_heldDeletion)
        return;
    m_heldDeletion = verdict;
    Q_EMIT statusChanged(m_status);
}

void PairSession::setSignInNeeded(bool needed)
{
    if (m_signInNeeded == needed)
        return;
    m_signInNeeded = needed;
    Q_EMIT statusChanged(m_status);
}

} // namespace steadysync
