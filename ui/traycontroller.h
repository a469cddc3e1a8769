#pragma once

#include "appnotifications.h"
#include "syncstate.h"

#include <QHash>
#include <QMenu>
#include <QObject>
#include <QSystemTrayIcon>

namespace steadysync {

class PairManager;
class PairSession;

// The tray icon (DESIGN §8): its look follows the pairs' combined state, its menu acts on all
// pairs; its notifications (AppNotifications) go to the desktop's notification service, or
// show as balloons where there is none.
class TrayController : public QObject
{
    Q_OBJECT
public:
    explicit TrayController(PairManager *manager, QObject *parent = nullptr);

    // The app's one state (syncstate.h), which the icon and the tooltip show.
    SyncState state() const { return m_state; }
    QString toolTip() const { return m_icon.toolTip(); }
    QMenu *menu() { return &m_menu; }
    QAction *openDashboardAction() const { return m_openDashboard; }
    QAction *openFolderAction() const { return m_openFolder; }
    QAction *syncNowAction() const { return m_syncNow; }
    QAction *pauseAction() const { return m_pause; }
    QAction *settingsAction() const { return m_settings; }
    QAction *quitAction() const { return m_quit; }
    // The last notification shown, for tests and for the dashboard's status bar.
    QString lastNotification() const { return m_notifications.lastNotification(); }
    AppNotifications *notifications() { return &m_notifications; }

    void show();

Q_SIGNALS:
    void dashboardRequested();
    void settingsRequested();
    void quitRequested();
    void notified(const QString &title, const QString &message);

private:
    void buildMenu();
    void refresh();
    void togglePause();
    void openFirstFolder();
    void showBalloon(const QString &title, const QString &message, bool critical);

    PairManager *m_manager;
    QSystemTrayIcon m_icon;
    QMenu m_menu;
    QAction *m_openDashboard = nullptr;
    QAction *m_openFolder = nullptr;
    QAction *m_syncNow = nullptr;
    QAction *m_pause = nullptr;
    QAction *m_settings = nullptr;
    QAction *m_quit = nullptr;
    SyncState m_state = SyncState::NoPairs;
    AppNotifications m_notifications;
};

} // namespace steadysync
