// End-to-end tests of `steadysync-cli sync` and friends: two clients (folders A and B)
// sharing one file:// remote, driven through the real binary.
#include "clipair.h"
#include "testutil.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <cstdio>
#include <sys/stat.h>

using namespace steadysync::test;

namespace {

using Pair = CliPair;

QString describe(const CliRunner::Outcome &outcome)
{
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3")
        .arg(outcome.exitCode)
        .arg(QString::fromUtf8(outcome.out), QString::fromUtf8(outcome.err));
}

// Evaluates `outcome` once: it is usually a sync run.
#define SYNC_OK(outcome)                                                                           \
    do {                                                                                           \
        const CliRunner::Outcome syncOkOutcome = (outcome);                                        \
        QVERIFY2(syncOkOutcome.exitCode == 0, qPrintable(describe(syncOkOutcome)));                \
    } while (false)

QStringList filesIn(const QString &directory)
{
    QStringList names;
    QDirIterator it(directory, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString name = QDir(directory).relativeFilePath(it.next());
        // The client's own state: a file:// remote holds its marker there (RootIdentity).
        if (!name.startsWith(QStringLiteral(".steadysync/")))
            names.append(name);
    }
    names.sort();
    return names;
}

quint64 inodeOf(const QString &path)
{
    struct stat st;
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_ino : 0;
}

bool existsRaw(const QByteArray &path)
{
    struct stat st;
    return ::lstat(path.constData(), &st) == 0;
}

// Renames within a directory using raw bytes: the new name need not be UTF-8.
bool renameRaw(const QString &directory, const QString &from, const QByteArray &to)
{
    const QByteArray dir = QFile::encodeName(directory) + '/';
    return std::rename((dir + QFile::encodeName(from)).constData(), (dir + to).constData()) == 0;
}

// A loopback port nothing listens on (it was free a moment ago).
quint16 unusedLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

QStringList conflictCopies(const QString &directory)
{
    QStringList copies;
    for (const QString &name : filesIn(directory)) {
        if (name.contains(QStringLiteral(" (conflict ")))
            copies.append(name);
    }
    return copies;
}

} // namespace

class TestCliSync : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstSyncUploadsTreeAndRerunChangesNothing();
    void largeNewFilesAreHashedOnTheirWayUp();
    void secondClientReceivesAndEditsFlowBack();
    void concurrentEditsKeepBoth();
    void concurrentEditsLocalAndRemoteWins_data();
    void concurrentEditsLocalAndRemoteWins();
    void askPolicyRecordsConflictAndResolves_data();
    void askPolicyRecordsConflictAndResolves();
    void identicalEditsAreNotConflicts();
    void remoteDeleteSendsLocalCopyToTrash();
    void remoteDeleteWithoutDataHomeWritesNothingIntoTheFolder();
    void deleteVersusEditModificationWins();
    void editVersusDeleteModificationWins();
    void localRenameIsOneRemoteMove();
    void directoryRenameAndDelete();
    void remoteFolderRenameIsOneLocalMove();
    void remoteRenameOfALocallyEditedFileKeepsBoth();
    void massDeleteGuardStopsAndExitsFour();
    void emptiedRemoteIsNotReadAsDeletion();
    void missingRemoteRootExitsThree();
    void refusedConnectionExitsThree();
    void wrongPasswordExitsThreeWithLoginHint();
    void hostileNamesRoundTrip();
    void replacementCharacterNamesRoundTrip();
    void refusedRemoteNamesAreLeftAlone();
    void ignoredNamesAndSymlinksStayLocal();
    void statusJsonReportsCounters();
    void usageErrorsExitTwo();
    void journalIsPrivate();
    void progressLineOnlyOnATerminal();
    void bandwidthLimitsHoldForSmallFiles_data();
    void bandwidthLimitsHoldForSmallFiles();
};

void TestCliSync::firstSyncUploadsTreeAndRerunChangesNothing()
{
    Pair pair;
    writeFile(pair.a(), QStringLiteral("top.txt"), "top");
    writeFile(pair.a(), QStringLiteral("docs/readme.md"), "readme");
    writeFile(pair.a(), QStringLiteral("docs/deep/nested/file.bin"), QByteArray(100'000, 'x'));
    QDir().mkpath(pair.a() + QStringLiteral("/empty/dir"));

    const auto first = pair.sync(pair.a());
    SYNC_OK(first);
    const QJsonObject report = first.json();
    QCOMPARE(report.value(QStringLiteral("uploaded")).toInt(), 3);
    QCOMPARE(report.value(QStringLiteral("downloaded")).toInt(), 0);
    QCOMPARE(report.value(QStringLiteral("bytes_up")).toInteger(), 3 + 6 + 100'000);
    for (const char *key :
         {"uploaded", "downloaded", "deleted_local", "deleted_remote", "moved", "conflicts",
          "failed", "queued", "skipped_unchanged", "bytes_up", "bytes_down", "seconds"})
        QVERIFY2(report.contains(QLatin1String(key)), key);
    QCOMPARE(readTree(pair.remote()), readTree(pair.a()));

    const auto second = pair.sync(pair.a());
    SYNC_OK(second);
    QCOMPARE(second.json().value(QStringLiteral("uploaded")).toInt(), 0);
    QCOMPARE(second.json().value(QStringLiteral("bytes_up")).toInt(), 0);

    // touch without a content change: metadata only, no transfer.
    setMtimeOffset(pair.a() + QStringLiteral("/top.txt"), -100);
    const auto touched = pair.sync(pair.a());
    SYNC_OK(touched);
    QCOMPARE(touched.json().value(QStringLiteral("uploaded")).toInt(), 0);
    QCOMPARE(touched.json().value(QStringLiteral("downloaded")).toInt(), 0);
    QCOMPARE(touched.json().value(QStringLiteral("skipped_unchanged")).toInt(), 1);
}

void TestCliSync::largeNewFilesAreHashedOnTheirWayUp()
{
    // From 8 MiB the scan leaves a new file's hash to its upload, which reads it anyway.
    Pair pair;
    QByteArray content(9 * 1024 * 1024 + 3, Qt::Uninitialized);
    for (qsizetype i = 0; i < content.size(); ++i)
        content[i] = char((i * 131 + i / 65536) & 0xff);
    writeFile(pair.a(), QStringLiteral("big/video.bin"), content);
    const auto first = pair.sync(pair.a());
    SYNC_OK(first);
    QCOMPARE(first.json().value(QStringLiteral("uploaded")).toInt(), 1);
    QCOMPARE(first.json().value(QStringLiteral("bytes_up")).toInteger(), content.size());
    QVERIFY(readFile(pair.remote() + QStringLiteral("/big/video.bin")) == content);

    // The record holds the hash of what went up: a touch alone moves nothing...
    setMtimeOffset(pair.a() + QStringLiteral("/big/video.bin"), -100);
    const auto touched = pair.sync(pair.a());
    SYNC_OK(touched);
    QCOMPARE(touched.json().value(QStringLiteral("uploaded")).toInt(), 0);
    QCOMPARE(touched.json().value(QStringLiteral("skipped_unchanged")).toInt(), 1);
    // ...and an edit of the same size goes up.
    content[5'000'000] = char(content.at(5'000'000) ^ 0x5a);
    writeFile(pair.a(), QStringLiteral("big/video.bin"), content);
    const auto edited = pair.sync(pair.a());
    SYNC_OK(edited);
    QCOMPARE(edited.json().value(QStringLiteral("uploaded")).toInt(), 1);
    QVERIFY(readFile(pair.remote() + QStringLiteral("/big/video.bin")) == content);

    // B has the same file already: compared by content, no conflict copy...
    writeFile(pair.b(), QStringLiteral("big/video.bin"), content);
    // ...and another one under a name A uploads meanwhile: a conflict.
    QByteArray other = content;
    other[0] = char(other.at(0) ^ 1);
    writeFile(pair.a(), QStringLiteral("big/other.bin"), content);
    SYNC_OK(pair.sync(pair.a()));
    writeFile(pair.b(), QStringLiteral("big/other.bin"), other);
    const auto joined = pair.sync(pair.b());
    SYNC_OK(joined);
    QCOMPARE(joined.json().value(QStringLiteral("conflicts")).toInt(), 1);
    const QStringList copies = conflictCopies(pair.b());
    QCOMPARE(copies.size(), 1);
    QVERIFY2(copies.first().startsWith(QStringLiteral("big/other (conflict ")),
             qPrintable(copies.first()));
    QVERIFY(readFile(pair.b() + QStringLiteral("/big/video.bin")) == content);
    SYNC_OK(pair.sync(pair.a()));
    const auto settled = pair.sync(pair.b());
    SYNC_OK(settled);
    QCOMPARE(settled.json().value(QStringLiteral("uploaded")).toInt(), 0);
    QCOMPARE(settled.json().value(QStringLiteral("downloaded")).toInt(), 0);
    QCOMPARE(readTree(pair.a()), readTree(pair.b()));
}

void TestCliSync::secondClientReceivesAndEditsFlowBack()
{
    Pair pair;
    writeFile(pair.a(), QStringLiteral("shared/notes.txt"), "v1");
    SYNC_OK(pair.sync(pair.a()));
    const auto receive = pair.sync(pair.b());
    SYNC_OK(receive);
    QCOMPARE(receive.json().value(QStringLiteral("downloaded")).toInt(), 1);
    QCOMPARE(readFile(pair.b() + QStringLiteral("/shared/notes.txt")), QByteArray("v1"));

    writeFile(pair.b(), QStringLiteral("shared/notes.txt"), "v2 from B");
    SYNC_OK(pair.sync(pair.b()));
    const auto back = pair.sync(pair.a());
    SYNC_OK(back);
    QCOMPARE(back.json().value(QStringLiteral("downloaded")).toInt(), 1);
    QCOMPARE(readFile(pair.a() + QStringLiteral("/shared/notes.txt")), QByteArray("v2 from B"));
    QCOMPARE(readTree(pair.a()), readTree(pair.b()));
}

void TestCliSync::concurrentEditsKeepBoth()
{
    Pair pair;
    writeFile(pair.a(), QStringLiteral("report.tar.gz"), "base");
    SYNC_OK(pair.sync(pair.a()));
    SYNC_OK(pair.sync(pair.b()));

    writeFile(pair.a(), QStringLiteral("report.tar.gz"), "edit from A (older)");
    setMtimeOffset(pair.a() + QStringLiteral("/report.tar.gz"), -600);
    writeFile(pair.b(), QStringLiteral("report.tar.gz"), "edit from B (newer)");
    SYNC_OK(pair.sync(pair.b()));
    const auto clash = pair.sync(pair.a());
    SYNC_OK(clash);
    QCOMPARE(clash.json().value(QStringLiteral("conflicts")).toInt(), 1);
    SYNC_OK(pair.sync(pair.b()));

    // Newer mtime keeps the name; the other version is a conflict copy on all three sides.
    for (const QString &side : {pair.a(), pair.b(), pair.remote()}) {
        QCOMPARE(readFile(side + QStringLiteral("/report.tar.gz")),
                 QByteArray("edit from B (newer)"));
        const QStringList copies = conflictCopies(side);
        QCOMPARE(copies.size(), 1);
        QVERIFY2(copies.first().startsWith(QStringLiteral("report.tar (conflict ")),
                 qPrintable(copies.first()));
        QVERIFY(copies.first().endsWith(QStringLiteral(").gz")));
        QCOMPARE(readFile(side + QLatin1Char('/') + copies.first()),
                 QByteArray("edit from A (older)"));
    }
    QCOMPARE(readTree(pair.a()), readTree(pair.remote()));
    QCOMPARE(readTree(pair.b()), readTree(pair.remote()));
}

void TestCliSync::concurrentEditsLocalAndRemoteWins_data()
{
    QTest::addColumn<QString>("policy");
    QTest::addColumn<QByteArray>("winner");
    QTest::addColumn<QByteArray>("loser");
    // A syncs second, so "local" is A's version.
    QTest::newRow("local-wins") << QStringLiteral("local-wins") << QByteArray("A")
                                << QByteArray("B");
    QTest::newRow("remote-wins") << QStringLiteral("remote-wins") << QByteArray("B")
                                 << QByteArray("A");
}

void TestCliSync::concurrentEditsLocalAndRemoteWins()
{
    QFETCH(QString, policy);
    QFETCH(QByteArray, winner);
    QFETCH(QByteArray, loser);
    Pair pair;
    // On nginx (no ETag) B's upload and A's rewrite land in the same second with the same
    // size: only the content check of unsettled signatures (VerifyRemote) tells them apart.
    writeFile(pair.a(), QStringLiteral("plan.txt"), "base");
    SYNC_OK(pair.sync(pair.a()));
    SYNC_OK(pair.sync(pair.b()));
    writeFile(pair.a(), QStringLiteral("plan.txt"), "A");
    writeFile(pair.b(), QStringLiteral("plan.txt"), "B");
    SYNC_OK(pair.sync(pair.b()));
    SYNC_OK(pair.sync(pair.a(), {QStringLiteral("--conflict-policy"), policy}));
    SYNC_OK(pair.sync(pair.b()));
    for (const QString &side : {pair.a(), pair.b(), pair.remote()}) {
        QCOMPARE(readFile(side + QStringLiteral("/plan.txt")), winner);
        const QStringList copies = conflictCopies(side);
        QCOMPARE(copies.size(), 1);
        QCOMPARE(readFile(side + QLatin1Char('/') + copies.first()), loser);
    }
}

void TestCliSync::askPolicyRecordsConflictAndResolves_data()
{
    QTest::addColumn<QString>("keep");
    QTest::addColumn<QByteArray>("expectedName");
    QTest::addColumn<bool>("copyRemains");
    QTest::newRow("local") << QStringLiteral("local") << QByteArray("mine") << false;
    QTest::newRow("remote") << QStringLiteral("remote") << QByteArray("theirs") << false;
    QTest::newRow("both") << QStringLiteral("both") << QByteArray("mine") << true;
}

void TestCliSync::askPolicyRecordsConflictAndResolves()
{
    QFETCH(QString, keep);
    QFETCH(QByteArray, expectedName);
    QFETCH(bool, copyRemains);
    Pair pair;
    writeFile(pair.a(), QStringLiteral("doc.txt"), "base");
    SYNC_OK(pair.sync(pair.a()));
    SYNC_OK(pair.sync(pair.b()));
    writeFile(pair.a(), QStringLiteral("doc.txt"), "mine");
    writeFile(pair.b(), QStringLiteral("doc.txt"), "theirs");
    SYNC_OK(pair.sync(pair.b()));

    const QStringList ask{QStringLiteral("--conflict-policy"), QStringLiteral("ask")};
    const auto open = pair.sync(pair.a(), ask);
    QVERIFY2(open.exitCode == 1, qPrintable(describe(open)));
    QCOMPARE(readFile(pair.a() + QStringLiteral("/doc.txt")), QByteArray("mine"));
    QCOMPARE(readFile(pair.remote() + QStringLiteral("/doc.txt")), QByteArray("theirs"));
    QCOMPARE(conflictCopies(pair.remote()).size(), 0); // nothing of that path uploaded

    const auto list = pair.cli.run(
        {QStringLiteral("conflicts"), QStringLiteral("list"), pair.a(), QStringLiteral("--json")});
    QCOMPARE(list.exitCode, 0);
    const QJsonArray conflicts = QJsonDocument::fromJson(list.out).array();
    QCOMPARE(conflicts.size(), 1);
    const QJsonObject conflict = conflicts.first().toObject();
    QCOMPARE(conflict.value(QStringLiteral("path")).toString(), QStringLiteral("doc.txt"));
    const QString remoteCopy = conflict.value(QStringLiteral("remote_copy")).toString();
    QVERIFY(remoteCopy.startsWith(QStringLiteral("doc (conflict ")));
    QCOMPARE(readFile(pair.a() + QLatin1Char('/') + remoteCopy), QByteArray("theirs"));
    QVERIFY(!conflict.value(QStringLiteral("detected")).toString().isEmpty());
    QCOMPARE(conflict.value(QStringLiteral("local_copy")).toString(), QStringLiteral("doc.txt"));

    // Still open on the next sync: nothing moves, still exit 1.
    QCOMPARE(pair.sync(pair.a(), ask).exitCode, 1);

    const auto resolve =
        pair.cli.run({QStringLiteral("conflicts"), QStringLiteral("resolve"), pair.a(),
                      QStringLiteral("doc.txt"), QStringLiteral("--keep"), keep});
    QVERIFY2(resolve.exitCode == 0, qPrintable(describe(resolve)));
    SYNC_OK(pair.sync(pair.b()));
    for (const QString &side : {pair.a(), pair.b(), pair.remote()}) {
        QCOMPARE(readFile(side + QStringLiteral("/doc.txt")), expectedName);
        QCOMPARE(QFileInfo::exists(side + QLatin1Char('/') + remoteCopy), copyRemains);
    }
    if (copyRemains)
        QCOMPARE(readFile(pair.b() + QLatin1Char('/') + remoteCopy), QByteArray("theirs"));
    const auto none = pair.cli.run(
        {QStringLiteral("conflicts"), QStringLiteral("list"), pair.a(), QStringLiteral("--json")});
    QCOMPARE(QJsonDocument::fromJson(none.out).array().size(), 0);
    // The discarded version is in the trash, not gone.
    const QStringList trashed = filesIn(pair.cli.trashFilesDirectory());
    if (!copyRemains)
        QCOMPARE(trashed.size(), 1);
}

void TestCliSync::identicalEditsAreNotConflicts()
{
    Pair pair;
    writeFile(pair.a(), QStringLiteral("same.txt"), "base");
    SYNC_OK(pair.sync(pair.a()));
    SYNC_OK(pair.sync(pair.b()));
    writeFile(pair.a(), QStringLiteral("same.txt"), "identical edit");
    writeFile(pair.b(), QStringLiteral("same.txt"), "identical edit");
    writeFile(pair.a(), QStringLiteral("new-both.txt"), "born twice");
    writeFile(pair.b(), QStringLiteral("new-both.txt"), "born twice");
    SYNC_OK(pair.sync(pair.b()));
    const auto result = pair.sync(pair.a());
    SYNC_OK(result);
    QCOMPARE(result.json().value(QStringLiteral("conflicts")).toInt(), 0);
    QCOMPARE(conflictCopies(pair.a()).size(), 0);
    QCOMPARE(conflictCopies(pair.remote()).size(), 0);
}

void TestCliSync::remoteDeleteSendsLocalCopyToTrash()
{
    Pair pair;
    writeFile(pair.a(), QStringLiteral("old/letter.txt"), "dear");
    writeFile(pair.a(), QStringLiteral("keep.txt"), "keep");
    SYNC_OK(pair.sync(pair.a()));
    SYNC_OK(pair.sync(pair.b()));
    QVERIFY(QFile::remove(pair.b() + QStringLiteral("/old/letter.txt")));
    QVERIFY(QDir(pair.b() + QStringLiteral("/old")).removeRecursively());
    const auto removed = pair.sync(pair.b());
    SYNC_OK(removed);
    QCOMPARE(removed.json().value(QStringLiteral("deleted_remote")).toInt(), 1);
    QVERIFY(!QFileInfo::exists(pair.remote() + QStringLiteral("/old/letter.txt")));
    QVERIFY(!QFileInfo::exists(pair.remote() + QStringLiteral("/old")));

    const auto applied = pair.sync(pair.a());
    SYNC_OK(applied);
    QCOMPARE(applied.json().value(QStringLiteral("deleted_local")).toInt(), 1);
    QVERIFY(!QFileInfo::exists(pair.a() + QStringLiteral("/old/letter.txt")));
    QVERIFY(!QFileInfo::exists(pair.a() + QStringLiteral("/old")));
    // In the trash, not destroyed.
    bool found = false;
    QDirIterator it(pair.cli.trashFilesDirectory(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        found |= readFile(it.next()) == QByteArray("dear");
    QVERIFY2(found, "the deleted file is not in the trash");
    QCOMPARE(readTree(pair.a()), readTree(pair.remote()));
}

// Issue 13, case 9: a fresh headless account (cron, root) has no ~/.local/share. Qt 6.4's
// QFile::moveToTrash then wrote the file to ./files and ./info of the current directory; run
// from inside the synced folder, the next sync uploaded them, .trashinfo included.
void TestCliSync::remoteDeleteWithoutDataHomeWritesNothingIntoTheFolder()
{
    Pair pair;
    writeFile(pair.a(), QStringLiteral("doomed.txt"), "last words");
    writeFile(pair.a(), QStringLiteral("keep.txt"), "keep");
    writeFile(pair.a(), QStringLiteral("sub/also-kept.txt"), "kept");
    SYNC_OK(pair.sync(pair.a()));
    pair.cli.removeDataHome();
    pair.cli.setWorkingDirectory(pair.a());
    QVERIFY(QFile::remove(pair.remote() + QStringLiteral("/doomed.txt")));

    const auto applied = pair.sync(pair.a());
    SYNC_OK(applied);
    QCOMPARE(applied.json().value(QStringLiteral("deleted_local")).toInt(), 1);
    SYNC_OK(pair.sync(pair.a()));
    QVERIFY(!QFileInfo::exists(pair.a() + QStringLiteral("/doomed.txt")));
    for (const QString &side : {pair.a(), pair.remote()}) {
        for (const QString &name : {QStringLiteral("files"), QStringLiteral("info")})
            QVERIFY2(!QFileInfo::exists(side + QLatin1Char('/') + name),
                     qPrintable(describeTree(QStringLiteral("side"), side)));
    }
    QCOMPARE(readTree(pair.a()), readTree(pair.remote()));
    QCOMPARE(readFile(pair.cli.trashFilesDirectory() + QStringLiteral("/doomed.txt")),
             QByteArray("last words"));
}

void TestCliSync::deleteVersusEditModificationWins()
{
    Pair pair;
    writeFile(pair.a(), QStringLiteral("bystander.txt"), "keeps the folder non-empty");
    writeFile(pair.a(), QStringLiteral("contested.txt"), "base");
    SYNC_OK(pair.sync(pair.a()));
    SYNC_OK(pair.sync(pair.b()));
    QVERIFY(QFile::remove(pair.a() + QStringLiteral("/contested.txt")));
    writeFile(pair.b(), QStringLiteral("contested.txt"), "edited by B");
    SYNC_OK(pair.sync(pair.b()));
    const auto result = pair.sync(pair.a());
    SYNC_OK(result);
    QCOMPARE(result.json().value(QStringLiteral("downloaded")).toInt(), 1);
    QCOMPARE(readFile(pair.a() + QStringLiteral("/contested.txt")), QByteArray("edited by B"));
}

void TestCliSync::editVersusDeleteModificationWins()
{
    Pair pair;
    writeFile(pair.a(), QStringLiteral("bystander.txt"), "keeps the folder non-empty");
    writeFile(pair.a(), QStringLiteral("contested.txt"), "base");
    SYNC_OK(pair.sync(pair.a()));
    SYNC_OK(pair.sync(pair.b()));
    QVERIFY(QFile::remove(pair.a() + QStringLiteral("/contested.txt")));
    writeFile(pair.b(), QStringLiteral("contested.txt"), "edited by B");
    SYNC_OK(pair.sync(pair.a())); // the delete reaches the remote first
    QVERIFY(!QFileInfo::exists(pair.remote() + QStringLiteral("/contested.txt")));
    const auto result = pair.sync(pair.b());
    SYNC_OK(result);
    QCOMPARE(result.json().value(QStringLiteral("uploaded")).toInt(), 1);
    QCOMPARE(readFile(pair.remote() + QStringLiteral("/contested.txt")), QByteArray("edited by B"));
    SYNC_OK(pair.sync(pair.a()));
    QCOMPARE(readFile(pair.a() + QStringLiteral("/contested.txt")), QByteArray("edited by B"));
}

void TestCliSync::localRenameIsOneRemoteMove()
{
    Pair pair;
    writeFile(pair.a(), QStringLiteral("draft.txt"), QByteArray(50'000, 'd'));
    SYNC_OK(pair.sync(pair.a()));
    const quint64 remoteInode = inodeOf(pair.remote() + QStringLiteral("/draft.txt"));
    QVERIFY(QFile::rename(pair.a() + QStringLiteral("/draft.txt"),
                          pair.a() + QStringLiteral("/final.txt")));
    const auto result = pair.sync(pair.a());
    SYNC_OK(result);
    QCOMPARE(result.json().value(QStringLiteral("moved")).toInt(), 1);
    QCOMPARE(result.json().value(QStringLiteral("uploaded")).toInt(), 0);
    QCOMPARE(result.json().value(QStringLiteral("bytes_up")).toInt(), 0);
    QVERIFY(!QFileInfo::exists(pair.remote() + QStringLiteral("/draft.txt")));
    QCOMPARE(inodeOf(pair.remote() + QStringLiteral("/final.txt")),
             remoteInode); // moved, not rewritten
}

void TestCliSync::directoryRenameAndDelete()
{
    Pair pair;
    for (int i = 0; i < 5; ++i)
        writeFile(pair.a(), QStringLiteral("album/photo%1.jpg").arg(i), QByteArray::number(i));
    for (int i = 0; i < 10; ++i)
        writeFile(pair.a(), QStringLiteral("other/file%1").arg(i), "x");
    SYNC_OK(pair.sync(pair.a()));
    SYNC_OK(pair.sync(pair.b()));
    QVERIFY(QDir(pair.a()).rename(QStringLiteral("album"), QStringLiteral("album 2024")));
    const auto moved = pair.sync(pair.a());
    SYNC_OK(moved);
    QCOMPARE(moved.json().value(QStringLiteral("uploaded")).toInt(), 0);
    QCOMPARE(readTree(pair.remote()), readTree(pair.a()));
    SYNC_OK(pair.sync(pair.b()));
    QCOMPARE(readTree(pair.b()), readTree(pair.a()));

    QVERIFY(QDir(pair.b() + QStringLiteral("/album 2024")).removeRecursively());
    const auto deleted = pair.sync(pair.b());
    SYNC_OK(deleted);
    QCOMPARE(deleted.json().value(QStringLiteral("deleted_remote")).toInt(), 5);
    SYNC_OK(pair.sync(pair.a()));
    QVERIFY(!QFileInfo::exists(pair.a() + QStringLiteral("/album 2024")));
    QCOMPARE(readTree(pair.a()), readTree(pair.remote()));
}

// Issue 13, case 8: a folder renamed by client A arrived at client B as 60 deletions (to the
// trash) and 60 downloads. Where the server's ETags name a file across a MOVE (inode, size and
// mtime: lighttpd, file://) B renames its folder; elsewhere it must still converge without loss.
void TestCliSync::remoteFolderRenameIsOneLocalMove()
{
    Pair pair;
    constexpr int fileCount = 60;
    for (int i = 0; i < fileCount; ++i)
        writeFile(pair.a(), QStringLiteral("project/file%1.txt").arg(i),
                  "content of file " + QByteArray::number(i));
    SYNC_OK(pair.sync(pair.a()));
    SYNC_OK(pair.sync(pair.b()));
    QHash<QString, quint64> inodesInB;
    for (int i = 0; i < fileCount; ++i) {
        const QString name = QStringLiteral("/file%1.txt").arg(i);
        inodesInB.insert(name, inodeOf(pair.b() + QStringLiteral("/project") + name));
    }

    QVERIFY(QDir(pair.a()).rename(QStringLiteral("project"), QStringLiteral("project 2026")));
    const auto sent = pair.sync(pair.a());
    SYNC_OK(sent);
    QCOMPARE(sent.json().value(QStringLiteral("moved")).toInt(), 1);
    // Apache marks ETags weak while the file is younger than a second, and a weak ETag never
    // names a file for sure: let the uploads age past that first.
    const QString firstOnServer = pair.remote() + QStringLiteral("/project 2026/file0.txt");
    QVERIFY(waitFor([&] {
        return QFileInfo(firstOnServer).lastModified().msecsTo(QDateTime::currentDateTime()) > 1500;
    }));

    const QString kind = pair.remoteSide->kindName();
    const bool etagsAreIdentities = kind == QLatin1String("file") || kind.startsWith("lighttpd");
    const auto received = pair.sync(pair.b());
    if (!etagsAreIdentities) {
        // Delete + download: 60 of 60 tracked files look deleted, which the guard stops (exit 4,
        // nothing changed) until the user confirms. Then B converges; the old copies are in the
        // trash, nothing is lost.
        QVERIFY2(received.exitCode == 0 || received.exitCode == 4, qPrintable(describe(received)));
        if (received.exitCode == 4)
            SYNC_OK(pair.sync(pair.b(), {QStringLiteral("--allow-mass-delete")}));
        QCOMPARE(readTree(pair.b()), readTree(pair.a()));
        SYNC_OK(pair.sync(pair.a()));
        QCOMPARE(readTree(pair.a()), readTree(pair.remote()));
        QCOMPARE(filesIn(pair.cli.trashFilesDirectory()).size(), fileCount);
        QSKIP(kind == QLatin1String("apache")
                  ? "Apache's default ETag is SIZE-MTIME (FileETag MTime Size): files written in "
                    "one clock tick share it, so it names no file across a MOVE"
                  : "this server's ETags do not name a file across a MOVE (nginx lists none, "
                    "rclone's are size and mtime): B converged by delete + download");
    }
    SYNC_OK(received);
    QCOMPARE(readTree(pair.b()), readTree(pair.a()));
    SYNC_OK(pair.sync(pair.a()));
    QCOMPARE(readTree(pair.a()), readTree(pair.remote()));
    QVERIFY2(received.json().value(QStringLiteral("moved")).toInt() > 0, received.out.constData());
    QCOMPARE(received.json().value(QStringLiteral("downloaded")).toInt(), 0);
    QCOMPARE(received.json().value(QStringLiteral("deleted_local")).toInt(), 0);
    QCOMPARE(filesIn(pair.cli.trashFilesDirectory()), QStringList());
    for (auto it = inodesInB.cbegin(); it != inodesInB.cend(); ++it)
        QCOMPARE(inodeOf(pair.b() + QStringLiteral("/project 2026") + it.key()), it.value());
}

// Issue 13, case 8: a file renamed on the server while edited locally is not moved (the edit
// would be renamed away unseen): the edit stays under its name and goes up, the renamed
// version comes down under the new one. Nothing is lost on any server.
void TestCliSync::remoteRenameOfALocallyEditedFileKeepsBoth()
{
    Pair pair;
    writeFile(pair.a(), QStringLiteral("report.txt"), "first draft");
    SYNC_OK(pair.sync(pair.a()));
    SYNC_OK(pair.sync(pair.b()));
    QVERIFY(QFile::rename(pair.a() + QStringLiteral("/report.txt"),
                          pair.a() + QStringLiteral("/report final.txt")));
    SYNC_OK(pair.sync(pair.a()));
    writeFile(pair.b(), QStringLiteral("report.txt"), "second draft, longer");

    const auto received = pair.sync(pair.b());
    SYNC_OK(received);
    QCOMPARE(received.json().value(QStringLiteral("moved")).toInt(), 0);
    QCOMPARE(readFile(pair.b() + QStringLiteral("/report.txt")),
             QByteArray("second draft, longer"));
    QCOMPARE(readFile(pair.b() + QStringLiteral("/report final.txt")), QByteArray("first draft"));
    SYNC_OK(pair.sync(pair.a()));
    QCOMPARE(readTree(pair.a()), readTree(pair.b()));
    QCOMPARE(readTree(pair.remote()), readTree(pair.b()));
}

void TestCliSync::massDeleteGuardStopsAndExitsFour()
{
    Pair pair;
    for (int i = 0; i < 20; ++i)
        writeFile(pair.a(), QStringLiteral("f%1.txt").arg(i), "data");
    SYNC_OK(pair.sync(pair.a()));
    for (int i = 0; i < 15; ++i)
        QVERIFY(QFile::remove(pair.a() + QStringLiteral("/f%1.txt").arg(i)));
    const auto stopped = pair.sync(pair.a());
    QVERIFY2(stopped.exitCode == 4, qPrintable(describe(stopped)));
    QCOMPARE(filesIn(pair.remote()).size(), 20); // nothing executed

    const auto allowed = pair.sync(pair.a(), {QStringLiteral("--allow-mass-delete")});
    SYNC_OK(allowed);
    QCOMPARE(allowed.json().value(QStringLiteral("deleted_remote")).toInt(), 15);
    QCOMPARE(filesIn(pair.remote()).size(), 5);
}

void TestCliSync::emptiedRemoteIsNotReadAsDeletion()
{
    Pair pair;
    for (int i = 0; i < 3; ++i)
        writeFile(pair.a(), QStringLiteral("f%1.txt").arg(i), "data");
    SYNC_OK(pair.sync(pair.a()));
    const auto before = readTree(pair.a());
    // The remote now lists empty (an unmounted share shows its empty mount point).
    for (const QString &name : filesIn(pair.remote()))
        QVERIFY(QFile::remove(pair.remote() + QLatin1Char('/') + name));
    const auto stopped = pair.sync(pair.a());
    QVERIFY2(stopped.exitCode == 4, qPrintable(describe(stopped)));
    QCOMPARE(readTree(pair.a()), before);
    // Deleting the last file of a folder is the same picture: it needs confirmation.
    Pair single;
    writeFile(single.a(), QStringLiteral("only.txt"), "only");
    SYNC_OK(single.sync(single.a()));
    QVERIFY(QFile::remove(single.a() + QStringLiteral("/only.txt")));
    QCOMPARE(single.sync(single.a()).exitCode, 4);
    QVERIFY(QFileInfo::exists(single.remote() + QStringLiteral("/only.txt")));
    SYNC_OK(single.sync(single.a(), {QStringLiteral("--allow-mass-delete")}));
    QVERIFY(!QFileInfo::exists(single.remote() + QStringLiteral("/only.txt")));
}

void TestCliSync::missingRemoteRootExitsThree()
{
    Pair pair;
    writeFile(pair.a(), QStringLiteral("f.txt"), "data");
    SYNC_OK(pair.sync(pair.a()));
    QVERIFY(QDir(pair.remote()).removeRecursively());
    const auto outcome = pair.sync(pair.a());
    // rclone serves a vanished directory as an empty collection: then the empty-side guard
    // (exit 4) is what keeps the local files; every other remote reports the root missing.
    const int expected = pair.remoteSide->kindName() == QStringLiteral("rclone") ? 4 : 3;
    QVERIFY2(outcome.exitCode == expected, qPrintable(describe(outcome)));
    QCOMPARE(readFile(pair.a() + QStringLiteral("/f.txt")), QByteArray("data"));
}

// DESIGN §7: exit 3 when the remote cannot be reached before anything changed.
void TestCliSync::refusedConnectionExitsThree()
{
    QTemporaryDir home, folder;
    CliRunner cli(home.path());
    cli.setPassword(QStringLiteral("secret"));
    const quint16 port = unusedLoopbackPort();
    QVERIFY(port != 0);
    writeFile(folder.path(), QStringLiteral("f.txt"), "data");
    const QString url = QStringLiteral("http://127.0.0.1:%1/dav/").arg(port);
    const auto outcome =
        cli.run({QStringLiteral("sync"), folder.path(), url, QStringLiteral("--json"),
                 QStringLiteral("--user"), QStringLiteral("alice")});
    QVERIFY2(outcome.exitCode == 3, qPrintable(describe(outcome)));
    QVERIFY2(outcome.err.contains("127.0.0.1"), qPrintable(describe(outcome)));
    QCOMPARE(readFile(folder.path() + QStringLiteral("/f.txt")), QByteArray("data"));
}

// DESIGN §7: refused credentials give exit 3 and say how to log in; nothing is transferred.
void TestCliSync::wrongPasswordExitsThreeWithLoginHint()
{
    Pair pair;
    if (!pair.remoteSide->isWebDav())
        QSKIP("a file:// remote asks for no password");
    pair.cli.setPassword(QStringLiteral("not-") + pair.remoteSide->password());
    writeFile(pair.a(), QStringLiteral("f.txt"), "data");
    const auto outcome = pair.sync(pair.a());
    QVERIFY2(outcome.exitCode == 3, qPrintable(describe(outcome)));
    const QByteArray hint = "steadysync-cli login " + pair.url().toUtf8() + " --user " +
                            pair.remoteSide->credentialArguments().last().toUtf8();
    QVERIFY2(outcome.err.contains(hint), qPrintable(describe(outcome)));
    QCOMPARE(readFile(pair.a() + QStringLiteral("/f.txt")), QByteArray("data"));
    QVERIFY(readTree(pair.remote()).isEmpty());
}

void TestCliSync::hostileNamesRoundTrip()
{
    Pair pair;
    const QStringList names{
        QStringLiteral("with space.txt"),     QStringLiteral("100% done.txt"),
        QStringLiteral("#hash#.md"),          QStringLiteral("what?.txt"),
        QStringLiteral("ünïcödé/日本語.txt"), QStringLiteral("emoji 😀🎉.txt"),
        QStringLiteral("-leading-dash"),      QStringLiteral("a&b;c'd\"e.txt"),
        QString(200, QLatin1Char('n')),
    };
    int i = 0;
    for (const QString &name : names)
        writeFile(pair.a(), name, QByteArray::number(i++));
    SYNC_OK(pair.sync(pair.a()));
    const auto received = pair.sync(pair.b());
    SYNC_OK(received);
    QCOMPARE(received.json().value(QStringLiteral("downloaded")).toInt(), names.size());
    QCOMPARE(readTree(pair.b()), readTree(pair.a()));
    QCOMPARE(readTree(pair.remote()), readTree(pair.a()));
}

// A local name with U+FFFD in it is valid UTF-8 (EF BF BD) like any other: it is uploaded,
// and the listings of the following cycles must not refuse it on the way back (they did,
// and the next cycle moved the local copy to the trash as deleted remotely).
void TestCliSync::replacementCharacterNamesRoundTrip()
{
    Pair pair;
    const QString file =
        QStringLiteral("bad") + QChar::ReplacementCharacter + QStringLiteral(".txt");
    const QString inDirectory = QString(QChar::ReplacementCharacter) + QStringLiteral("/inner.txt");
    writeFile(pair.a(), file, "first");
    writeFile(pair.a(), inDirectory, "second");
    // Not only refused names: the remote must not look emptied (the empty-side guard).
    writeFile(pair.a(), QStringLiteral("plain.txt"), "third");
    SYNC_OK(pair.sync(pair.a()));
    QCOMPARE(readTree(pair.remote()), readTree(pair.a()));

    const auto again = pair.sync(pair.a());
    SYNC_OK(again);
    QCOMPARE(again.json().value(QStringLiteral("deleted_local")).toInt(), 0);
    QCOMPARE(readFile(pair.a() + QLatin1Char('/') + file), QByteArray("first"));
    QCOMPARE(readFile(pair.a() + QLatin1Char('/') + inDirectory), QByteArray("second"));
    QVERIFY(!QFileInfo::exists(pair.cli.trashFilesDirectory()) ||
            QDir(pair.cli.trashFilesDirectory()).isEmpty());

    const auto received = pair.sync(pair.b());
    SYNC_OK(received);
    QCOMPARE(received.json().value(QStringLiteral("downloaded")).toInt(), 3);
    QCOMPARE(readTree(pair.b()), readTree(pair.a()));
}

// DESIGN §4: a remote name that is refused is reported per file, and what it stands for is left
// alone on both sides: its absence from the listing is not a deletion. Here the synced file
// and folder are renamed on the server's disk to names that are not UTF-8 (Latin-1 'é'),
// which every remote here lists byte for byte (percent-encoded) and the client refuses.
void TestCliSync::refusedRemoteNamesAreLeftAlone()
{
    Pair pair;
    // How a non-UTF-8 "caf\xE9" decodes: the names the client synced.
    const QString file =
        QStringLiteral("caf") + QChar::ReplacementCharacter + QStringLiteral(".txt");
    const QString directory = QStringLiteral("dir") + QChar::ReplacementCharacter;
    writeFile(pair.a(), file, "precious");
    writeFile(pair.a(), directory + QStringLiteral("/inner.txt"), "inner");
    writeFile(pair.a(), QStringLiteral("plain.txt"), "v1");
    SYNC_OK(pair.sync(pair.a()));
    QVERIFY(renameRaw(pair.remote(), file, "caf\xE9.txt"));
    QVERIFY(renameRaw(pair.remote(), directory, "dir\xE9"));
    writeFile(pair.a(), QStringLiteral("plain.txt"), "v2");

    const QMap<QString, QByteArray> local = readTree(pair.a());
    for (int round = 0; round < 2; ++round) {
        const auto outcome = pair.sync(pair.a());
        // Refused names count as failed items: exit 1, each one named.
        QVERIFY2(outcome.exitCode == 1, qPrintable(describe(outcome)));
        // rclone lists the whole tree at once: the file inside the folder is refused too.
        QVERIFY2(outcome.err.count("rejected remote name") >= 2, qPrintable(describe(outcome)));
        QVERIFY2(outcome.err.contains("caf") && outcome.err.contains("dir"),
                 qPrintable(describe(outcome)));
        const QJsonObject report = outcome.json();
        QCOMPARE(report.value(QStringLiteral("deleted_local")).toInt(), 0);
        QCOMPARE(report.value(QStringLiteral("deleted_remote")).toInt(), 0);
        QCOMPARE(report.value(QStringLiteral("uploaded")).toInt(), round == 0 ? 1 : 0);
        QCOMPARE(readTree(pair.a()), local);
        QVERIFY(!QFileInfo::exists(pair.cli.trashFilesDirectory()) ||
                QDir(pair.cli.trashFilesDirectory()).isEmpty());
        const QByteArray remote = QFile::encodeName(pair.remote()) + '/';
        QVERIFY(existsRaw(remote + "caf\xE9.txt"));
        QVERIFY(existsRaw(remote + "dir\xE9/inner.txt"));
        QCOMPARE(readFile(pair.remote() + QStringLiteral("/plain.txt")), QByteArray("v2"));
    }
}

void TestCliSync::ignoredNamesAndSymlinksStayLocal()
{
    Pair pair;
    writeFile(pair.a(), QStringLiteral("real.txt"), "real");
    writeFile(pair.a(), QStringLiteral(".report.txt.swp"), "swap");
    writeFile(pair.a(), QStringLiteral("build/out.o"), "object");
    writeFile(pair.a(), QStringLiteral(".steadysyncignore"), "build/\n");
    writeFile(pair.a(), QStringLiteral("notes.log"), "log");
    QVERIFY(QFile::link(pair.a() + QStringLiteral("/real.txt"),
                        pair.a() + QStringLiteral("/link.txt")));
    const auto outcome =
        pair.sync(pair.a(), {QStringLiteral("--exclude"), QStringLiteral("*.log")});
    SYNC_OK(outcome);
    QVERIFY(QFileInfo::exists(pair.remote() + QStringLiteral("/real.txt")));
    QVERIFY(QFileInfo::exists(pair.remote() + QStringLiteral("/.steadysyncignore")));
    QVERIFY(!QFileInfo::exists(pair.remote() + QStringLiteral("/.report.txt.swp")));
    QVERIFY(!QFileInfo::exists(pair.remote() + QStringLiteral("/build")));
    QVERIFY(!QFileInfo::exists(pair.remote() + QStringLiteral("/notes.log")));
    QVERIFY(!QFileInfo::exists(pair.remote() + QStringLiteral("/link.txt")));
    // The local state is not uploaded; the remote holds only the clients' markers there: the
    // folder id (file://), the change beacon (HTTP servers), the ETag-propagation probe.
    const QStringList state =
        QDir(pair.remote() + QStringLiteral("/.steadysync"))
            .entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    const QStringList markers{QStringLiteral("beacon"), QStringLiteral("etag-probe"),
                              QStringLiteral("folder-id")};
    for (const QString &name : state)
        QVERIFY2(markers.contains(name), qPrintable(state.join(QLatin1Char(' '))));
    QVERIFY(outcome.err.contains("link.txt"));
}

void TestCliSync::statusJsonReportsCounters()
{
    Pair pair;
    writeFile(pair.a(), QStringLiteral("a.txt"), "12345");
    writeFile(pair.a(), QStringLiteral("b.txt"), "123");
    SYNC_OK(pair.sync(pair.a()));
    const auto status =
        pair.cli.run({QStringLiteral("status"), pair.a(), QStringLiteral("--json")});
    QCOMPARE(status.exitCode, 0);
    const QJsonObject object = status.json();
    QCOMPARE(object.value(QStringLiteral("state")).toString(), QStringLiteral("idle"));
    QCOMPARE(object.value(QStringLiteral("tracked_files")).toInt(), 2);
    QCOMPARE(object.value(QStringLiteral("pending")).toInt(), 0);
    QCOMPARE(object.value(QStringLiteral("retry_queue")).toInt(), 0);
    QCOMPARE(object.value(QStringLiteral("failed_permanent")).toInt(), 0);
    QCOMPARE(object.value(QStringLiteral("conflicts")).toInt(), 0);
    QCOMPARE(object.value(QStringLiteral("successes")).toInt(), 2);
    QCOMPARE(object.value(QStringLiteral("failures")).toInt(), 0);
    QCOMPARE(object.value(QStringLiteral("success_rate")).toDouble(), 1.0);
    QCOMPARE(object.value(QStringLiteral("bytes_up")).toInt(), 8);
    QCOMPARE(object.value(QStringLiteral("bytes_down")).toInt(), 0);
    QVERIFY(QDateTime::fromString(object.value(QStringLiteral("last_sync")).toString(),
                                  Qt::ISODateWithMs)
                .isValid());
    QVERIFY(object.value(QStringLiteral("last_error")).isNull());
}

void TestCliSync::usageErrorsExitTwo()
{
    Pair pair;
    QCOMPARE(pair.cli.run({}).exitCode, 2);
    QCOMPARE(pair.cli.run({QStringLiteral("frobnicate")}).exitCode, 2);
    QCOMPARE(pair.cli.run({QStringLiteral("sync"), pair.a()}).exitCode, 2);
    QCOMPARE(pair.cli
                 .run({QStringLiteral("sync"), pair.a(), pair.url(),
                       QStringLiteral("--conflict-policy"), QStringLiteral("coin-toss")})
                 .exitCode,
             2);
    QCOMPARE(
        pair.cli.run({QStringLiteral("sync"), pair.a(), QStringLiteral("gopher://x/")}).exitCode,
        2);
    QCOMPARE(pair.cli.run({QStringLiteral("status"), pair.a()}).exitCode, 2); // never synced
    const auto version = pair.cli.run({QStringLiteral("--version")});
    QCOMPARE(version.exitCode, 0);
    QVERIFY(version.out.startsWith("steadysync-cli "));
}

void TestCliSync::journalIsPrivate()
{
    Pair pair;
    writeFile(pair.a(), QStringLiteral("a.txt"), "a");
    SYNC_OK(pair.sync(pair.a()));
    const QFileInfo journal(pair.a() + QStringLiteral("/.steadysync/journal.db"));
    QVERIFY(journal.exists());
    QCOMPARE(journal.permissions() &
                 (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther),
             QFileDevice::Permissions());
}

void TestCliSync::progressLineOnlyOnATerminal()
{
    Pair pair;
    for (int i = 0; i < 50; ++i)
        writeFile(pair.a(), QStringLiteral("f%1.bin").arg(i), QByteArray(20'000, 'p'));
    // script(1) gives the client a real terminal on stderr.
    QStringList command{CliRunner::program(), QStringLiteral("sync"), pair.a(), pair.url()};
    command += pair.remoteSide->credentialArguments();
    QString line;
    for (const QString &word : std::as_const(command))
        line += QLatin1Char('\'') +
                QString(word).replace(QLatin1Char('\''), QStringLiteral("'\\''")) +
                QStringLiteral("' ");
    QProcess terminal;
    terminal.setProcessEnvironment(pair.cli.environment());
    terminal.start(QStringLiteral("script"),
                   {QStringLiteral("-qec"), line, QStringLiteral("/dev/null")});
    QVERIFY(terminal.waitForFinished(120'000));
    QCOMPARE(terminal.exitCode(), 0);
    const QByteArray shown = terminal.readAllStandardOutput();
    QVERIFY2(shown.contains("/50 files"), shown.constData());
    QVERIFY(shown.contains('\r'));

    // Not a terminal: no progress line, only the summary.
    writeFile(pair.a(), QStringLiteral("one-more.bin"), "x");
    const auto piped = pair.cli.run(QStringList{QStringLiteral("sync"), pair.a(), pair.url()} +
                                    pair.remoteSide->credentialArguments());
    QCOMPARE(piped.exitCode, 0);
    QVERIFY(!piped.err.contains("files,"));
    QVERIFY(!piped.err.contains('\r'));
}

void TestCliSync::bandwidthLimitsHoldForSmallFiles_data()
{
    QTest::addColumn<bool>("upload");
    QTest::newRow("up") << true;
    QTest::newRow("down") << false;
}

// DESIGN §7 --bwlimit-up/--bwlimit-down hold for any file size: 1 MiB in 32 files of 32 KiB at
// 256 KiB/s takes about 4 s (small WebDAV downloads arrived in a blink). A lower bound only:
// a loaded machine may be slower than the limit, never faster.
void TestCliSync::bandwidthLimitsHoldForSmallFiles()
{
    QFETCH(bool, upload);
    Pair pair;
    constexpr int Files = 32;
    const QString source = upload ? pair.a() : pair.b();
    for (int i = 0; i < Files; ++i)
        writeFile(source, QStringLiteral("small/%1.bin").arg(i),
                  QByteArray(32 * 1024, char('a' + i % 26)));
    if (!upload)
        SYNC_OK(pair.sync(pair.b()));
    const QString option =
        upload ? QStringLiteral("--bwlimit-up") : QStringLiteral("--bwlimit-down");
    QElapsedTimer timer;
    timer.start();
    SYNC_OK(pair.sync(pair.a(), {option, QStringLiteral("256")}));
    const qint64 elapsedMs = timer.elapsed();
    QCOMPARE(QDir(pair.remote() + QStringLiteral("/small")).entryList(QDir::Files).size(), Files);
    QCOMPARE(QDir(pair.a() + QStringLiteral("/small")).entryList(QDir::Files).size(), Files);
    QVERIFY2(elapsedMs >= 3000,
             qPrintable(QStringLiteral("1 MiB at 256 KiB/s took %1 ms").arg(elapsedMs)));
}

QTEST_GUILESS_MAIN(TestCliSync)
#include "tst_clisync.moc"
