#pragma once

#include "pairconfig.h"
#include "sync/cyclereport.h"
#include "sync/enginehost.h"
#include "syncstate.h"
#include "transferprogress.h"

#include <QHash>
#include <QObject>

#include <memory>
#include <optional>

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
    bool isPaused() const { return m_status.state == EngineState::Paused; }
    PairFacts facts() const
    {
        return PairFacts{m_status, m_firstCycleDone, m_signInNeeded, m_heldDeletion.has_value()};
    }
    // The pair's one state (syncstate.h): what its card, the tray and notifications show.
    SyncState state() const { return pairState(facts()); }

    void start();
    // The engine, from the moment start() created it (engineStarted()); nullptr before.
    Engine *engine() const { return m_host ? m_host->engine() : nullptr; }
    void syncNow();
    void pause();
    void resume();
    void retryAll();
    // The answers to a held mass deletion: carry it out, or copy the files back.
    void confirmMassDelete();
    void restoreMassDelete();
    // The mass deletion the engine holds back until the user decides, if any.
    const std::optional<MassDeleteVerdict> &heldDeletion() const { return m_heldDeletion; }
    void resolveConflict(const QString &path, ConflictChoice choice);
    // Brings a version kept on the server into the local store through the running engine
    // (its backend has the pair's credentials); answered by keptVersionFetched().
    void fetchKeptVersion(const VersionEntry &entry);
    // The remote's options the engine was started with (its password too); empty before.
    const BackendOptions &backendOptions() const { return m_backendOptions; }
    // The files moving now for a few seconds or longer, with bytes, speed and time left.
    QVector<TransferProgress::Transfer> shownTransfers() const;
    // Selective sync: new large remote folders waiting for the user's choice, and a change of
    // the selection (through the engine while it runs, else straight into the journal).
    const QStringList &heldBackFolders() const { return m_heldBack; }
    void changeFolderSelection(const SelectionChange &change);
    void acceptHeldFolder(const QString &folder) { changeFolderSelection({{folder}, {}}); }
    void keepHeldFolderExcluded(const QString &folder) { changeFolderSelection({{}, {folder}}); }

Q_SIGNALS:
    // The engine exists (engine()) and is about to start watching.
    void engineStarted();
    // The status or another fact behind state() changed.
    void statusChanged(const steadysync::StatusSnapshot &status);
    void itemDone(const QString &path, steadysync::ActionKind kind, bool ok,
                  const QString &message);
    void conflictOpened(const QString &path, const QString &conflictCopy);
    void conflictResolved(const QString &path, bool ok, const QString &message);
    void keptVersionFetched(qint64 id, const QByteArray &sha256, const QString &error);
    // A resolution asked through resolveConflict() ended, with the choice it carried out.
    void resolutionDone(const QString &path, steadysync::ConflictChoice choice, bool ok,
                        const QString &message);
    void warning(const QString &message);
    // A file's transfer moved on, began or ended (see shownTransfers()).
    void transfersChanged();
    void credentialsRequired(const QString &message);
    // The engine held back a mass deletion; once per episode (not on every cycle that holds it).
    void massDeleteBlocked(const steadysync::MassDeleteVerdict &verdict);
    void heldBackChanged(const QStringList &folders);
    // Folders held back that were not before in this run (the first list, from the journal,
    // is not news: an earlier run told it).
    void newFoldersHeldBack(const QStringList &folders);
    // A changeFolderSelection() was applied (error empty) or refused.
    void folderSelectionChanged(const steadysync::SelectionOutcome &outcome, const QString &error);

private:
    void startEngine(const QString &password);
    void invokeEngine(void (Engine::*slot)());
    void onStatusChanged(const StatusSnapshot &status);
    void onTransferProgress(const QString &path, bool upload, qint64 bytesDone, qint64 bytesTotal);
    void endTransfer(const QString &path);
    void setSignInNeeded(bool needed);
    void onCycleFinished(const CycleReport &report);
    void setHeldDeletion(const std::optional<MassDeleteVerdict> &verdict);
    void setHeldBack(const QStringList &folders);

    PairConfig m_config;
    StatusSnapshot m_status;
    TransferProgress m_transfers;
    std::unique_ptr<EngineHost> m_host;
    BackendOptions m_backendOptions;
    bool m_firstCycleDone = false;
    bool m_signInNeeded = false;
    std::optional<MassDeleteVerdict> m_heldDeletion;
    QHash<QString, ConflictChoice> m_requestedChoices; // resolutions asked, by path
    QStringList m_heldBack;
    std::optional<QStringList> m_heldBackSeen; // every folder held in this run, once known
};

} // namespace steadysync
