#include "remote/webdavserverprobe.h"

#include "remote/nextcloudcapabilities.h"
#include "remote/webdavjob.h"

#include <QNetworkReply>

namespace steadysync::webdav {

namespace {

// Bodies of these answers are a few KiB; anything much larger is not what was asked for.
constexpr qint64 maxAnswerBytes = 1024 * 1024;

QByteArray bodyOf(QNetworkReply *reply)
{
    return reply->isOpen() ? reply->read(maxAnswerBytes) : QByteArray();
}

void readCapabilities(WebDavRequests *job, std::function<void()> next)
{
    WebDavSession *session = job->session();
    WebDavSession::Request request;
    request.verb = "GET";
    request.url = nextcloud::capabilitiesUrl(session->root());
    request.headers = {{"OCS-APIREQUEST", "true"}, {"Accept", "application/json"}};
    const bool withCredentials = !session->options().user.isEmpty();
    if (withCredentials)
        request.headers.append({"Authorization", session->basicCredentials()});
    job->send(request, [job, next, withCredentials](QNetworkReply *reply) {
        ServerCapabilities &capabilities = job->session()->capabilities();
        if (statusOf(reply) == 200 &&
            nextcloud::readCapabilities(bodyOf(reply), &capabilities).ok() &&
            capabilities.capabilitiesRead && withCredentials &&
            capabilities.basicAuth == ServerCapabilities::Support::Unknown) {
            // The server took Basic credentials without a challenge: from now on every
            // request carries them, and none is answered 401 first.
            capabilities.basicAuth = ServerCapabilities::Support::Yes;
        }
        next();
    });
}

} // namespace

void probeServerOnce(WebDavRequests *job, std::function<void()> next)
{
    WebDavSession *session = job->session();
    if (session->capabilities().serverProbed)
        return next();
    WebDavSession::Request request;
    request.verb = "GET";
    request.url = nextcloud::statusUrl(session->root());
    job->send(request, [job, next](QNetworkReply *reply) {
        ServerCapabilities &capabilities = job->session()->capabilities();
        if (statusOf(reply) == 0)
            return next(); // no answer: asked again by the next stat of the root
        capabilities.serverProbed = true;
        if (statusOf(reply) != 200 || !nextcloud::readStatus(bodyOf(reply), &capabilities).ok())
            return next();
        readCapabilities(job, next);
    });
}

} // namespace steadysync::webdav
