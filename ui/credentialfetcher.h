#pragma once

#include "pairconfig.h"

#include <QObject>

#include <functional>

namespace steadysync {

// Reads and stores pair passwords in the keychain (CredentialStore) on a pool thread: the
// keychain may take seconds to answer, and the GUI thread must not wait for it.
// STEADYSYNC_PASSWORD, when set, wins over the keychain, as for the CLI.
class CredentialFetcher
{
public:
    static bool needsPassword(const PairConfig &pair);
    // Calls done(password, error) on context's thread; password is empty when none is known.
    static void readPassword(const PairConfig &pair, QObject *context,
                             std::function<void(const QString &, const QString &)> done);
    // Calls done(error) on context's thread; error is empty on success.
    static void storePassword(const PairConfig &pair, const QString &password, QObject *context,
                              std::function<void(const QString &)> done);
};

} // namespace steadysync
