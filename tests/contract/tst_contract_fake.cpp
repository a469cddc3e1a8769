// The RemoteBackend contract (backendcontract.h) against the in-memory FakeBackend, so that
// tests built on it stand on the same semantics as the real remotes.
#include "backendcontract.h"
#include "fakebackend.h"

using namespace steadysync::test;

int main(int argc, char **argv)
{
    const BackendFactory fake{QStringLiteral("fake"), [](QString *) {
                                  ContractSubject subject;
                                  subject.backend = std::make_unique<FakeBackend>();
                                  return subject;
                              }};
    return runContract(argc, argv, {fake});
}
