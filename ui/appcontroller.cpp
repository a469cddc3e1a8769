#include "appcontroller.h"

#include "appnotifications.h"
#include "credentialfetcher.h"
#include "dashboardwindow.h"
#include "dbusservice.h"
#include "firstrundialog.h"
#include "humanerror.h"
#include "massdeletequestion.h"
#include "pairmanager.h"
#include "sessionservedpair.h"
#include "settingsdialog.h"
#include "sync/massdeleteguard.h"
#include "traycontroller.h"

#include <QMessageBox>
#include <QPushButton>
#include <QSystemTrayIcon>

namespace steadysync {

AppController::AppController(PairStore store, QObject *parent)
    : QObject(parent), m_manager(std::make_unique<PairManager>(std::move(store))),
      m_tray(std::make_unique<TrayController>(m_manager.get())),
      m_dashboard(std::make_unique<DashboardWindow>(m_manager.get()))
{
    connect(m_tray.get(), &TrayController::dashboardRequested, this, &AppController::showDashboard);
    connect(m_tray.get(), &TrayController::settingsRequested, this, &AppController::showSettings);
    connect(m_tray.get(), &TrayController::quitRequested, this, &AppController::quitRequested);
    AppNotifications *notifications = m_tray->notifications();
    connect(notifications, &AppNotifications::dashboardRequested, this,
            [this](const QString &pairId) {
                showDashboard();
                m_dashboard->selectPair(pairId);
            });
    connect(notifications, &AppNotifications::conflictReviewRequested, this,
            [this](const QString &pairId) {
                showDashboard();
                m_dashboard->reviewConflictsOf(pairId);
            });
    connect(m_dashboard.get(), &DashboardWindow::settingsRequested, this,
            &AppController::showSettings);
    connect(m_manager.get(), &PairManager::massDeleteBlocked, this,
            &AppController::askAboutMassDelete);
    m_dbus = std::make_unique<dbus::DBusService>(dbus::sessionBusIfPresent(),
                                                 QStringLiteral("steadysync"));
    connect(m_manager.get(), &PairManager::sessionsChanged, this, &AppController::serveOnDBus);
}

// Every pair's engine, once started, is served on D-Bus until its session goes.
void AppController::serveOnDBus()
{
    for (PairSession *session : m_manager->sessions()) {
        if (session->findChild<SessionServedPair *>())
            continue;
        auto *served = new SessionServedPair(session);
        if (session->engine())
            m_dbus->addPair(served);
        else
            connect(session, &PairSession::engineStarted, served,
                    [this, served] { m_dbus->addPair(served); });
    }
}

AppController::~AppController()
{
    delete m_settings;
    // Windows first: they hold pointers to the sessions.
    m_dashboard.reset();
    m_tray.reset();
    m_manager.reset(); // the pairs leave the bus before the service goes
    m_dbus.reset();
}

void AppController::start()
{
    m_manager->startAll();
    if (QSystemTrayIcon::isSystemTrayAvailable())
        m_tray->show();
    else
        showDashboard(); // no tray host: the window is the way in
    if (m_manager->sessions().isEmpty())
        offerDefaultPair();
}

void AppController::showDashboard()
{
    m_dashboard->show();
    m_dashboard->raise();
    m_dashboard->activateWindow();
}

void AppController::showSettings()
{
    if (!m_settings) {
        m_settings = new SettingsDialog(m_manager.get(), m_autostart, m_dashboard.get());
        m_settings->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_settings->show();
    m_settings->raise();
}

void AppController::offerDefaultPair()
{
    FirstRunDialog dialog(PairConfig::defaultPair(),
                          m_dashboard->isVisible() ? m_dashboard.get() : nullptr);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const PairConfig pair = dialog.chosenPair();
    QString error;
    if (!FirstRunDialog::createFolders(pair, &error)) {
        QMessageBox::warning(m_dashboard.get(), tr("Steadysync"), error);
        return;
    }
    const QString password = dialog.password();
    if (password.isEmpty() || !CredentialFetcher::needsPassword(pair))
        return addFirstPair(pair);
    // The engine reads the password when it starts: stored first.
    CredentialFetcher::storePassword(pair, password, this, [this, pair](const QString &failed) {
        if (!failed.isEmpty())
            QMessageBox::warning(m_dashboard.get(), tr("Steadysync"),
                                 tr("The password could not be saved in the keychain. The "
                                    "folder pair cannot sign in until it is saved.") +
                                     QStringLiteral("\n\n") + failed);
        addFirstPair(pair);
    });
}

void AppController::addFirstPair(const PairConfig &pair)
{
    const QString id = m_manager->addOrUpdate(pair)->config().id;
    // Something visible happens: the new pair, on the dashboard.
    showDashboard();
    m_dashboard->selectPair(id);
}

void AppController::askAboutMassDelete(PairSession *session, const MassDeleteVerdict &verdict)
{
    // Asked once per held deletion (the session reports it once, not on every cycle); "Decide
    // Later" leaves the same choice on the pair's card, without asking again.
    if (m_massDeleteQuestion)
        return;
    m_massDeleteQuestion =
        createMassDeleteQuestion(verdict, session->config().displayName(), m_dashboard.get());
    auto *deleteThem =
        m_massDeleteQuestion->findChild<QPushButton *>(QStringLiteral("deleteOtherSide"));
    auto *restore = m_massDeleteQuestion->findChild<QPushButton *>(QStringLiteral("restore"));
    m_massDeleteQuestion->setAttribute(Qt::WA_DeleteOnClose);
    const QString id = session->config().id;
    connect(m_massDeleteQuestion, &QMessageBox::buttonClicked, this,
            [this, id, deleteThem, restore](QAbstractButton *clicked) {
                PairSession *target = m_manager->session(id);
                if (!target || !target->heldDeletion())
                    return; // answered on the card meanwhile
                if (clicked == deleteThem)
                    target->confirmMassDelete();
                else if (clicked == restore)
                    target->restoreMassDelete();
            });
    m_massDeleteQuestion->open();
    showDashboard();
}

} // namespace steadysync
