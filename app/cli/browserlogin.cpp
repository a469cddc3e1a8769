#include "browserlogin.h"

#include "clioutput.h"
#include "commandline.h"
#include "keychainstore.h"
#include "remote/credentialstore.h"
#include "remote/loginflow.h"

#include <QEventLoop>
#include <QProcess>
#include <QStandardPaths>

namespace steadysync::cli {
namespace {

bool hasGraphicalSession()
{
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY");
}

void openInBrowser(const QUrl &url)
{
    const QString opener = QStandardPaths::findExecutable(QStringLiteral("xdg-open"));
    if (opener.isEmpty() || !hasGraphicalSession())
        return;
    QProcess::startDetached(opener, {url.toString(QUrl::FullyEncoded)});
}

// The keychain entries the new app password serves: the account's WebDAV root, and the
// WebDAV URL the user gave when it is another (a folder of the account).
QList<QUrl> entriesFor(const AppPassword &granted, const QUrl &given)
{
    QList<QUrl> urls{granted.davRoot()};
    if (given.path().contains(QStringLiteral("/remote.php/")) &&
        CredentialStore::keyFor(given, granted.loginName) !=
            CredentialStore::keyFor(granted.davRoot(), granted.loginName))
        urls.append(given);
    return urls;
}

int storeGranted(const AppPassword &granted, const QUrl &given)
{
    const KeychainSecret secret{granted.loginName, granted.password, QStringLiteral("app password"),
                                QStringLiteral("STEADYSYNC_PASSWORD")};
    for (const QUrl &url : entriesFor(granted, given)) {
        if (const int stored = storeInKeychain(url, secret); stored != InSync)
            return stored;
    }
    printLine(stderr, QStringLiteral("sync with: steadysync-cli sync LOCAL_DIR %1 --user %2")
                          .arg(granted.davRoot().toString(), granted.loginName));
    return InSync;
}

} // namespace

int runBrowserLogin(const Invocation &invocation)
{
    const QUrl given(invocation.remoteUrl, QUrl::StrictMode);
    LoginFlow flow;
    QObject::connect(&flow, &LoginFlow::browserUrlReady, &flow, [&](const QUrl &url) {
        printLine(stderr, QStringLiteral("Open this address in a browser, log in and grant "
                                         "access:\n  %1\nWaiting for the browser…")
                              .arg(url.toString(QUrl::FullyEncoded)));
        if (invocation.openBrowser)
            openInBrowser(url);
    });
    QEventLoop loop;
    QObject::connect(&flow, &LoginFlow::finished, &loop, &QEventLoop::quit);
    flow.start(given);
    if (!flow.isFinished())
        loop.exec();
    const Result<AppPassword> &result = flow.result();
    if (!result) {
        printLine(stderr,
                  QStringLiteral("steadysync-cli: login failed: %1").arg(result.error().message));
        return RemoteUnavailable;
    }
    return storeGranted(*result, given);
}

} // namespace steadysync::cli
