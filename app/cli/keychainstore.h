#pragma once

#include <QString>
#include <QUrl>

namespace steadysync::cli {

// What `login` stores in the keychain and what replaces the keychain where there is none.
struct KeychainSecret
{
    QString user;
    QString secret;
    QString name;     // what the secret is called on stderr ("app password")
    QString fallback; // the environment that replaces a keychain ("STEADYSYNC_PASSWORD")
};

// Stores the secret for url in the keychain and says so on stderr (or why not, with the
// fallback). InSync, or UsageError where the keychain refuses it.
int storeInKeychain(const QUrl &url, const KeychainSecret &secret);

} // namespace steadysync::cli
