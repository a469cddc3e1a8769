#pragma once

#include "entry.h"
#include "result.h"
#include "sync/syncplan.h"

#include <QHash>
#include <QObject>
#include <QStringList>
#include <QVector>

#include <optional>

namespace steadysync {

class RemoteBackend;
class RemoteJob;

// Confirms, before a cycle moves local items to the trash because the remote walk did not
// list them, that they are really gone: one fresh Depth-1 listing per folder that held them,
// several folders at a time (DESIGN.md, "Deletions need proof"). A walk can be wrong without
// failing (a server that silently answers Depth: infinity with a Depth-1 listing, a listing
// that momentarily leaves out a member); a second, independent request catches that.
// Only the topmost deletions are confirmed: a folder proven gone takes everything below it.
class AbsenceProof : public QObject
{
    Q_OBJECT
public:
    AbsenceProof(RemoteBackend *backend, int concurrency, QObject *parent = nullptr);

    // The DeleteLocal actions of plan are confirmed; walked is the walk the plan came from
    // (it tells which of their ancestors are files on the remote). Emits finished() once.
    void start(const SyncPlan &plan, const RemoteSnapshot &walked);

    struct Unproven
    {
        QString path; // nothing at or below it may be deleted by this cycle
        Error reason;
        bool listedAfterAll = false; // the fresh listing shows it: the walk's listing was wrong
    };
    // Deletions whose absence was not confirmed: the item was found after all, or its
    // folder could not be listed.
    const QVector<Unproven> &unproven() const { return m_unproven; }
    // Set when the remote as a whole failed (offline, credentials, root gone, cancelled).
    const std::optional<Error> &fatal() const { return m_fatal; }
    int listingsMade() const { return m_listingsMade; }

Q_SIGNALS:
    void finished();

private:
    void pump();
    void onListed(const QString &folder, RemoteJob *job);
    void judge(const QString &folder, const QString &path, const QHash<QString, bool> &members,
               const QStringList &refused, bool unnamedMembers);
    void finishIfDone();

    RemoteBackend *m_backend;
    int m_concurrency;
    QHash<QString, QStringList> m_byFolder; // folder to list -> the deletions it confirms
    QStringList m_pendingFolders;
    int m_inFlight = 0;
    int m_listingsMade = 0;
    bool m_done = false;
    QVector<Unproven> m_unproven;
    std::optional<Error> m_fatal;
};

} // namespace steadysync
