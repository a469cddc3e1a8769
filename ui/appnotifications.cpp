#include "appnotifications.h"

#include "humanerror.h"
#include "pairmanager.h"

#include <QDateTime>

namespace steadysync {

const QString AppNotifications::OpenDashboardAction = QStringLiteral("open-dashboard");
const QString AppNotifications::ReviewConflictAction = QStringLiteral("review-conflict");

AppNotifications::AppNotifications(PairManager *manager, QObject *parent)
    : QObject(parent), m_manager(manager), m_now([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    connect(manager, &PairManager::sessionsChanged, this, &AppNotifications::forgetRemovedPairs);
    connect(manager, &PairManager::sessionStatusChanged, this, &AppNotifications::onStatus);
    connect(manager, &PairManager::conflictOpened, this, &AppNotifications::onConflict);
    connect(manager, &PairManager::credentialsRequired, this, [this](PairSession *session) {
        notify(Kind::SignIn, session,
               tr("Sign-in needed for %1").arg(session->config().displayName()),
               pairProblemText(SyncState::SignInNeeded));
    });
    connect(manager, &PairManager::newFoldersHeldBack, this,
            &AppNotifications::onNewFoldersHeldBack);
    connect(&m_desktop, &DesktopNotifier::actionInvoked, this, &AppNotifications::onAction);
    // Offline is news only after a while (a server restarting is not); checked by the clock.
    m_offlineCheck.setInterval(5'000);
    connect(&m_offlineCheck, &QTimer::timeout, this, &AppNotifications::checkOffline);
    m_offlineCheck.start();
}

void AppNotifications::notify(Kind kind, const PairSession *session, const QString &title,
                              const QString &message)
{
    m_lastNotification = title + QStringLiteral(": ") + message;
    QVector<DesktopNotifier::Action> actions{{OpenDashboardAction, tr("Open dashboard")}};
    if (kind == Kind::Conflict)
        actions.append({ReviewConflictAction, tr("Review conflict")});
    const bool critical = kind == Kind::Failure || kind == Kind::SignIn;
    const auto urgency =
        critical ? DesktopNotifier::Urgency::Critical : DesktopNotifier::Urgency::Normal;
    if (!m_desktop.show(title, message, actions, session->config().id, urgency))
        Q_EMIT fallbackNeeded(title, message, critical);
    Q_EMIT notified(title, message);
}

void AppNotifications::onConflict(PairSession *session, const QString &path)
{
    const QString title = tr("Conflict in %1").arg(session->config().displayName());
    if (session->config().conflictPolicy == ConflictPolicy::Ask)
        return notify(Kind::Conflict, session, title,
                      tr("%1 was changed on both sides. Choose which version to keep.").arg(path));
    notify(Kind::Conflict, session, title,
           tr("%1 was changed on both sides. Both versions are kept; choose which one to keep "
              "in the dashboard.")
               .arg(path));
}

// Said once per folder (the session reports only folders it had not held before); the
// choice itself is on the pair's card.
void AppNotifications::onNewFoldersHeldBack(PairSession *session, const QStringList &folders)
{
    notify(Kind::NewFolder, session,
           tr("New folders on the server for %1").arg(session->config().displayName()),
           tr("New folders over the size limit wait for your choice: %1. Choose Download or "
              "Keep Excluded in the dashboard.")
               .arg(folders.join(QStringLiteral(", "))));
}

void AppNotifications::onStatus(PairSession *session)
{
    const QString id = session->config().id;
    if (!m_statusSeen.contains(id)) {
        // The first status is read from the journal: a pair that never synced is new.
        m_statusSeen.insert(id);
        if (session->status().lastSyncMs == 0)
            m_awaitingFirstSync.insert(id);
    }
    notifyNewFailures(session);
    notifyFirstSync(session);
    checkOffline();
}

void AppNotifications::notifyNewFailures(const PairSession *session)
{
    const QString id = session->config().id;
    const qint64 failed = session->status().failedPermanent;
    const auto known = m_knownFailures.constFind(id);
    // A pair's first status is read from its journal before the engine's first cycle, so it
    // counts only what earlier runs left there: no news, or every start would repeat it.
    const qint64 alreadyKnown = known == m_knownFailures.cend() ? failed : *known;
    m_knownFailures.insert(id, failed);
    if (failed > alreadyKnown)
        notify(Kind::Failure, session, tr("Sync failed in %1").arg(session->config().displayName()),
               tr("Items that could not be synced: %1. See the dashboard for the reasons.")
                   .arg(failed - alreadyKnown));
}

void AppNotifications::notifyFirstSync(const PairSession *session)
{
    const QString id = session->config().id;
    if (session->state() != SyncState::UpToDate || !m_awaitingFirstSync.remove(id))
        return;
    notify(Kind::FirstSync, session, tr("%1 is in sync").arg(session->config().displayName()),
           tr("The first sync is finished. Files on both sides: %1.")
               .arg(session->status().trackedFiles));
}

void AppNotifications::checkOffline()
{
    const qint64 now = m_now();
    for (const PairSession *session : m_manager->sessions()) {
        const QString id = session->config().id;
        if (session->state() != SyncState::Offline) {
            m_offlineSince.remove(id);
            m_offlineNotified.remove(id);
            continue;
        }
        const qint64 since = m_offlineSince.value(id, now);
        m_offlineSince.insert(id, since);
        if (now - since < OfflineNoticeMs || m_offlineNotified.contains(id))
            continue;
        m_offlineNotified.insert(id);
        notify(Kind::Offline, session, tr("%1 is offline").arg(session->config().displayName()),
               tr("The server has not answered for more than a minute. Steadysync keeps "
                  "trying and syncs as soon as it is back."));
    }
}

void AppNotifications::onAction(const QString &key, const QString &pairId)
{
    if (key == ReviewConflictAction)
        Q_EMIT conflictReviewRequested(pairId);
    else
        Q_EMIT dashboardRequested(pairId); // "default" (the body clicked) too
}

void AppNotifications::forgetRemovedPairs()
{
    for (QSet<QString> *ids : {&m_offlineNotified, &m_statusSeen, &m_awaitingFirstSync}) {
        for (auto it = ids->begin(); it != ids->end();)
            it = m_manager->session(*it) ? std::next(it) : ids->erase(it);
    }
    for (QHash<QString, qint64> *ids : {&m_knownFailures, &m_offlineSince}) {
        for (auto it = ids->begin(); it != ids->end();)
            it = m_manager->session(it.key()) ? std::next(it) : ids->erase(it);
    }
}

} // namespace steadysync
