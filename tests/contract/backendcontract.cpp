#include "backendcontract.h"

#include "jobresult.h"
#include "testutil.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

namespace steadysync::test {

namespace {

// The files uploaded and downloaded live here, on the test's side.
QTemporaryDir &scratch()
{
    static QTemporaryDir directory;
    return directory;
}

QString scratchFile(const QByteArray &content)
{
    static int counter = 0;
    const QString path = scratch().filePath(QStringLiteral("up-%1").arg(++counter));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

constexpr qint64 nanosecondsPerSecond = 1'000'000'000;
constexpr qint64 someMtimeNs = 1'700'000'000'000'000'000; // 2023-11-14, whole seconds

JobResult put(RemoteBackend *backend, const QString &path, const QByteArray &content,
              const Precondition &precondition = Precondition::none())
{
    return runJob(backend->upload(scratchFile(content), path, someMtimeNs, precondition));
}

// What the remote holds at path, read back through the backend; nullopt when it fails.
std::optional<QByteArray> fetch(RemoteBackend *backend, const QString &path)
{
    const QString target = scratch().filePath(QStringLiteral("down"));
    const JobResult result = runJob(backend->download(path, target));
    if (!result.ok())
        return std::nullopt;
    return readFile(target);
}

RemoteEntry statOf(RemoteBackend *backend, const QString &path)
{
    const JobResult result = runJob(backend->stat(path));
    if (!result.ok())
        qWarning("stat %s: %s", qPrintable(path), qPrintable(result.describe()));
    return result.entry;
}

// Each evaluates its job expression once (the job runs once) and fails the case with what
// the job said.
#define CONTRACT_OK(jobExpression)                                                                 \
    do {                                                                                           \
        const JobResult contractResult = (jobExpression);                                          \
        QVERIFY2(contractResult.ok(), qPrintable(contractResult.describe()));                      \
    } while (false)
#define CONTRACT_FAILS_WITH(jobExpression, expectedKind)                                           \
    do {                                                                                           \
        const JobResult contractResult = (jobExpression);                                          \
        QVERIFY2(contractResult.failedWith(expectedKind),                                          \
                 qPrintable(QStringLiteral("expected %1, got %2")                                  \
                                .arg(errorKindName(expectedKind), contractResult.describe())));    \
    } while (false)

} // namespace

BackendContract::BackendContract(QList<BackendFactory> factories)
    : m_factories(std::move(factories))
{}

BackendContract::~BackendContract() = default;

void BackendContract::initTestCase_data()
{
    QTest::addColumn<QString>("backendName");
    for (const BackendFactory &factory : std::as_const(m_factories))
        QTest::newRow(qPrintable(factory.name)) << factory.name;
}

void BackendContract::cleanupTestCase()
{
    m_subjects.clear(); // backends before the servers they talk to (keepAlive, same struct)
}

ContractSubject *BackendContract::subject()
{
    QFETCH_GLOBAL(QString, backendName);
    auto found = m_subjects.find(backendName);
    if (found != m_subjects.end())
        return &found->second;
    for (const BackendFactory &factory : std::as_const(m_factories)) {
        if (factory.name != backendName)
            continue;
        QString error;
        ContractSubject made = factory.make(&error);
        if (!made.backend)
            qFatal("%s: the backend cannot be made: %s", qPrintable(backendName),
                   qPrintable(error));
        // Used as the engine uses it: a cycle starts with a stat of the root, from which a
        // WebDAV backend learns the server's ways (without it, Apache refuses locked DELETEs).
        const JobResult root = runJob(made.backend->stat(QString()));
        if (!root.ok())
            qFatal("%s: the root cannot be read: %s", qPrintable(backendName),
                   qPrintable(root.describe()));
        return &m_subjects.emplace(backendName, std::move(made)).first->second;
    }
    qFatal("no factory named %s", qPrintable(backendName));
}

QString BackendContract::freshFolder()
{
    const QString folder = QStringLiteral("case-%1-%2")
                               .arg(++m_folderCounter)
                               .arg(QLatin1String(QTest::currentTestFunction()));
    const JobResult made = runJob(backend()->makeDirectory(folder));
    if (!made.ok())
        qWarning("cannot make %s: %s", qPrintable(folder), qPrintable(made.describe()));
    return folder;
}

// A create (MustNotExist) never replaces a file someone else created meanwhile.
void BackendContract::createOnlyUploadRefusesToOverwrite()
{
    const QString path = freshFolder() + QStringLiteral("/a.txt");
    CONTRACT_OK(put(backend(), path, "first", Precondition::mustNotExist()));
    const JobResult second = put(backend(), path, "second writer", Precondition::mustNotExist());
    CONTRACT_FAILS_WITH(second, ErrorKind::PreconditionFailed);
    QCOMPARE(fetch(backend(), path), QByteArray("first"));
}

// An update made from an old listing fails as a conflict and leaves the newer content.
void BackendContract::updateWithStaleEtagFailsAndKeepsContent()
{
    const QString path = freshFolder() + QStringLiteral("/a.txt");
    CONTRACT_OK(put(backend(), path, "v1"));
    const RemoteEntry v1 = statOf(backend(), path);
    const JobResult v2 =
        put(backend(), path, "v2, longer", Precondition::mustMatch(v1.signature()));
    CONTRACT_OK(v2);
    const RemoteEntry current = statOf(backend(), path);
    QVERIFY(current.signature() != v1.signature());

    const JobResult stale = put(backend(), path, "v3", Precondition::mustMatch(v1.signature()));
    CONTRACT_FAILS_WITH(stale, ErrorKind::PreconditionFailed);
    QCOMPARE(fetch(backend(), path), QByteArray("v2, longer"));
    QCOMPARE(statOf(backend(), path).signature(), current.signature());
}

void BackendContract::deleteWithStaleEtagIsRefused()
{
    const QString path = freshFolder() + QStringLiteral("/a.txt");
    CONTRACT_OK(put(backend(), path, "v1"));
    const RemoteEntry v1 = statOf(backend(), path);
    CONTRACT_OK(put(backend(), path, "v2, longer"));
    const RemoteEntry v2 = statOf(backend(), path);

    const JobResult stale =
        runJob(backend()->remove(path, Precondition::mustMatch(v1.signature())));
    CONTRACT_FAILS_WITH(stale, ErrorKind::PreconditionFailed);
    QCOMPARE(fetch(backend(), path), QByteArray("v2, longer"));

    CONTRACT_OK(runJob(backend()->remove(path, Precondition::mustMatch(v2.signature()))));
    CONTRACT_FAILS_WITH(runJob(backend()->stat(path)), ErrorKind::NotFound);
}

void BackendContract::moveNeverReplaces()
{
    const QString folder = freshFolder();
    const QString from = folder + QStringLiteral("/from.txt");
    const QString to = folder + QStringLiteral("/to.txt");
    CONTRACT_OK(put(backend(), from, "moving"));
    CONTRACT_OK(put(backend(), to, "already there"));

    CONTRACT_FAILS_WITH(runJob(backend()->move(from, to, Precondition::none())),
                        ErrorKind::PreconditionFailed);
    QCOMPARE(fetch(backend(), from), QByteArray("moving"));
    QCOMPARE(fetch(backend(), to), QByteArray("already there"));

    const QString free = folder + QStringLiteral("/free.txt");
    const RemoteEntry before = statOf(backend(), from);
    CONTRACT_OK(runJob(backend()->move(from, free, Precondition::mustMatch(before.signature()))));
    CONTRACT_FAILS_WITH(runJob(backend()->stat(from)), ErrorKind::NotFound);
    QCOMPARE(fetch(backend(), free), QByteArray("moving"));
}

void BackendContract::moveOfFolderTakesItsContent()
{
    const QString folder = freshFolder();
    const QString from = folder + QStringLiteral("/dir");
    CONTRACT_OK(runJob(backend()->makeDirectory(from)));
    CONTRACT_OK(put(backend(), from + QStringLiteral("/inside.txt"), "inside"));
    const QString to = folder + QStringLiteral("/renamed");
    CONTRACT_OK(runJob(backend()->move(from, to, Precondition::none())));
    QCOMPARE(fetch(backend(), to + QStringLiteral("/inside.txt")), QByteArray("inside"));
    CONTRACT_FAILS_WITH(runJob(backend()->stat(from)), ErrorKind::NotFound);
}

// The listing after a write shows that write: its signature, size and modification time.
void BackendContract::listingShowsWhatWasWritten()
{
    const QString folder = freshFolder();
    const QString path = folder + QStringLiteral("/a.txt");
    const JobResult first = put(backend(), path, "first");
    CONTRACT_OK(first);
    const JobResult before = runJob(backend()->list(folder));
    CONTRACT_OK(before);
    const std::optional<RemoteEntry> listedFirst = before.listed(path);
    QVERIFY(listedFirst);
    QCOMPARE(listedFirst->size, qint64(5));
    QCOMPARE(listedFirst->signature(), first.entry.signature());

    const JobResult second = put(backend(), path, "second, longer");
    CONTRACT_OK(second);
    const JobResult after = runJob(backend()->list(folder));
    CONTRACT_OK(after);
    const std::optional<RemoteEntry> listedSecond = after.listed(path);
    QVERIFY(listedSecond);
    QCOMPARE(listedSecond->size, qint64(14));
    QCOMPARE(listedSecond->signature(), second.entry.signature());
    QVERIFY(listedSecond->signature() != listedFirst->signature());
    // The time the upload asked for where the remote keeps it, else the time of the write.
    const qint64 listedMtime = listedSecond->mtimeNs;
    const bool kept = qAbs(listedMtime - someMtimeNs) < nanosecondsPerSecond;
    const qint64 sinceNs = QDateTime::currentMSecsSinceEpoch() * 1'000'000 - listedMtime;
    QVERIFY2(kept || (sinceNs > -2 * nanosecondsPerSecond && sinceNs < 60 * nanosecondsPerSecond),
             qPrintable(QStringLiteral("listed mtime %1").arg(listedMtime)));
    // The upload's answer describes the version as listings show it, to the second.
    if (subject()->deviations.uploadAnswerMayClaimRequestedMtime && !kept) {
        QCOMPARE(second.entry.mtimeNs, someMtimeNs); // the documented deviation, as it is
        return;
    }
    QVERIFY2(qAbs(listedMtime - second.entry.mtimeNs) < nanosecondsPerSecond,
             qPrintable(QStringLiteral("listed %1, upload said %2")
                            .arg(listedMtime)
                            .arg(second.entry.mtimeNs)));
}

// Absent is an answer, not a failure: a stat or a listing of nothing says NotFound.
void BackendContract::missingPathIsNotFound()
{
    const QString folder = freshFolder();
    CONTRACT_FAILS_WITH(runJob(backend()->stat(folder + QStringLiteral("/none.txt"))),
                        ErrorKind::NotFound);
    CONTRACT_FAILS_WITH(runJob(backend()->stat(folder + QStringLiteral("/no/none.txt"))),
                        ErrorKind::NotFound);
    const JobResult listed = runJob(backend()->list(folder + QStringLiteral("/no")));
    if (subject()->deviations.missingFolderListsEmpty) {
        CONTRACT_OK(listed);
        QVERIFY(listed.entries.isEmpty()); // the documented deviation, as it is
    } else {
        CONTRACT_FAILS_WITH(listed, ErrorKind::NotFound);
    }
    CONTRACT_FAILS_WITH(runJob(backend()->download(folder + QStringLiteral("/none.txt"),
                                                   scratch().filePath(QStringLiteral("x")))),
                        ErrorKind::NotFound);
}

// Making a folder that exists succeeds and keeps what is in it; over a file it is refused.
void BackendContract::makeDirectoryOfExistingDirectory()
{
    const QString folder = freshFolder();
    const QString dir = folder + QStringLiteral("/dir");
    CONTRACT_OK(runJob(backend()->makeDirectory(dir)));
    CONTRACT_OK(put(backend(), dir + QStringLiteral("/kept.txt"), "kept"));
    const JobResult again = runJob(backend()->makeDirectory(dir));
    CONTRACT_OK(again);
    QVERIFY(again.entry.isDir());
    QCOMPARE(fetch(backend(), dir + QStringLiteral("/kept.txt")), QByteArray("kept"));

    const QString file = folder + QStringLiteral("/file");
    CONTRACT_OK(put(backend(), file, "a file"));
    // Apache answers 400 there; the backend keeps a refusal as such (tst_webdavhostile,
    // makeDirectoryThatExists): shown as a failure instead of reconciled again, file kept.
    const ErrorKind overFile = subject()->deviations.mkcolOverFileIsRefused
                                   ? ErrorKind::Permanent
                                   : ErrorKind::PreconditionFailed;
    CONTRACT_FAILS_WITH(runJob(backend()->makeDirectory(file)), overFile);
    QCOMPARE(fetch(backend(), file), QByteArray("a file"));
}

void BackendContract::uploadIntoMissingFolder()
{
    const QString folder = freshFolder();
    const QString path = folder + QStringLiteral("/missing/a.txt");
    const JobResult result = put(backend(), path, "content");
    if (subject()->deviations.putCreatesMissingParents) {
        // The documented fallback: the server made the folder; nothing else was touched.
        CONTRACT_OK(result);
        QVERIFY(statOf(backend(), folder + QStringLiteral("/missing")).isDir());
        QCOMPARE(fetch(backend(), path), QByteArray("content"));
        return;
    }
    CONTRACT_FAILS_WITH(result, ErrorKind::ParentMissing);
    CONTRACT_FAILS_WITH(runJob(backend()->stat(path)), ErrorKind::NotFound);
}

void BackendContract::downloadRoundTripsBytes()
{
    const QString folder = freshFolder();
    QByteArray mebibyte(1024 * 1024, Qt::Uninitialized);
    QRandomGenerator generator(16);
    for (char &byte : mebibyte)
        byte = char(generator.bounded(256));
    mebibyte[10] = '\0';
    const QList<QByteArray> contents = {QByteArray(), QByteArray("x"), QByteArray("line\r\n\0z", 8),
                                        mebibyte};
    for (int index = 0; index < contents.size(); ++index) {
        const QString path = folder + QStringLiteral("/file-%1").arg(index);
        const JobResult upload = put(backend(), path, contents[index]);
        CONTRACT_OK(upload);
        QCOMPARE(statOf(backend(), path).size, qint64(contents[index].size()));
        const std::optional<QByteArray> back = fetch(backend(), path);
        QVERIFY2(back, qPrintable(path));
        QCOMPARE(back->size(), contents[index].size());
        QVERIFY(*back == contents[index]);
    }
}

// Names a URL must escape: every operation finds the file under the name it was given.
void BackendContract::awkwardNamesRoundTrip()
{
    const QString parent = freshFolder() + QStringLiteral("/dir with #?% in it");
    CONTRACT_OK(runJob(backend()->makeDirectory(parent)));
    const QStringList names = {
        QStringLiteral("with space.txt"), QStringLiteral("ünïcödé 日本語.txt"),
        QStringLiteral("100%.txt"),       QStringLiteral("%41%2F.txt"),
        QStringLiteral("a#b.txt"),        QStringLiteral("what?.txt"),
        QStringLiteral("+&;=@'!.txt")};
    for (const QString &name : names)
        CONTRACT_OK(put(backend(), parent + u'/' + name, name.toUtf8()));

    const JobResult listing = runJob(backend()->list(parent));
    CONTRACT_OK(listing);
    QStringList listed;
    for (const RemoteEntry &entry : listing.entries)
        listed.append(entry.path.mid(parent.size() + 1));
    listed.sort();
    QStringList expected = names;
    expected.sort();
    QCOMPARE(listed, expected);
    for (const QString &name : names) {
        QCOMPARE(fetch(backend(), parent + u'/' + name), name.toUtf8());
        QCOMPARE(statOf(backend(), parent + u'/' + name).size, qint64(name.toUtf8().size()));
    }
    const QString moved = parent + QStringLiteral("/moved #%?.txt");
    CONTRACT_OK(runJob(backend()->move(parent + u'/' + names[2], moved, Precondition::none())));
    QCOMPARE(fetch(backend(), moved), names[2].toUtf8());
    CONTRACT_OK(runJob(backend()->remove(moved, Precondition::none())));
    CONTRACT_FAILS_WITH(runJob(backend()->stat(moved)), ErrorKind::NotFound);
}

// A rewrite of the same size right after the first write: its signature changes, or (a
// server with neither ETags nor sub-second times) what the journal records of it is unsettled,
// so that the next cycle compares content instead of trusting it.
void BackendContract::sameSizeRewriteIsNoticed()
{
    const QString path = freshFolder() + QStringLiteral("/a.txt");
    CONTRACT_OK(
        runJob(backend()->upload(scratchFile("aaaa"), path, someMtimeNs, Precondition::none())));
    const RemoteEntry first = statOf(backend(), path);
    CONTRACT_OK(
        runJob(backend()->upload(scratchFile("bbbb"), path, someMtimeNs, Precondition::none())));
    const RemoteEntry second = statOf(backend(), path);
    QCOMPARE(fetch(backend(), path), QByteArray("bbbb"));
    if (second.signature() != first.signature())
        return;
    QVERIFY2(subject()->deviations.signatureMayMissSameSizeRewrite,
             qPrintable(
                 QStringLiteral("a rewrite kept the signature %1 (first %2 at %3, then %4 "
                                "at %5)")
                     .arg(QString::fromLatin1(second.signature()), QString::fromLatin1(first.etag))
                     .arg(first.mtimeNs)
                     .arg(QString::fromLatin1(second.etag))
                     .arg(second.mtimeNs)));
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    QCOMPARE(remoteCheckOf(first, nowMs), RemoteCheck::Unsettled);
    QCOMPARE(remoteCheckOf(second, nowMs), RemoteCheck::Unsettled);
}

int runContract(int argc, char **argv, QList<BackendFactory> factories)
{
    QCoreApplication app(argc, argv);
    if (!scratch().isValid())
        qFatal("no temporary directory");
    BackendContract contract(std::move(factories));
    return QTest::qExec(&contract, argc, argv);
}

} // namespace steadysync::test
