#pragma once

namespace steadysync::cli {

struct Invocation;

// `steadysync-cli login https://HOST`: Nextcloud's Login Flow v2. Prints the address to open
// (and opens a browser where there is one), waits until the user has granted access there,
// then stores the app password in the keychain for the account's WebDAV root (and for the
// given WebDAV URL, when one was given). Exit 0 stored, 2 usage or keychain, 3 the server.
int runBrowserLogin(const Invocation &invocation);

} // namespace steadysync::cli
