#include "remote/s3access.h"

#include "remote/s3/s3backend.h"
#include "remote/s3/s3endpoint.h"

#include <QUrlQuery>

namespace steadysync {

namespace {

// AWS_SESSION_TOKEN, where the endpoint type carries one (temporary credentials).
template<typename Endpoint>
auto setSessionToken(Endpoint &endpoint, const QString &token, int)
    -> decltype(endpoint.sessionToken = token, void())
{
    endpoint.sessionToken = token;
}
template<typename Endpoint> void setSessionToken(Endpoint &, const QString &, long) {}

} // namespace

std::unique_ptr<RemoteBackend> createS3Backend(const QUrl &url, const BackendOptions &options,
                                               QString *error)
{
    const Result<S3Endpoint> parsed = S3Endpoint::parse(url);
    if (!parsed.ok()) {
        if (error)
            *error = parsed.error().message;
        return nullptr;
    }
    const Result<S3Access> access =
        resolveS3Access(url, options, QProcessEnvironment::systemEnvironment());
    // The region: the pair's, else the URL's ?region=, else the environment's.
    const bool regionInUrl = QUrlQuery(url).hasQueryItem(QStringLiteral("region"));
    S3Endpoint endpoint = *parsed;
    if (access.ok()) {
        endpoint.accessKeyId = access->accessKeyId;
        endpoint.secretAccessKey = access->secretAccessKey;
        setSessionToken(endpoint, access->sessionToken, 0);
        if (!access->region.isEmpty() && (!options.region.isEmpty() || !regionInUrl))
            endpoint.region = access->region;
        if (access->endpointOverride.isValid() && !access->endpointOverride.isEmpty()) {
            endpoint.endpoint = access->endpointOverride;
            endpoint.pathStyle = true;
        }
    } else {
        // No credentials: the backend still starts, and its first request fails with the
        // store's refusal (Auth), which the CLI and the app answer with the login hint.
        endpoint.accessKeyId =
            s3AccessKeyId(options.user, QProcessEnvironment::systemEnvironment());
    }
    return std::make_unique<S3Backend>(endpoint, options);
}

} // namespace steadysync
