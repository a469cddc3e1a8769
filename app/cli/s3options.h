#pragma once

#include "commandline.h"

#include <QCommandLineParser>

namespace steadysync::cli {

// The options S3 pairs add to sync, watch and login: --access-key-id ID (the pair's user, as
// --user is for WebDAV) and --region REGION.
void addS3Options(QCommandLineParser &parser);
// Fills invocation.engine.backend.user/region and invocation.user from them; false (and
// invocation.error) when --access-key-id and --user disagree.
bool applyS3Options(const QCommandLineParser &parser, Invocation &invocation);

// For an S3 remote: the access key id from AWS_ACCESS_KEY_ID when none is given, and the secret
// from the environment or the keychain (STEADYSYNC_PASSWORD has been taken by then). Returns
// false when the remote is not S3 (the caller goes on as for WebDAV).
bool fillS3Credentials(EngineOptions &options, bool quiet);

// `steadysync-cli login s3+http://HOST:PORT/BUCKET/PREFIX --access-key-id ID`: the secret
// from stdin (prompted without echo on a terminal) into the keychain.
int runS3Login(const Invocation &invocation);

} // namespace steadysync::cli
