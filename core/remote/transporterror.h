#pragma once

#include "result.h"

#include <QNetworkReply>

#include <optional>

namespace steadysync {

// The kind of a request that failed below HTTP (no status), as the WebDAV and the S3 session
// both read it: Offline where the server cannot be reached, Permanent where the TLS handshake
// or the URL's scheme failed. nullopt for any other error, which each session reads its own
// way (webdavsession.cpp, s3/s3session.cpp).
std::optional<ErrorKind> sharedTransportErrorKind(QNetworkReply::NetworkError error);

} // namespace steadysync
