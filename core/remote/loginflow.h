#pragma once

#include "result.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace steadysync {

// What a finished Login Flow v2 grants: an app password for one account.
struct AppPassword
{
    QUrl server;       // the Nextcloud base URL the server names
    QString loginName; // the account's user name for WebDAV
    QString password;  // the app password (revocable in the account's security settings)

    // The account's WebDAV root: SERVER/remote.php/dav/files/LOGIN/
    QUrl davRoot() const;
};

// Nextcloud's Login Flow v2 (as its desktop client does it): the server gives a URL for the
// user's browser and a token; the client polls until the user has logged in there (password,
// two-factor, SSO: whatever the server asks) and granted access, then receives an app
// password. No password ever passes through this program.
class LoginFlow : public QObject
{
    Q_OBJECT
public:
    struct Timing
    {
        int pollIntervalMs = 2000;
        int giveUpAfterMs = 20 * 60 * 1000; // the server forgets the token after 20 minutes
    };

    explicit LoginFlow(QObject *parent = nullptr);
    LoginFlow(Timing timing, QObject *parent);
    ~LoginFlow() override;

    // The Nextcloud base of any URL on it: what precedes "/remote.php/" (a WebDAV URL), else
    // the URL itself (https://host, or https://host/nextcloud), without a trailing '/'.
    static QUrl serverBaseOf(const QUrl &url);

    // Starts the flow at serverBaseOf(url): browserUrlReady(), then finished().
    void start(const QUrl &url);
    void cancel();
    bool isFinished() const { return m_done; }
    // After finished(); before it, an error of kind Cancelled.
    const Result<AppPassword> &result() const { return m_result; }

Q_SIGNALS:
    // Open this in a browser; the user logs in and grants access there.
    void browserUrlReady(const QUrl &url);
    // Once: result() holds the app password or why there is none.
    void finished();

private:
    void onStarted(QNetworkReply *reply);
    void poll();
    void onPolled(QNetworkReply *reply);
    void finish(const Result<AppPassword> &result);
    QNetworkReply *post(const QUrl &url, const QByteArray &body);

    Timing m_timing;
    QNetworkAccessManager *m_network;
    QTimer m_pollTimer;
    qint64 m_startedMs = 0;
    QUrl m_pollEndpoint;
    QByteArray m_token;
    QPointer<QNetworkReply> m_inFlight;
    bool m_done = false;
    Result<AppPassword> m_result;
};

} // namespace steadysync
