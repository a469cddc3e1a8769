#pragma once

#include "result.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <functional>
#include <utility>

class QNetworkReply;

namespace steadysync {

class WebDavSession;

// Depth-0 exclusive write locks on collections, shared by one session's jobs. Such a lock
// guards the collection's membership (RFC 4918 §7.4): while it is held no other client can add
// a member, and this client's own requests that add or remove members carry its token.
//
// Why: Apache answers 201 to two creates of one name sent at the same moment (it evaluates
// If-None-Match apart from the write), and its locks on paths that do not exist ("lock-null")
// break under parallel creates and lost answers. A create there goes under the lock of its
// folder, which exists: the check made under it and the PUT cannot interleave with another
// client's create of the same name, which waits for the folder instead.
//
// Jobs creating in one folder at the same time share one lock. The last one out sends the
// UNLOCK and waits for its answer, so a process that ends right after its last write leaves no
// lock behind. A lock is refreshed while held; one left by a killed process runs out after
// lockTimeoutSeconds.
class WebDavFolderLocks : public QObject
{
    Q_OBJECT
public:
    // The token of the folder's lock, or an empty one where the server would not lock the
    // folder (the create then goes unlocked, as on servers without locks); an error where
    // another client held it for longer than the wait, or the server could not be reached.
    using Granted = std::function<void(Result<QByteArray>)>;

    explicit WebDavFolderLocks(WebDavSession *session);
    ~WebDavFolderLocks() override;

    // Holds folder's lock for holder (released when holder is destroyed, at the latest).
    // granted() is not called once holder is gone.
    void acquire(const QString &folder, QObject *holder, Granted granted);
    // Gives holder's hold back; then() runs once the folder is free of this client's lock (or
    // at once where others still hold it or holder held nothing).
    void release(const QString &folder, QObject *holder, std::function<void()> then);
    // The token this client holds on folder right now (empty: none).
    [[nodiscard]] QByteArray tokenOf(const QString &folder) const;

    static constexpr int busyRetries = 16;
    static constexpr int busyPauseMs = 250;
    static constexpr int lockTimeoutSeconds = 10;
    static constexpr int refreshIntervalMs = 4000;

private:
    enum class Phase { Free, Locking, Held, Unlocking };
    struct Waiter
    {
        QPointer<QObject> holder;
        Granted granted;
    };
    struct Folder
    {
        Phase phase = Phase::Free;
        QByteArray token;
        QList<QObject *> holders;
        QList<Waiter> waiting;
        int busyRetriesLeft = busyRetries;
        QList<std::function<void()>> afterUnlock;
    };

    void sendLock(const QString &folder);
    void onLockAnswered(const QString &folder, QNetworkReply *reply);
    void takeBackOwnLockOrWait(const QString &folder);
    void settleWaiting(const QString &folder, const Result<QByteArray> &outcome);
    void dropHolder(const QString &folder, QObject *holder);
    void sendUnlock(const QString &folder);
    void onUnlockAnswered(const QString &folder);
    void refreshHeldLocks();

    WebDavSession *m_session;
    QHash<QString, Folder> m_folders;
    QTimer m_refreshTimer;
};

} // namespace steadysync
