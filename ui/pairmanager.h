#pragma once

#include "pairsession.h"
#include "pairstore.h"

#include <QObject>
#include <QVector>

#include <memory>
#include <vector>

namespace steadysync {

// Owns one PairSession (and so one engine thread) per configured pair and keeps the INI
// file in step with them.
class PairManager : public QObject
{
    Q_OBJECT
public:
    explicit PairManager(PairStore store, QObject *parent = nullptr);
    ~PairManager() override;

    // Starts an engine for every stored pair.
    void startAll();
    QVector<PairSession *> sessions() const;
    PairSession *session(const QString &id) const;
    QVector<PairConfig> configs() const;

    // Adds (or, for a known id, replaces and restarts) a pair, saves, starts it.
    PairSession *addOrUpdate(PairConfig config);
    void remove(const QString &id);

    void pauseAll();
    void resumeAll();
    void syncAllNow();
    bool allPaused() const;

Q_SIGNALS:
    void sessionsChanged();
    void sessionStatusChanged(steadysync::PairSession *session);
    void sessionTransfersChanged(steadysync::PairSession *session);
    void conflictOpened(steadysync::PairSession *session, const QString &path);
    void credentialsRequired(steadysync::PairSession *session, const QString &message);
    void massDeleteBlocked(steadysync::PairSession *session,
                           const steadysync::MassDeleteVerdict &verdict);
    // New large remote folders wait for the user's choice (PairSession::newFoldersHeldBack).
    void newFoldersHeldBack(steadysync::PairSession *session, const QStringList &folders);

private:
    PairSession *createSession(const PairConfig &config, std::size_t index);
    void save() const;
    QString uniqueId() const;

    PairStore m_store;
    std::vector<std::unique_ptr<PairSession>> m_sessions;
};

} // namespace steadysync
