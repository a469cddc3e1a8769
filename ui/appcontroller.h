#pragma once

#include "autostartentry.h"
#include "pairstore.h"

#include <QMessageBox>
#include <QObject>
#include <QPointer>

#include <memory>

namespace steadysync {

struct MassDeleteVerdict;
class DashboardWindow;
class PairSession;
class PairManager;
class SettingsDialog;
class TrayController;
namespace dbus {
class DBusService;
}

// Wires the application together: pairs, tray icon, dashboard, dialogs.
class AppController : public QObject
{
    Q_OBJECT
public:
    explicit AppController(PairStore store, QObject *parent = nullptr);
    ~AppController() override;

    // Starts the stored pairs (offering the default pair when there is none) and shows the
    // tray icon, or the dashboard where no tray exists.
    void start();

    PairManager *pairManager() const { return m_manager.get(); }
    TrayController *tray() const { return m_tray.get(); }
    DashboardWindow *dashboard() const { return m_dashboard.get(); }

    void showDashboard();
    void showSettings();
    void offerDefaultPair();
    // The open question about a pair's blocked mass deletion, if any (DESIGN §4: the GUI asks).
    QMessageBox *massDeleteQuestion() const { return m_massDeleteQuestion; }

Q_SIGNALS:
    void quitRequested();

private:
    void addFirstPair(const PairConfig &pair);
    void askAboutMassDelete(PairSession *session, const MassDeleteVerdict &verdict);
    void serveOnDBus();

    std::unique_ptr<PairManager> m_manager;
    std::unique_ptr<TrayController> m_tray;
    std::unique_ptr<DashboardWindow> m_dashboard;
    std::unique_ptr<dbus::DBusService> m_dbus; // the pairs' D-Bus API (DESIGN §12)
    AutostartEntry m_autostart;
    QPointer<SettingsDialog> m_settings;
    QPointer<QMessageBox> m_massDeleteQuestion;
};

} // namespace steadysync
