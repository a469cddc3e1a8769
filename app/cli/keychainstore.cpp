#include "keychainstore.h"

#include "clioutput.h"
#include "remote/credentialstore.h"

namespace steadysync::cli {

int storeInKeychain(const QUrl &url, const KeychainSecret &secret)
{
    if (Status stored = CredentialStore().storePassword(url, secret.user, secret.secret); !stored) {
        printLine(stderr, QStringLiteral("steadysync-cli: cannot store the %1: %2\nWithout a "
                                         "keychain, set %3 instead.")
                              .arg(secret.name, stored.error().message, secret.fallback));
        return UsageError;
    }
    printLine(stderr, QStringLiteral("%1 for %2 stored in the keychain")
                          .arg(secret.name, CredentialStore::keyFor(url, secret.user)));
    return InSync;
}

} // namespace steadysync::cli
