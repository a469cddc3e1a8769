// The RemoteBackend contract (backendcontract.h) against S3 on a real one-node Ceph RADOS
// Gateway (tests/support/cephrgw.h), a bucket per run.
#include "backendcontract.h"
#include "cephrgw.h"
#include "remote/s3/s3backend.h"
#include "remote/s3/s3endpoint.h"

using namespace steadysync;
using namespace steadysync::test;

int main(int argc, char **argv)
{
    const BackendFactory s3{QStringLiteral("ceph-rgw"), [](QString *error) {
                                ContractSubject subject;
                                std::shared_ptr<CephRgw> store = CephRgw::start(error);
                                if (!store)
                                    return subject;
                                const QString bucket = QStringLiteral("contract");
                                if (!store->createBucket(bucket, error))
                                    return subject;
                                Result<S3Endpoint> endpoint =
                                    S3Endpoint::parse(store->remoteUrl(bucket));
                                if (!endpoint.ok()) {
                                    *error = endpoint.error().message;
                                    return subject;
                                }
                                endpoint->accessKeyId = store->accessKeyId();
                                endpoint->secretAccessKey = store->secretAccessKey();
                                subject.backend =
                                    std::make_unique<S3Backend>(*endpoint, BackendOptions{});
                                // Folders are key prefixes: a PUT needs no parent.
                                subject.deviations.putCreatesMissingParents = true;
                                subject.deviations.missingFolderListsEmpty = true;
                                subject.keepAlive = store;
                                return subject;
                            }};
    return runContract(argc, argv, {s3});
}
