// The RemoteBackend contract (backendcontract.h) against a plain directory (file://).
#include "backendcontract.h"
#include "remote/localdirbackend.h"

#include <QTemporaryDir>

using namespace steadysync;
using namespace steadysync::test;

int main(int argc, char **argv)
{
    const BackendFactory local{QStringLiteral("local"), [](QString *error) {
                                   ContractSubject subject;
                                   auto directory = std::make_shared<QTemporaryDir>();
                                   if (!directory->isValid()) {
                                       *error = directory->errorString();
                                       return subject;
                                   }
                                   subject.backend = std::make_unique<LocalDirBackend>(
                                       directory->path(), BackendOptions{});
                                   subject.keepAlive = directory;
                                   return subject;
                               }};
    return runContract(argc, argv, {local});
}
