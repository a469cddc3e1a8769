#pragma once

#include "result.h"

#include <QString>
#include <QUrl>

namespace steadysync {

// Remote passwords in the OS keychain (Secret Service on Linux, via QtKeychain), under the
// service "steadysync", one entry per (remote URL, user). The calls block on a local event
// loop for at most timeoutMs: a keychain that never answers (no Secret Service, a locked
// keyring waiting for an invisible prompt) gives an Error, never a hang.
class CredentialStore
{
public:
    static constexpr int DefaultTimeoutMs = 10'000;

    explicit CredentialStore(int timeoutMs = DefaultTimeoutMs) : m_timeoutMs(timeoutMs) {}

    // NotFound when nothing is stored for them; other failures are Permanent.
    Result<QString> readPassword(const QUrl &remote, const QString &user) const;
    Status storePassword(const QUrl &remote, const QString &user, const QString &password) const;
    // Removing what is not there succeeds.
    Status removePassword(const QUrl &remote, const QString &user) const;

    // The entry's key: the URL without user info, query or fragment, scheme and host in lower
    // case, default port dropped, path ending in '/', with the user name as user info.
    static QString keyFor(const QUrl &remote, const QString &user);
    static QString serviceName() { return QStringLiteral("steadysync"); }

private:
    int m_timeoutMs;
};

} // namespace steadysync
