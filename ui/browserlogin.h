#pragma once

#include "remote/loginflow.h"

#include <QObject>
#include <QPointer>

namespace steadysync {

// "Log in with Browser" of the pair editor: Nextcloud's Login Flow v2 (LoginFlow) with the
// login page opened in the user's browser. The app password it brings is only handed over:
// the pair editor puts it in the form, and saving the pair stores it in the keychain.
class BrowserLogin : public QObject
{
    Q_OBJECT
public:
    explicit BrowserLogin(QObject *parent = nullptr);

    // Starts a login at the server of url; a running one is cancelled first.
    void start(const QUrl &url);
    void cancel();
    bool isRunning() const { return m_flow != nullptr; }

Q_SIGNALS:
    // The login page is open in the browser (or, without one, at this address).
    void waitingForBrowser(const QUrl &loginPage, bool opened);
    void granted(const steadysync::AppPassword &password);
    void failed(const QString &reason);

private:
    void onFinished(LoginFlow *flow);

    QPointer<LoginFlow> m_flow;
};

} // namespace steadysync
