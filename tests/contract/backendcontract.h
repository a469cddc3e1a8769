#pragma once

// One RemoteBackend contract, run alike against every backend: the local directory
// (tst_contract_local), each real WebDAV server (tst_contract_webdav) and the FakeBackend
// (tst_contract_fake). What the sync engine relies on from any remote is asserted here once.
//
// Adding a backend takes a factory and a main (see tests/contract/README.md):
//
//     BackendFactory myFactory()
//     {
//         return {QStringLiteral("mine"), [](QString *error) -> ContractSubject {
//             ContractSubject subject;
//             subject.backend = ...;        // a fresh, empty remote
//             subject.keepAlive = ...;      // whatever must live as long as it (a server)
//             return subject;               // or an empty backend and *error set
//         }};
//     }
//     int main(int argc, char **argv) { return runContract(argc, argv, {myFactory()}); }
//
// and a steadysync_add_contract(tst_contract_mine ...) line in tests/contract/CMakeLists.txt.
// Where a server legitimately cannot do something, the subject names the deviation in
// Deviations and the case asserts the documented fallback instead: never a skip.

#include "remote/remotebackend.h"

#include <QObject>

#include <functional>
#include <map>
#include <memory>

namespace steadysync::test {

// Behaviours of a remote that differ from the contract's default and that the suite then
// checks in their documented form (/work/shared/ENVIRONMENT.md, the WebDAV server table).
struct Deviations
{
    // nginx (create_full_put_path): a PUT below a missing folder creates the folder instead
    // of failing with ParentMissing.
    bool putCreatesMissingParents = false;
    // nginx: no ETag in listings and mtimes in whole seconds, so a rewrite of the same size
    // within a second keeps the signature; remoteCheckOf() must then say Unsettled.
    bool signatureMayMissSameSizeRewrite = false;
    // rclone, lighttpd: the server keeps its own modification times (X-OC-Mtime ignored) and
    // answers a PUT with an ETag but no Last-Modified; the upload's entry then gives the mtime
    // that was asked for, not the one listings show. Harmless while ETags tell changes.
    bool uploadAnswerMayClaimRequestedMtime = false;
    // Apache: a MKCOL where a file is answers 400 Bad Request (not 405), which the backend
    // reports as the refusal it is (Permanent) rather than as the remote changed meanwhile.
    bool mkcolOverFileIsRefused = false;
    // S3: a folder is a key prefix, and a prefix nothing is stored under lists as empty; a
    // listing cannot tell a missing folder from an empty one (stat can: NotFound).
    bool missingFolderListsEmpty = false;
};

struct ContractSubject
{
    std::unique_ptr<RemoteBackend> backend; // a fresh, empty remote
    std::shared_ptr<void> keepAlive;        // a server, a temporary directory
    Deviations deviations;
};

struct BackendFactory
{
    QString name; // the test's data tag
    std::function<ContractSubject(QString *error)> make;
};

class BackendContract : public QObject
{
    Q_OBJECT
public:
    explicit BackendContract(QList<BackendFactory> factories);
    ~BackendContract() override;

private Q_SLOTS:
    void initTestCase_data();
    void cleanupTestCase();

    void createOnlyUploadRefusesToOverwrite();
    void updateWithStaleEtagFailsAndKeepsContent();
    void deleteWithStaleEtagIsRefused();
    void moveNeverReplaces();
    void moveOfFolderTakesItsContent();
    void listingShowsWhatWasWritten();
    void missingPathIsNotFound();
    void makeDirectoryOfExistingDirectory();
    void uploadIntoMissingFolder();
    void downloadRoundTripsBytes();
    void awkwardNamesRoundTrip();
    void sameSizeRewriteIsNoticed();

private:
    // The backend of the current data row, made on first use and kept for the whole run.
    ContractSubject *subject();
    RemoteBackend *backend() { return subject()->backend.get(); }
    // A new empty folder for the running case, so that cases never see each other's files.
    QString freshFolder();

    QList<BackendFactory> m_factories;
    std::map<QString, ContractSubject> m_subjects;
    int m_folderCounter = 0;
};

// Runs the contract against each factory's backend (one data row each); a main() for it.
int runContract(int argc, char **argv, QList<BackendFactory> factories);

} // namespace steadysync::test
