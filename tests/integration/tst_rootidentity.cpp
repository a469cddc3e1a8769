// Root identity (DESIGN §4, DESIGN.md "Root identity"): a local root replaced under a running
// `watch`, a file:// remote root unmounted or replaced (one new file in the bare mount point),
// and a journal copied from a sibling client delete nothing; an edit with its old mtime put
// back is seen (ctime); a conflict on a 255-byte name converges.
// Driven through the real steadysync-cli with file:// remotes.
#include "clirunner.h"
#include "scenariorecord.h"
#include "testutil.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

#include <sys/stat.h>
#include <unistd.h>

using namespace steadysync::test;

namespace {

constexpr int Deadline = 60'000;
constexpr int TrackedFiles = 6; // below the mass-deletion guard's 10 files on purpose

QByteArray contentOf(int index)
{
    return "version one of file " + QByteArray::number(index) + '\n';
}

QString nameOf(int index)
{
    return QStringLiteral("file%1.txt").arg(index);
}

int countFiles(const QString &root)
{
    int files = 0;
    const QMap<QString, QByteArray> tree = readTree(root);
    for (auto it = tree.cbegin(); it != tree.cend(); ++it)
        files += it.key().endsWith(QLatin1Char('/')) ? 0 : 1;
    return files;
}

// Every content of tree, to find a version whatever name it ended under.
QList<QByteArray> contents(const QString &root)
{
    return readTree(root).values();
}

// How many of the tracked files' versions root no longer holds.
int trackedVersionsLost(const QString &root)
{
    int lost = 0;
    for (int i = 0; i < TrackedFiles; ++i)
        lost += readFile(root + QLatin1Char('/') + nameOf(i)) == contentOf(i) ? 0 : 1;
    return lost;
}

// The line of err that says why the cycle stopped, for the reliability table's notes.
QString stopReason(const QByteArray &err, const char *needle)
{
    for (const QByteArray &line : err.split('\n')) {
        if (line.contains(needle)) // without the test's temporary paths
            return QString::fromUtf8(line.trimmed())
                .replace(QRegularExpression(QStringLiteral("/[^ ]+")), QStringLiteral("…"));
    }
    return {};
}

// Makes the journal look written by a version before pair ids (no identity settings).
bool stripIdentity(const QString &journal)
{
    return runTool(QStringLiteral("python3"),
                   {QStringLiteral("-c"),
                    QStringLiteral("import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
                                   "c.execute(\"DELETE FROM settings WHERE key IN ('pair_id',"
                                   "'local_root_device','local_root_inode','remote_marker')\"); "
                                   "c.commit()"),
                    journal});
}

bool holdsTrackedFiles(const QString &root)
{
    for (int i = 0; i < TrackedFiles; ++i) {
        if (readFile(root + QLatin1Char('/') + nameOf(i)) != contentOf(i))
            return false;
    }
    return true;
}

quint64 inodeOf(const QString &path)
{
    struct stat info;
    return ::stat(QFile::encodeName(path).constData(), &info) == 0 ? quint64(info.st_ino) : 0;
}

// rm -rf of the folder, created again with one new file in it (an app writing into a bare
// mount point after the disk went away).
void replaceWithOneNewFile(const QString &root)
{
    QVERIFY(QDir(root).removeRecursively());
    QVERIFY(QDir().mkpath(root));
    writeFile(root, QStringLiteral("new.txt"), "written into the empty folder\n");
}

} // namespace

class TestRootIdentity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void newPairCreatesItsIdentityAndSyncsNoMarker();
    void replacedLocalRootStopsWatch();
    void replacedLocalRootIsANewPairForSync();
    void remoteRootWithoutItsMarkerStopsSync();
    void remoteRootWithoutItsMarkerStopsWatch();
    void unmountedLocalRootStopsWatchUntilItIsBack();
    void unmountedRemoteRootStopsSyncUntilItIsBack();
    void journalCopiedFromASiblingDeletesNothing_data();
    void journalCopiedFromASiblingDeletesNothing();
    void journalFromBeforePairIdsIsAdopted();
    void remoteWithoutMarkerAtTheUpgradeIsNotAdopted();
    void editWithRestoredMtimeIsUploaded();
    void conflictOnA255ByteNameConverges();

private:
    CliRunner::Outcome sync(const QString &localRoot, const QStringList &extra = {}) const
    {
        return m_cli->run(QStringList{QStringLiteral("sync"), localRoot, m_remoteUrl} + extra);
    }
    QProcess *startWatch(const QString &root)
    {
        auto *process = new QProcess(this);
        process->setProcessEnvironment(m_cli->environment());
        process->start(CliRunner::program(),
                       QStringList{QStringLiteral("watch"), root, m_remoteUrl,
                                   QStringLiteral("--debounce-ms"), QStringLiteral("500"),
                                   QStringLiteral("--poll-interval"), QStringLiteral("1")});
        m_processes.append(process);
        return process;
    }
    void writeTrackedFiles(const QString &root)
    {
        for (int i = 0; i < TrackedFiles; ++i)
            writeFile(root, nameOf(i), contentOf(i));
    }

    // A bind mount of a new directory onto mountPoint (root only); false with the reason.
    bool bindMount(const QString &mountPoint, QString *why)
    {
        m_disks.append(std::make_shared<QTemporaryDir>());
        if (!runTool(QStringLiteral("mount"),
                     {QStringLiteral("--bind"), m_disks.constLast()->path(), mountPoint}, why))
            return false;
        m_mounts.append(mountPoint);
        return true;
    }
    static bool unmount(const QString &mountPoint)
    {
        return runTool(QStringLiteral("umount"), {QStringLiteral("-l"), mountPoint});
    }

    std::unique_ptr<QTemporaryDir> m_home, m_local, m_remote;
    QList<std::shared_ptr<QTemporaryDir>> m_disks;
    QStringList m_mounts;
    std::unique_ptr<CliRunner> m_cli;
    QString m_remoteUrl;
    QList<QProcess *> m_processes;
};

void TestRootIdentity::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    m_local = std::make_unique<QTemporaryDir>();
    m_remote = std::make_unique<QTemporaryDir>();
    m_cli = std::make_unique<CliRunner>(m_home->path());
    m_remoteUrl = QUrl::fromLocalFile(m_remote->path()).toString();
}

void TestRootIdentity::cleanup()
{
    for (QProcess *process : std::as_const(m_processes)) {
        if (process->state() != QProcess::NotRunning) {
            ::kill(pid_t(process->processId()), SIGKILL);
            process->waitForFinished(10'000);
        }
        delete process;
    }
    m_processes.clear();
    for (const QString &mountPoint : std::as_const(m_mounts))
        while (unmount(mountPoint)) {
        } // mounted again by a test, perhaps more than once
    m_mounts.clear();
    m_disks.clear();
}

// The first sync of an empty pair works, writes the pair id and the remote marker, and the
// marker (an internal .steadysync name) is never synced as a file.
void TestRootIdentity::newPairCreatesItsIdentityAndSyncsNoMarker()
{
    const CliRunner::Outcome empty = sync(m_local->path());
    QVERIFY2(empty.exitCode == 0, qPrintable(empty.describe()));
    QVERIFY(QFileInfo::exists(m_local->path() + QStringLiteral("/.steadysync/pair-id")));
    QVERIFY(QFileInfo::exists(m_remote->path() + QStringLiteral("/.steadysync/folder-id")));
    writeTrackedFiles(m_local->path());
    const CliRunner::Outcome second = sync(m_local->path());
    QVERIFY2(second.exitCode == 0, qPrintable(second.describe()));
    QCOMPARE(readTree(m_remote->path()), readTree(m_local->path()));
    QVERIFY(!QFileInfo::exists(m_local->path() + QStringLiteral("/.steadysync/folder-id")));
    QCOMPARE(countFiles(m_local->path()), TrackedFiles);
}

// Issue 14 case 3: `rm -rf` of the watched folder, created again with one file: the remote
// kept all six (it went from 6 files to 1).
void TestRootIdentity::replacedLocalRootStopsWatch()
{
    ScenarioRecord record(QStringLiteral("i-root-local-watch"),
                          QStringLiteral("Watched local folder replaced: rm -rf, created again "
                                         "with one new file (6 tracked, file://)"));
    record.addRun();
    record.addFaults(1);
    record.addOperations(TrackedFiles);
    writeTrackedFiles(m_local->path());
    QProcess *watch = startWatch(m_local->path());
    QVERIFY(watch->waitForStarted());
    QVERIFY(waitFor([&] { return holdsTrackedFiles(m_remote->path()); }, Deadline));

    replaceWithOneNewFile(m_local->path());
    QByteArray err;
    const bool settled = waitFor(
        [&] {
            err += watch->readAllStandardError();
            return err.contains("is not the folder this pair syncs") ||
                   countFiles(m_remote->path()) < TrackedFiles;
        },
        Deadline);
    QVERIFY2(settled, err.constData());
    record.addVersionsLost(trackedVersionsLost(m_remote->path()));
    record.setNotes(stopReason(err, "is not the folder this pair syncs"));
    QVERIFY2(holdsTrackedFiles(m_remote->path()),
             qPrintable(describeTree(QStringLiteral("remote"), m_remote->path()) +
                        QString::fromUtf8(err)));
    QCOMPARE(watch->state(), QProcess::Running);
    record.complete();
}

// The same for `sync`: the journal went with the folder, so the folder is a new pair; its
// first sync compares both sides in full and deletes nothing.
void TestRootIdentity::replacedLocalRootIsANewPairForSync()
{
    ScenarioRecord record(
        QStringLiteral("i-root-local-sync"),
        QStringLiteral(
            "Local folder replaced between two syncs (6 tracked, one new file, file://)"));
    record.addRun();
    record.addFaults(1);
    record.addOperations(TrackedFiles + 1);
    writeTrackedFiles(m_local->path());
    QCOMPARE(sync(m_local->path()).exitCode, 0);
    replaceWithOneNewFile(m_local->path());
    const CliRunner::Outcome outcome = sync(m_local->path());
    QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
    record.addVersionsLost(
        trackedVersionsLost(m_remote->path()) +
        (readFile(m_remote->path() + QStringLiteral("/new.txt")).isEmpty() ? 1 : 0));
    record.setNotes(
        QStringLiteral("its journal went with it: a new pair, compared in full; exit %1")
            .arg(outcome.exitCode));
    QVERIFY(holdsTrackedFiles(m_remote->path()));
    QCOMPARE(readTree(m_remote->path()), readTree(m_local->path()));
    QCOMPARE(countFiles(m_local->path()), TrackedFiles + 1);
    record.complete();
}

// Issue 14 case 4: a file:// remote unmounted, one file appears in the bare mount point: all
// local files went to the trash. Now: exit 3 (a remote root problem), nothing deleted.
void TestRootIdentity::remoteRootWithoutItsMarkerStopsSync()
{
    ScenarioRecord record(
        QStringLiteral("i-root-remote-sync"),
        QStringLiteral(
            "file:// remote replaced by an empty folder with one new file (sync, 6 tracked)"));
    record.addRun();
    record.addFaults(1);
    record.addOperations(TrackedFiles);
    writeTrackedFiles(m_local->path());
    QCOMPARE(sync(m_local->path()).exitCode, 0);
    replaceWithOneNewFile(m_remote->path());
    const CliRunner::Outcome outcome = sync(m_local->path());
    record.addVersionsLost(trackedVersionsLost(m_local->path()));
    record.setNotes(QStringLiteral("exit %1: %2")
                        .arg(outcome.exitCode)
                        .arg(stopReason(outcome.err, "lost its marker")));
    QVERIFY2(outcome.exitCode == 3, qPrintable(outcome.describe()));
    QVERIFY2(outcome.err.contains("lost its marker"), qPrintable(outcome.describe()));
    QVERIFY2(holdsTrackedFiles(m_local->path()),
             qPrintable(describeTree(QStringLiteral("local"), m_local->path())));
    QCOMPARE(countFiles(m_cli->trashFilesDirectory()), 0);
    // Still so on the next run; and a remote marked again by hand is synced again.
    QCOMPARE(sync(m_local->path()).exitCode, 3);
    QVERIFY(holdsTrackedFiles(m_local->path()));
    record.complete();
}

void TestRootIdentity::remoteRootWithoutItsMarkerStopsWatch()
{
    ScenarioRecord record(
        QStringLiteral("i-root-remote-watch"),
        QStringLiteral(
            "file:// remote replaced by an empty folder with one new file (watch, 6 tracked)"));
    record.addRun();
    record.addFaults(1);
    record.addOperations(TrackedFiles);
    writeTrackedFiles(m_local->path());
    QProcess *watch = startWatch(m_local->path());
    QVERIFY(watch->waitForStarted());
    QVERIFY(waitFor([&] { return holdsTrackedFiles(m_remote->path()); }, Deadline));

    replaceWithOneNewFile(m_remote->path());
    QByteArray err;
    const bool settled = waitFor(
        [&] {
            err += watch->readAllStandardError();
            return err.contains("lost its marker") || countFiles(m_local->path()) < TrackedFiles;
        },
        Deadline);
    QVERIFY2(settled, err.constData());
    record.addVersionsLost(trackedVersionsLost(m_local->path()));
    record.setNotes(stopReason(err, "lost its marker"));
    QVERIFY2(holdsTrackedFiles(m_local->path()),
             qPrintable(describeTree(QStringLiteral("local"), m_local->path()) +
                        QString::fromUtf8(err)));
    QCOMPARE(countFiles(m_cli->trashFilesDirectory()), 0);
    QCOMPARE(watch->state(), QProcess::Running);
    record.complete();
}

// The realistic form of case 3: the folder is a mount (a USB disk, here a bind mount), it is
// unmounted under a running watch and an app writes into the bare mount point. Nothing is
// deleted; when the disk is back, the watch carries on.
void TestRootIdentity::unmountedLocalRootStopsWatchUntilItIsBack()
{
    ScenarioRecord record(QStringLiteral("i-unmount-local-watch"),
                          QStringLiteral("Watched local folder on a disk (bind mount) unmounted, "
                                         "one file written into the mount point, mounted again"));
    QString why;
    if (!bindMount(m_local->path(), &why)) {
        record.skipped(QStringLiteral("cannot bind-mount here: ") + why);
        QSKIP(qPrintable(QStringLiteral("cannot bind-mount here (needs root): %1").arg(why)));
    }
    record.addRun();
    record.addFaults(1);
    record.addOperations(TrackedFiles);
    const QString disk = m_disks.constLast()->path();
    writeTrackedFiles(m_local->path());
    QProcess *watch = startWatch(m_local->path());
    QVERIFY(watch->waitForStarted());
    QVERIFY(waitFor([&] { return holdsTrackedFiles(m_remote->path()); }, Deadline));

    QVERIFY(unmount(m_local->path()));
    writeFile(m_local->path(), QStringLiteral("new.txt"), "written into the bare mount point\n");
    QByteArray err;
    QVERIFY2(waitFor(
                 [&] {
                     err += watch->readAllStandardError();
                     return err.contains("is not the folder this pair syncs") ||
                            countFiles(m_remote->path()) < TrackedFiles;
                 },
                 Deadline),
             err.constData());
    record.addVersionsLost(trackedVersionsLost(m_remote->path()));
    record.setNotes(QStringLiteral(
        "stopped with an error, nothing deleted; carried on once the disk was back"));
    QVERIFY2(holdsTrackedFiles(m_remote->path()),
             qPrintable(describeTree(QStringLiteral("remote"), m_remote->path())));

    QVERIFY(runTool(QStringLiteral("mount"), {QStringLiteral("--bind"), disk, m_local->path()}));
    writeFile(m_local->path(), QStringLiteral("back.txt"), "the disk is back\n");
    QVERIFY2(waitFor(
                 [&] {
                     err += watch->readAllStandardError();
                     return readFile(m_remote->path() + QStringLiteral("/back.txt")) ==
                            "the disk is back\n";
                 },
                 Deadline),
             err.constData());
    QVERIFY(holdsTrackedFiles(m_remote->path()));
    QVERIFY(holdsTrackedFiles(m_local->path()));
    record.complete();
}

// Case 4 with a real mount: the file:// remote's disk unmounted, one file in the bare mount
// point: exit 3 and nothing deleted; mounted again, the pair syncs as before.
void TestRootIdentity::unmountedRemoteRootStopsSyncUntilItIsBack()
{
    ScenarioRecord record(
        QStringLiteral("i-unmount-remote-sync"),
        QStringLiteral("file:// remote on a disk (bind mount) unmounted, one file written into the "
                       "mount point (sync), mounted again"));
    QString why;
    if (!bindMount(m_remote->path(), &why)) {
        record.skipped(QStringLiteral("cannot bind-mount here: ") + why);
        QSKIP(qPrintable(QStringLiteral("cannot bind-mount here (needs root): %1").arg(why)));
    }
    record.addRun();
    record.addFaults(1);
    record.addOperations(TrackedFiles);
    const QString disk = m_disks.constLast()->path();
    writeTrackedFiles(m_local->path());
    QCOMPARE(sync(m_local->path()).exitCode, 0);
    QVERIFY(holdsTrackedFiles(disk));

    QVERIFY(unmount(m_remote->path()));
    writeFile(m_remote->path(), QStringLiteral("new.txt"), "written into the bare mount point\n");
    const CliRunner::Outcome away = sync(m_local->path());
    record.addVersionsLost(trackedVersionsLost(m_local->path()));
    record.setNotes(
        QStringLiteral("exit %1 while unmounted, nothing deleted; exit 0 once mounted again")
            .arg(away.exitCode));
    QVERIFY2(away.exitCode == 3, qPrintable(away.describe()));
    QVERIFY(holdsTrackedFiles(m_local->path()));
    QCOMPARE(countFiles(m_cli->trashFilesDirectory()), 0);

    QVERIFY(runTool(QStringLiteral("mount"), {QStringLiteral("--bind"), disk, m_remote->path()}));
    const CliRunner::Outcome back = sync(m_local->path());
    QVERIFY2(back.exitCode == 0, qPrintable(back.describe()));
    QCOMPARE(readTree(m_local->path()), readTree(m_remote->path()));
    QCOMPARE(countFiles(m_local->path()), TrackedFiles);
    record.complete();
}

// Issue 14 case 5: client B gets A's journal copied into its .steadysync/ before its first
// sync. B's edit must survive, A's newer version too, and nothing is deleted remotely.
void TestRootIdentity::journalCopiedFromASiblingDeletesNothing_data()
{
    QTest::addColumn<QString>("copied");
    QTest::addColumn<QString>("recordId");
    QTest::addColumn<QString>("title");
    QTest::newRow("journal") << QStringLiteral("journal.db*") << QStringLiteral("i-copied-journal")
                             << QStringLiteral("Client A's journal copied into client B before "
                                               "B's first sync (file://)");
    // A's pair id comes along: the root's inode and the files' inodes tell the copy.
    QTest::newRow("whole state folder")
        << QStringLiteral("*") << QStringLiteral("i-copied-state-folder")
        << QStringLiteral("Client A's whole .steadysync/ (journal and pair id) copied into client "
                          "B before B's first sync (file://)");
    // Copied before the upgrade: no pair id at all; the files' inodes tell the copy.
    QTest::newRow("journal of a version before pair ids")
        << QStringLiteral("journal.db*") << QStringLiteral("i-copied-old-journal")
        << QStringLiteral("Client A's journal from before pair ids copied into client B "
                          "(file://)");
}

void TestRootIdentity::journalCopiedFromASiblingDeletesNothing()
{
    QFETCH(QString, copied);
    QFETCH(QString, recordId);
    QFETCH(QString, title);
    ScenarioRecord record(recordId, title);
    record.addRun();
    record.addFaults(1);
    record.addOperations(3);
    QTemporaryDir clientB;
    writeTrackedFiles(m_local->path());
    QCOMPARE(sync(m_local->path()).exitCode, 0);
    // B holds a copy of the files (no .steadysync/): one edited there, one missing there.
    for (int i = 0; i < TrackedFiles; ++i)
        writeFile(clientB.path(), nameOf(i), contentOf(i));
    QVERIFY(QFile::remove(clientB.path() + QLatin1Char('/') + nameOf(5)));
    writeFile(clientB.path(), nameOf(1), "B's edit\n");
    writeFile(m_local->path(), nameOf(0), "A's newer version\n");
    QCOMPARE(sync(m_local->path()).exitCode, 0);

    QVERIFY(QDir().mkpath(clientB.path() + QStringLiteral("/.steadysync")));
    for (const QString &name : QDir(m_local->path() + QStringLiteral("/.steadysync"))
                                   .entryList({copied}, QDir::Files | QDir::Hidden))
        QVERIFY(QFile::copy(m_local->path() + QStringLiteral("/.steadysync/") + name,
                            clientB.path() + QStringLiteral("/.steadysync/") + name));
    if (recordId == QLatin1String("i-copied-old-journal"))
        QVERIFY(stripIdentity(clientB.path() + QStringLiteral("/.steadysync/journal.db")));

    const CliRunner::Outcome b = sync(clientB.path());
    QVERIFY2(b.exitCode == 0, qPrintable(b.describe()));
    QCOMPARE(sync(m_local->path()).exitCode, 0);
    const QString trees = describeTree(QStringLiteral("remote"), m_remote->path()) +
                          describeTree(QStringLiteral("B"), clientB.path());
    const QList<QByteArray> remoteContents = contents(m_remote->path());
    for (const QByteArray &version :
         {QByteArray("B's edit\n"), QByteArray("A's newer version\n"), contentOf(5)})
        record.addVersionsLost(remoteContents.contains(version) ? 0 : 1);
    record.setNotes(QStringLiteral("B's edit, A's newer version and a file B lacked all kept; %1 "
                                   "files on the remote")
                        .arg(countFiles(m_remote->path())));
    for (const QByteArray &version :
         {QByteArray("B's edit\n"), QByteArray("A's newer version\n"), contentOf(5)})
        QVERIFY2(contents(m_remote->path()).contains(version), qPrintable(trees));
    QCOMPARE(readTree(clientB.path()), readTree(m_remote->path()));
    QCOMPARE(readTree(m_local->path()), readTree(m_remote->path()));
    QVERIFY2(b.err.contains("does not belong to this folder"), qPrintable(b.describe()));
    // From then on the journal is B's own: a deletion in B is carried out as usual.
    QVERIFY(QFile::remove(clientB.path() + QLatin1Char('/') + nameOf(2)));
    QCOMPARE(sync(clientB.path()).exitCode, 0);
    QVERIFY(!QFileInfo::exists(m_remote->path() + QLatin1Char('/') + nameOf(2)));
    record.complete();
}

// A journal written before pair ids (no pair_id setting, no pair-id file) in the folder it was
// used in is adopted: not foreign, so a local deletion still reaches the remote.
void TestRootIdentity::journalFromBeforePairIdsIsAdopted()
{
    writeTrackedFiles(m_local->path());
    QCOMPARE(sync(m_local->path()).exitCode, 0);
    const QString journal = m_local->path() + QStringLiteral("/.steadysync/journal.db");
    QVERIFY(stripIdentity(journal));
    QVERIFY(QFile::remove(m_local->path() + QStringLiteral("/.steadysync/pair-id")));
    QVERIFY(QFile::remove(m_remote->path() + QStringLiteral("/.steadysync/folder-id")));
    QVERIFY(QFile::remove(m_local->path() + QLatin1Char('/') + nameOf(3)));

    const CliRunner::Outcome outcome = sync(m_local->path());
    QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
    QVERIFY2(!outcome.err.contains("does not belong"), qPrintable(outcome.describe()));
    QVERIFY(!QFileInfo::exists(m_remote->path() + QLatin1Char('/') + nameOf(3)));
    QVERIFY(QFileInfo::exists(m_local->path() + QStringLiteral("/.steadysync/pair-id")));
    QVERIFY(QFileInfo::exists(m_remote->path() + QStringLiteral("/.steadysync/folder-id")));
}

// The upgrade meets a file:// remote unmounted, one file in its bare mount point: no marker to
// check yet, but it holds none of the tracked files, so it is not adopted (nothing deleted).
void TestRootIdentity::remoteWithoutMarkerAtTheUpgradeIsNotAdopted()
{
    writeTrackedFiles(m_local->path());
    QCOMPARE(sync(m_local->path()).exitCode, 0);
    QVERIFY(stripIdentity(m_local->path() + QStringLiteral("/.steadysync/journal.db")));
    QFile::remove(m_local->path() + QStringLiteral("/.steadysync/pair-id")); // before ids
    replaceWithOneNewFile(m_remote->path());

    const CliRunner::Outcome outcome = sync(m_local->path());
    QVERIFY2(holdsTrackedFiles(m_local->path()),
             qPrintable(describeTree(QStringLiteral("local"), m_local->path())));
    QVERIFY2(outcome.exitCode == 3, qPrintable(outcome.describe()));
    QCOMPARE(countFiles(m_cli->trashFilesDirectory()), 0);
    QVERIFY(!QFileInfo::exists(m_remote->path() + QStringLiteral("/.steadysync/folder-id")));
}

// Issue 14 case 6: a same-size edit in place with the old mtime put back (`dd conv=notrunc`
// then `touch -r`, as container tools do) was never seen; its ctime moved, which is now enough.
void TestRootIdentity::editWithRestoredMtimeIsUploaded()
{
    ScenarioRecord record(
        QStringLiteral("i-restored-mtime"),
        QStringLiteral(
            "Same-size edit in place with the old mtime put back (dd conv=notrunc, touch -r)"));
    record.addRun();
    record.addFaults(1);
    record.addOperations(1);
    const QString file = m_local->path() + QStringLiteral("/container.bin");
    const QString saved = m_home->path() + QStringLiteral("/times");
    writeFile(m_local->path(), QStringLiteral("container.bin"), QByteArray(4096, 'a'));
    QCOMPARE(sync(m_local->path()).exitCode, 0);
    const quint64 inode = inodeOf(file);
    writeFile(m_home->path(), QStringLiteral("times"), QByteArray());
    writeFile(m_home->path(), QStringLiteral("patch"), QByteArray(16, 'B'));
    QVERIFY(runTool(QStringLiteral("touch"), {QStringLiteral("-r"), file, saved}));
    QVERIFY(
        runTool(QStringLiteral("dd"),
                {QStringLiteral("if=") + m_home->path() + QStringLiteral("/patch"),
                 QStringLiteral("of=") + file, QStringLiteral("bs=16"), QStringLiteral("seek=8"),
                 QStringLiteral("conv=notrunc"), QStringLiteral("status=none")}));
    QVERIFY(runTool(QStringLiteral("touch"), {QStringLiteral("-r"), saved, file}));
    QCOMPARE(inodeOf(file), inode); // edited in place
    QCOMPARE(QFileInfo(file).size(), 4096);

    const CliRunner::Outcome outcome = sync(m_local->path());
    QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
    QByteArray expected(4096, 'a');
    expected.replace(128, 16, QByteArray(16, 'B'));
    QCOMPARE(readFile(file), expected);
    record.addVersionsLost(
        readFile(m_remote->path() + QStringLiteral("/container.bin")) == expected ? 0 : 1);
    record.setNotes(QStringLiteral("same inode, size and mtime; seen by its ctime"));
    QVERIFY2(readFile(m_remote->path() + QStringLiteral("/container.bin")) == expected,
             "the edit never reached the remote");
    record.complete();
}

// Issue 14 case 8: the conflict copy of a 255-byte name was too long for the file system; the
// item failed for good and the two clients kept different versions.
void TestRootIdentity::conflictOnA255ByteNameConverges()
{
    ScenarioRecord record(
        QStringLiteral("i-long-name-conflict"),
        QStringLiteral("Conflict on a 255-byte file name, two clients (file://)"));
    record.addRun();
    record.addFaults(1);
    record.addOperations(2);
    QTemporaryDir clientB;
    const QString name = QString(251, QLatin1Char('n')) + QStringLiteral(".txt");
    QCOMPARE(name.toUtf8().size(), 255);
    writeFile(m_local->path(), name, "first\n");
    QCOMPARE(sync(m_local->path()).exitCode, 0);
    QCOMPARE(sync(clientB.path()).exitCode, 0);
    writeFile(m_local->path(), name, "A's version\n");
    writeFile(clientB.path(), name, "B's version\n");
    setMtimeOffset(clientB.path() + QLatin1Char('/') + name, 60); // B's is newer: B keeps the name
    QCOMPARE(sync(m_local->path()).exitCode, 0);

    const CliRunner::Outcome b = sync(clientB.path());
    QVERIFY2(b.exitCode == 0, qPrintable(b.describe()));
    const CliRunner::Outcome a = sync(m_local->path());
    QVERIFY2(a.exitCode == 0, qPrintable(a.describe()));
    const QString trees = describeTree(QStringLiteral("A"), m_local->path()) +
                          describeTree(QStringLiteral("B"), clientB.path()) +
                          describeTree(QStringLiteral("remote"), m_remote->path());
    const QList<QByteArray> kept = contents(m_remote->path());
    record.addVersionsLost((kept.contains("A's version\n") ? 0 : 1) +
                           (kept.contains("B's version\n") ? 0 : 1));
    QStringList copies = QDir(m_remote->path()).entryList(QDir::Files);
    copies.removeAll(name);
    record.setNotes(QStringLiteral("conflict copy named in %1 bytes of UTF-8")
                        .arg(copies.value(0).toUtf8().size()));
    QVERIFY2(readTree(m_local->path()) == readTree(clientB.path()), qPrintable(trees));
    QVERIFY2(readTree(m_remote->path()) == readTree(clientB.path()), qPrintable(trees));
    QCOMPARE(countFiles(m_remote->path()), 2);
    QVERIFY(contents(m_remote->path()).contains("A's version\n"));
    QCOMPARE(readFile(m_remote->path() + QLatin1Char('/') + name), QByteArray("B's version\n"));
    record.complete();
}

QTEST_GUILESS_MAIN(TestRootIdentity)
#include "tst_rootidentity.moc"
