#include "traycontroller.h"

#include "humanerror.h"
#include "pairmanager.h"

#include <QDesktopServices>
#include <QUrl>

namespace steadysync {

TrayController::TrayController(PairManager *manager, QObject *parent)
    : QObject(parent), m_manager(manager)
{
    buildMenu();
    m_icon.setContextMenu(&m_menu);
    connect(&m_icon, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (reason == QSystemTrayIcon::Trigger)
                    Q_EMIT dashboardRequested();
            });
    connect(manager, &PairManager::sessionsChanged, this, [this] {
        forgetRemovedPairs();
        refresh();
    });
    connect(manager, &PairManager::sessionStatusChanged, this, &TrayController::onSessionStatus);
    connect(manager, &PairManager::conflictOpened, this,
            [this](PairSession *session, const QString &path) {
                notify(tr("Conflict in %1").arg(session->config().displayName()),
                       tr("%1 was changed on both sides. Both versions are kept; choose which "
                          "one to keep in the dashboard.")
                           .arg(path),
                       QSystemTrayIcon::Warning);
            });
    connect(manager, &PairManager::credentialsRequired, this, [this](PairSession *session) {
        notify(tr("Sign-in needed for %1").arg(session->config().displayName()),
               pairProblemText(SyncState::SignInNeeded), QSystemTrayIcon::Warning);
    });
    refresh();
}

void TrayController::show()
{
    m_icon.show();
}

void TrayController::buildMenu()
{
    m_openDashboard =
        m_menu.addAction(tr("Open Dashboard"), this, &TrayController::dashboardRequested);
    m_openFolder = m_menu.addAction(tr("Open Folder"), this, &TrayController::openFirstFolder);
    m_menu.addSeparator();
    m_syncNow = m_menu.addAction(tr("Sync Now"), m_manager, &PairManager::syncAllNow);
    m_pause = m_menu.addAction(tr("Pause"), this, &TrayController::togglePause);
    m_menu.addSeparator();
    m_settings = m_menu.addAction(tr("Settings…"), this, &TrayController::settingsRequested);
    m_quit = m_menu.addAction(tr("Quit"), this, &TrayController::quitRequested);
}

void TrayController::refresh()
{
    QVector<SyncState> states;
    QStringList pairLines;
    for (const PairSession *session : m_manager->sessions()) {
        states.append(session->state());
        pairLines.append(tr("%1: %2").arg(session->config().displayName(),
                                          pairStateText(states.last(), session->status())));
    }
    m_state = appState(states);
    m_icon.setIcon(stateIcon(m_state));
    QString toolTip = tr("Steadysync: %1").arg(stateLabel(m_state));
    if (pairLines.size() > 1)
        toolTip += QLatin1Char('\n') + pairLines.join(QLatin1Char('\n'));
    m_icon.setToolTip(toolTip);
    const bool paused = m_manager->allPaused();
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    const bool hasPairs = !m_manager->sessions().isEmpty();
    m_openFolder->setEnabled(hasPairs);
    m_syncNow->setEnabled(hasPairs && !paused);
    m_pause->setEnabled(hasPairs);
}

void TrayController::togglePause()
{
    if (m_manager->allPaused())
        m_manager->resumeAll();
    else
        m_manager->pauseAll();
}

void TrayController::openFirstFolder()
{
    const QVector<PairSession *> sessions = m_manager->sessions();
    if (!sessions.isEmpty())
        QDesktopServices::openUrl(QUrl::fromLocalFile(sessions.first()->config().localRoot));
}

void TrayController::notify(const QString &title, const QString &message,
                            QSystemTrayIcon::MessageIcon icon)
{
    m_lastNotification = title + QStringLiteral(": ") + message;
    if (QSystemTrayIcon::isSystemTrayAvailable() && QSystemTrayIcon::supportsMessages())
        m_icon.showMessage(title, message, icon);
    Q_EMIT notified(title, message);
}

void TrayController::onSessionStatus(PairSession *session)
{
    notifyNewFailures(session);
    refresh();
}

void TrayController::notifyNewFailures(PairSession *session)
{
    const QString id = session->config().id;
    const qint64 failed = session->status().failedPermanent;
    const auto known = m_knownFailures.constFind(id);
    // A pair's first status is read from its journal before the engine's first cycle, so it
    // counts only what earlier runs left there: no news, or every start would repeat it.
    const qint64 alreadyKnown = known == m_knownFailures.cend() ? failed : *known;
    m_knownFailures.insert(id, failed);
    if (failed > alreadyKnown)
        notify(tr("Sync failed in %1").arg(session->config().displayName()),
               tr("Items that could not be synced: %1. See the dashboard for the reasons.")
                   .arg(failed - alreadyKnown),
               QSystemTrayIcon::Critical);
}

void TrayController::forgetRemovedPairs()
{
    for (auto it = m_knownFailures.begin(); it != m_knownFailures.end();) {
        if (m_manager->session(it.key()))
            ++it;
        else
            it = m_knownFailures.erase(it);
    }
}

} // namespace steadysync
