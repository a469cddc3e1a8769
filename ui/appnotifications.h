#pragma once

#include "desktopnotifier.h"
#include "syncstate.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>

namespace steadysync {

class PairManager;
class PairSession;

// What the app tells the user without being asked (DESIGN §8): conflicts, items that failed for
// good, sign-in needed, a server offline for longer than a minute, a pair's first sync done,
// a large new remote folder held back (once per folder).
// Sent as desktop notifications with actions ("Open dashboard", "Review conflict"); where no
// notification service is on the bus, fallbackNeeded() asks the tray for a balloon instead.
class AppNotifications : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 OfflineNoticeMs = 60'000;
    static const QString OpenDashboardAction;
    static const QString ReviewConflictAction;

    explicit AppNotifications(PairManager *manager, QObject *parent = nullptr);

    // For tests: the clock (ms since the epoch) that times offline episodes, and the interval
    // at which they are checked.
    void setClock(std::function<qint64()> now) { m_now = std::move(now); }
    void setCheckInterval(int milliseconds) { m_offlineCheck.setInterval(milliseconds); }
    DesktopNotifier *desktop() { return &m_desktop; }
    QString lastNotification() const { return m_lastNotification; }

Q_SIGNALS:
    // Every notification, however it was shown.
    void notified(const QString &title, const QString &message);
    // No notification service: the tray shows it as a balloon (critical: a failure).
    void fallbackNeeded(const QString &title, const QString &message, bool critical);
    void dashboardRequested(const QString &pairId);
    void conflictReviewRequested(const QString &pairId);

private:
    enum class Kind { Conflict, Failure, SignIn, Offline, FirstSync, NewFolder };
    void notify(Kind kind, const PairSession *session, const QString &title,
                const QString &message);
    void onConflict(PairSession *session, const QString &path);
    void onStatus(PairSession *session);
    void onNewFoldersHeldBack(PairSession *session, const QStringList &folders);
    void notifyNewFailures(const PairSession *session);
    void notifyFirstSync(const PairSession *session);
    void checkOffline();
    void onAction(const QString &key, const QString &pairId);
    void forgetRemovedPairs();

    PairManager *m_manager;
    DesktopNotifier m_desktop;
    std::function<qint64()> m_now;
    QTimer m_offlineCheck;
    QHash<QString, qint64> m_knownFailures; // pair id -> permanently failed items last seen
    QHash<QString, qint64> m_offlineSince;  // pair id -> when its offline episode began
    QSet<QString> m_offlineNotified;        // pairs told about in this offline episode
    QSet<QString> m_statusSeen;             // pairs whose first status arrived
    QSet<QString> m_awaitingFirstSync;      // pairs that never synced when the app started
    QString m_lastNotification;
};

} // namespace steadysync
