#include "browserlogin.h"

#include <QDesktopServices>

namespace steadysync {

BrowserLogin::BrowserLogin(QObject *parent) : QObject(parent) {}

void BrowserLogin::start(const QUrl &url)
{
    cancel();
    auto *flow = new LoginFlow(this);
    m_flow = flow;
    connect(flow, &LoginFlow::browserUrlReady, this, [this](const QUrl &page) {
        Q_EMIT waitingForBrowser(page, QDesktopServices::openUrl(page));
    });
    connect(flow, &LoginFlow::finished, this, [this, flow] { onFinished(flow); });
    flow->start(url);
}

void BrowserLogin::cancel()
{
    if (LoginFlow *flow = m_flow) {
        m_flow = nullptr;
        flow->disconnect(this);
        flow->cancel();
        flow->deleteLater();
    }
}

void BrowserLogin::onFinished(LoginFlow *flow)
{
    if (flow != m_flow)
        return;
    m_flow = nullptr;
    flow->deleteLater();
    const Result<AppPassword> &result = flow->result();
    if (result)
        Q_EMIT granted(*result);
    else
        Q_EMIT failed(result.error().message);
}

} // namespace steadysync
