// The RemoteBackend contract (backendcontract.h) against each real WebDAV server on loopback
// (tests/support/webdavserver.h), one data row per server.
#include "backendcontract.h"
#include "remote/webdavbackend.h"
#include "webdavserver.h"

using namespace steadysync;
using namespace steadysync::test;

namespace {

BackendFactory serverFactory(WebDavServer::Kind kind)
{
    return {WebDavServer::kindName(kind), [kind](QString *error) {
                ContractSubject subject;
                std::shared_ptr<WebDavServer> server = WebDavServer::start(kind, error);
                if (!server)
                    return subject;
                BackendOptions options;
                options.user = server->user();
                options.password = server->password();
                subject.backend = std::make_unique<WebDavBackend>(server->url(), options);
                subject.keepAlive = server;
                // ENVIRONMENT.md: nginx's create_full_put_path, and no ETag in PROPFIND.
                subject.deviations.putCreatesMissingParents = kind == WebDavServer::Kind::Nginx;
                subject.deviations.signatureMayMissSameSizeRewrite =
                    kind == WebDavServer::Kind::Nginx;
                subject.deviations.mkcolOverFileIsRefused = kind == WebDavServer::Kind::Apache;
                subject.deviations.uploadAnswerMayClaimRequestedMtime =
                    kind == WebDavServer::Kind::Rclone || kind == WebDavServer::Kind::Lighttpd ||
                    kind == WebDavServer::Kind::LighttpdNoDb;
                return subject;
            }};
}

} // namespace

int main(int argc, char **argv)
{
    QList<BackendFactory> factories;
    for (const WebDavServer::Kind kind : WebDavServer::allKinds())
        factories.append(serverFactory(kind));
    return runContract(argc, argv, factories);
}
