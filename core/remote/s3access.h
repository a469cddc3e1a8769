#pragma once

#include "remote/remotebackend.h"
#include "result.h"

#include <QProcessEnvironment>
#include <QString>
#include <QUrl>

#include <memory>

namespace steadysync {

// Which kind of remote a URL names: "s3", "webdav", "local", or "" for none of them.
QString backendKindOf(const QUrl &url);
// s3://BUCKET/PREFIX, s3+http://HOST:PORT/BUCKET/PREFIX, s3+https://…
bool isS3Url(const QUrl &url);

// What an S3 pair signs its requests with and where it sends them: the pair's own settings
// first, then the environment for headless use. The precedence (README "S3"):
//   access key id:  the pair's (--access-key-id / --user) > AWS_ACCESS_KEY_ID
//   secret:         STEADYSYNC_PASSWORD > AWS_SECRET_ACCESS_KEY (only when the access key id
//                   is AWS_ACCESS_KEY_ID: the two belong together) > the keychain, which the
//                   caller has read into BackendOptions::password
//   session token:  AWS_SESSION_TOKEN, only with AWS_SECRET_ACCESS_KEY
//   region:         the pair's (--region) > the URL's ?region= > AWS_REGION >
//                   AWS_DEFAULT_REGION > us-east-1
//   endpoint:       an s3+http(s):// URL names its own; for s3:// AWS_ENDPOINT_URL, else AWS
struct S3Access
{
    QString accessKeyId;
    QString secretAccessKey; // never logged
    QString sessionToken;    // never logged
    QString region;          // empty: the endpoint's default
    QUrl endpointOverride;   // s3:// only: AWS_ENDPOINT_URL
    bool secretFromEnvironment = false;
};

// options.password is STEADYSYNC_PASSWORD or the keychain's secret, if the caller found one.
// Fails (Auth) when no access key id or no secret can be found.
[[nodiscard]] Result<S3Access> resolveS3Access(const QUrl &url, const BackendOptions &options,
                                               const QProcessEnvironment &environment);

// True when the environment's AWS_SECRET_ACCESS_KEY serves this access key id, so that a
// caller need not (and should not) ask the keychain for it.
bool s3SecretInEnvironment(const QString &accessKeyId, const QProcessEnvironment &environment);

// The factory's S3 branch (RemoteBackend::create): the URL parsed into an endpoint, the
// access resolved from options and the process environment.
std::unique_ptr<RemoteBackend> createS3Backend(const QUrl &url, const BackendOptions &options,
                                               QString *error);

// The access key id the pair uses: its own, else AWS_ACCESS_KEY_ID.
QString s3AccessKeyId(const QString &configured, const QProcessEnvironment &environment);

} // namespace steadysync
