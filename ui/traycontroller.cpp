#include "traycontroller.h"

#include "pairmanager.h"

#include <QDesktopServices>
#include <QUrl>

namespace steadysync {

TrayController::TrayController(PairManager *manager, QObject *parent)
    : QObject(parent), m_manager(manager), m_notifications(manager)
{
    buildMenu();
    m_icon.setContextMenu(&m_menu);
    connect(&m_icon, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (reason == QSystemTrayIcon::Trigger)
                    Q_EMIT dashboardRequested();
            });
    connect(manager, &PairManager::sessionsChanged, this, &TrayController::refresh);
    connect(manager, &PairManager::sessionStatusChanged, this, &TrayController::refresh);
    connect(manager, &PairManager::sessionTransfersChanged, this, &TrayController::refresh);
    connect(&m_notifications, &AppNotifications::notified, this, &TrayController::notified);
    connect(&m_notifications, &AppNotifications::fallbackNeeded, this,
            &TrayController::showBalloon);
    connect(&m_icon, &QSystemTrayIcon::messageClicked, this, &TrayController::dashboardRequested);
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
    for (const PairSession *session : m_manager->sessions()) {
        for (const TransferProgress::Transfer &transfer : session->shownTransfers())
            toolTip += QLatin1Char('\n') + TransferProgress::describe(transfer);
    }
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

void TrayController::showBalloon(const QString &title, const QString &message, bool critical)
{
    if (QSystemTrayIcon::isSystemTrayAvailable() && QSystemTrayIcon::supportsMessages())
        m_icon.showMessage(title, message,
                           critical ? QSystemTrayIcon::Critical : QSystemTrayIcon::Information);
}

} // namespace steadysync
