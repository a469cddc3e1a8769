#pragma once

#include "result.h"

#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

namespace steadysync {

struct KeychainAnswer;
struct KeychainRequest;

// Remote passwords in the OS keychain (Secret Service on Linux, via QtKeychain), under the
// service "steadysync", one entry per (remote URL, user). Every job runs on KeychainQueue's
// one owner thread (QtKeychain is not thread-safe). The blocking calls wait at most timeoutMs
// (safe from any thread); the *Async calls answer in the main thread, also within timeoutMs:
// a keychain that never answers (no Secret Service, a locked keyring waiting for an invisible
// prompt) gives an Error, never a hang.
class CredentialStore
{
public:
    static constexpr int DefaultTimeoutMs = 10'000;

    explicit CredentialStore(int timeoutMs = DefaultTimeoutMs) : m_timeoutMs(timeoutMs) {}

    // NotFound when nothing is stored for them or for a folder above the remote on the same
    // server; other failures are Permanent.
    Result<QString> readPassword(const QUrl &remote, const QString &user) const;
    Status storePassword(const QUrl &remote, const QString &user, const QString &password) const;
    // Removing what is not there succeeds.
    Status removePassword(const QUrl &remote, const QString &user) const;

    // done runs in the main thread, where context must live, unless context is gone by then.
    void readPasswordAsync(const QUrl &remote, const QString &user, QObject *context,
                           std::function<void(const Result<QString> &)> done) const;
    void storePasswordAsync(const QUrl &remote, const QString &user, const QString &password,
                            QObject *context, std::function<void(const Status &)> done) const;

    // The entry's key: the URL without user info, query or fragment, scheme and host in lower
    // case, default port dropped, path ending in '/', with the user name as user info.
    static QString keyFor(const QUrl &remote, const QString &user);
    static QString serviceName() { return QStringLiteral("steadysync"); }

private:
    static KeychainRequest request(int operation, const QUrl &remote, const QString &user,
                                   const QString &password = {});
    static Result<QString> readOutcome(const KeychainAnswer &answer, const QUrl &remote,
                                       const QString &user, int timeoutMs);
    static Status storeOutcome(const KeychainAnswer &answer, int timeoutMs);
    static void deliverLater(QObject *context, std::function<void()> call);
    void readFromFolderOrAbove(const QUrl &folder, const QUrl &remote, const QString &user,
                               QObject *context,
                               std::function<void(const Result<QString> &)> done) const;

    int m_timeoutMs;
};

} // namespace steadysync
