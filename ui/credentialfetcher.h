#pragma once

#include "pairconfig.h"

#include <QObject>

#include <functional>

namespace steadysync {

// Reads and stores pair passwords in the keychain (CredentialStore's asynchronous calls, on
// its one keychain thread): the keychain may take seconds to answer, and the GUI thread must
// not wait for it. Every call answers exactly once (an error after the store's time limit),
// unless context is gone; context must live in the main thread.
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
