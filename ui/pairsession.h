#pragma once

#include "pairconfig.h"
#include "syncstate.h"
#include "sync/cyclereport.h"
#include "sync/enginehost.h"

#include <QObject>

#include <memory>

namespace steadysync {

// One running folder pair: its engine in a worker thread (EngineHost), driven only through
// queued calls, and the latest status it reported. Lives in the GUI thread. The engine is
// created by start(), once the password (if the pair needs one) has come from the keychain.
class PairSession : public QObject
{
    Q_OBJECT
public:
    explicit PairSession(const PairConfig &config, QObject *parent = nullptr);
    ~PairSession() override;

    const PairConfig &config() const { return m_config; }
    const StatusSnapshot &status() const { return m_status; }
    bool isPaused() const { return m_status.state == QStringLiteral("paused"); }
    PairFacts facts() const { return PairFacts{m_status, m_firstCycleDone, m_signInNeeded}; }
    // The pair's one state (syncstate.h): what its card, the tray and notifications show.
    SyncState state() const { return pairState(facts()); }

    void start();
    void syncNow();
    void pause();
    void resume();
    void retryAll();
    void confirmMassDelete();
    void resolveConflict(const QString &path, ConflictChoice choice);

Q_SIGNALS:
    // The status or another fact behind state() changed.
    void statusChanged(const steadysync::StatusSnapshot &status);
    void itemDone(const QString &path, steadysync::ActionKind kind, bool ok,
                  const QString &message);
    void conflictOpened(const QString &path, const QString &conflictCopy);
    void conflictResolved(const QString &path, bool ok, const QString &message);
    void warning(const QString &message);
    void credentialsRequired(const QString &message);
    void massDeleteBlocked(const steadysync::MassDeleteVerdict &verdict);

private:
    void startEngine(const QString &password);
    void invokeEngine(void (Engine::*slot)());
    void onStatusChanged(const StatusSnapshot &status);
    void setSignInNeeded(bool needed);

    PairConfig m_config;
    StatusSnapshot m_status;
    std::unique_ptr<EngineHost> m_host;
    bool m_firstCycleDone = false;
    bool m_signInNeeded = false;
};

} // namespace steadysync
