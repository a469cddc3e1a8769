// kill -9 of steadysync-cli at each step of keeping, restoring and pruning versions (issue 17,
// DESIGN §5 "a kill at any point loses nothing"): the process kills itself where
// STEADYSYNC_TEST_VERSIONS_KILL_AT names the step (BlobFiles::crashPoint). Afterwards every
// version listed has its complete content, every content that existed is still a file or a
// listed version, and the next prune leaves no unnamed blob and no temporary copy.
#include "clipair.h"
#include "scenariorecord.h"
#include "testutil.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace steadysync::test;

namespace {

QString sha256(const QByteArray &content)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
}

QString storeDirectory(const QString &root)
{
    return root + QStringLiteral("/.steadysync/versions");
}

// Runs the CLI with the kill step set; true when it died of SIGKILL.
bool runKilledAt(const CliPair &pair, const QString &step, const QStringList &arguments)
{
    QProcess process;
    QProcessEnvironment environment = pair.cli.environment();
    environment.insert(QStringLiteral("STEADYSYNC_TEST_VERSIONS_KILL_AT"), step);
    process.setProcessEnvironment(environment);
    process.start(CliRunner::program(), arguments);
    if (!process.waitForFinished(120'000))
        return false;
    if (process.exitStatus() != QProcess::CrashExit)
        qWarning().noquote() << "not killed at" << step << ":" << process.readAllStandardError();
    return process.exitStatus() == QProcess::CrashExit;
}

QJsonArray listed(const CliPair &pair, const QString &root)
{
    const CliRunner::Outcome outcome = pair.cli.run(
        {QStringLiteral("versions"), QStringLiteral("list"), root, QStringLiteral("--json")});
    return QJsonDocument::fromJson(outcome.out).array();
}

QString blobOf(const QString &root, const QString &sha)
{
    return storeDirectory(root) + QStringLiteral("/blobs/") + sha.left(2) + QLatin1Char('/') + sha;
}

// Every listed version's blob is there with its content: no half-written version.
bool everyVersionComplete(const CliPair &pair, const QString &root)
{
    for (const QJsonValue &value : listed(pair, root)) {
        const QString sha = value.toObject().value("sha256").toString();
        if (sha256(readFile(blobOf(root, sha))) != sha) {
            qWarning() << "version" << value.toObject().value("id").toInteger() << "is incomplete";
            return false;
        }
    }
    return true;
}

// Contents found neither as a file of root nor as a listed version.
int lostContents(const CliPair &pair, const QString &root, const QList<QByteArray> &contents)
{
    QSet<QString> kept;
    for (const QJsonValue &value : listed(pair, root))
        kept.insert(value.toObject().value("sha256").toString());
    const QMap<QString, QByteArray> files = readTree(root);
    int lost = 0;
    for (const QByteArray &content : contents)
        if (!kept.contains(sha256(content)) && !files.values().contains(content))
            ++lost;
    return lost;
}

// After a clean prune: as many blobs as distinct listed contents, and no temporary copy.
bool storeIsTidy(const CliPair &pair, const QString &root)
{
    QSet<QString> named;
    for (const QJsonValue &value : listed(pair, root))
        named.insert(value.toObject().value("sha256").toString());
    int blobs = 0;
    QDirIterator it(storeDirectory(root) + QStringLiteral("/blobs"), QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        ++blobs;
    }
    const bool tidy =
        blobs == named.size() &&
        QDir(storeDirectory(root) + QStringLiteral("/tmp")).isEmpty(QDir::Files | QDir::Hidden);
    if (!tidy)
        qWarning() << "blobs" << blobs << "named" << named.size();
    return tidy;
}

// B holds f.txt = "two …" and one version of "one …".
void prepareOverwrittenFile(const CliPair &pair, const QByteArray &one, const QByteArray &two)
{
    writeFile(pair.a(), QStringLiteral("f.txt"), one);
    writeFile(pair.a(), QStringLiteral("other.txt"), "other");
    QCOMPARE(pair.sync(pair.a()).exitCode, 0);
    QCOMPARE(pair.sync(pair.b()).exitCode, 0);
    writeFile(pair.a(), QStringLiteral("f.txt"), two);
    QCOMPARE(pair.sync(pair.a()).exitCode, 0);
    QCOMPARE(pair.sync(pair.b()).exitCode, 0);
    QCOMPARE(listed(pair, pair.b()).size(), 1);
}

// Makes every version prunable at once (journal settings of the pair, as `prune` reads them).
void pruneEverything(const QString &root)
{
    QVERIFY(
        runTool(QStringLiteral("sqlite3"),
                {root + QStringLiteral("/.steadysync/journal.db"),
                 QStringLiteral(
                     "INSERT OR REPLACE INTO settings VALUES ('versions_keep_all_s', '0');"
                     "INSERT OR REPLACE INTO settings VALUES ('versions_max_age_days', '0');")}));
}

} // namespace

class TestVersionKill : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_record = std::make_unique<ScenarioRecord>(
            QStringLiteral("e-kill-versions"),
            QStringLiteral("kill -9 at each step of keeping, restoring and pruning versions "
                           "(file:// remote)"));
    }
    void killDuringRestore_data();
    void killDuringRestore();
    void killDuringConflictSnapshot_data();
    void killDuringConflictSnapshot();
    void killDuringPrune_data();
    void killDuringPrune();
    void cleanupTestCase();

private:
    std::unique_ptr<ScenarioRecord> m_record;
    int m_failures = 0;
};

void TestVersionKill::killDuringRestore_data()
{
    QTest::addColumn<QString>("step");
    QTest::newRow("existing file linked, no row yet") << QStringLiteral("after-blob");
    QTest::newRow("row written, file not yet restored") << QStringLiteral("after-row");
    QTest::newRow("restored copy half written") << QStringLiteral("mid-copy");
}

// `versions restore` over an existing file: it keeps that file (link + row), then copies the
// version out; killed at each step.
void TestVersionKill::killDuringRestore()
{
    QFETCH(QString, step);
    CliPair pair;
    const QByteArray one(3 << 20, 'o'), two = "two: the current content";
    prepareOverwrittenFile(pair, one, two);
    m_record->addRun();
    m_record->addFaults(1);
    QVERIFY(runKilledAt(pair, step, {"versions", "restore", pair.b(), "f.txt"}));
    ++m_failures;
    QVERIFY(everyVersionComplete(pair, pair.b()));
    const int lost = lostContents(pair, pair.b(), {one, two});
    m_record->addVersionsLost(lost);
    QCOMPARE(lost, 0);
    QCOMPARE(pair.cli.run({"versions", "prune", pair.b()}).exitCode, 0);
    QVERIFY(storeIsTidy(pair, pair.b()));
    // The restore, run again, completes.
    QCOMPARE(pair.cli.run({"versions", "restore", pair.b(), "f.txt", "--id", "1"}).exitCode, 0);
    QCOMPARE(readFile(pair.b() + QStringLiteral("/f.txt")), one);
    QCOMPARE(lostContents(pair, pair.b(), {one, two}), 0);
    m_record->addOperations(2);
    --m_failures;
}

void TestVersionKill::killDuringConflictSnapshot_data()
{
    QTest::addColumn<QString>("step");
    QTest::newRow("snapshot half copied") << QStringLiteral("mid-copy");
    QTest::newRow("snapshot copied, not yet named") << QStringLiteral("before-blob-rename");
    QTest::newRow("snapshot named, no row yet") << QStringLiteral("after-blob");
}

// A sync that settles a conflict keeps the loser as a snapshot (a copy: it stays in use as the
// conflict copy); killed at each step, the next sync keeps it exactly once.
void TestVersionKill::killDuringConflictSnapshot()
{
    QFETCH(QString, step);
    CliPair pair;
    writeFile(pair.a(), QStringLiteral("doc.txt"), "base");
    QCOMPARE(pair.sync(pair.a()).exitCode, 0);
    QCOMPARE(pair.sync(pair.b()).exitCode, 0);
    const QByteArray mine(2 << 20, 'A'), theirs(2 << 20, 'B');
    writeFile(pair.a(), QStringLiteral("doc.txt"), mine);
    writeFile(pair.b(), QStringLiteral("doc.txt"), theirs);
    QCOMPARE(pair.sync(pair.b()).exitCode, 0);
    m_record->addRun();
    m_record->addFaults(1);
    QVERIFY(runKilledAt(pair, step,
                        {"sync", pair.a(), pair.url(), "--conflict-policy", "remote-wins"}));
    ++m_failures;
    QVERIFY(everyVersionComplete(pair, pair.a()));
    QCOMPARE(lostContents(pair, pair.a(), {mine}), 0);
    QCOMPARE(pair.sync(pair.a(), {"--conflict-policy", "remote-wins"}).exitCode, 0);
    const QJsonArray versions = listed(pair, pair.a());
    QCOMPARE(versions.size(), 1);
    QCOMPARE(versions.first().toObject().value("sha256").toString(), sha256(mine));
    QCOMPARE(readFile(pair.a() + QStringLiteral("/doc.txt")), theirs);
    QCOMPARE(pair.cli.run({"versions", "prune", pair.a()}).exitCode, 0);
    QVERIFY(storeIsTidy(pair, pair.a()));
    m_record->addOperations(1);
    --m_failures;
}

void TestVersionKill::killDuringPrune_data()
{
    QTest::addColumn<QString>("step");
    QTest::newRow("rows removed, blobs not yet") << QStringLiteral("after-rows");
    QTest::newRow("first blob removed") << QStringLiteral("mid-unlink");
}

void TestVersionKill::killDuringPrune()
{
    QFETCH(QString, step);
    CliPair pair;
    prepareOverwrittenFile(pair, "one", "two");
    writeFile(pair.a(), QStringLiteral("f.txt"), "three");
    QCOMPARE(pair.sync(pair.a()).exitCode, 0);
    QCOMPARE(pair.sync(pair.b()).exitCode, 0);
    QCOMPARE(listed(pair, pair.b()).size(), 2);
    pruneEverything(pair.b());
    m_record->addRun();
    m_record->addFaults(1);
    QVERIFY(runKilledAt(pair, step, {"versions", "prune", pair.b()}));
    ++m_failures;
    QVERIFY(everyVersionComplete(pair, pair.b()));
    QCOMPARE(readFile(pair.b() + QStringLiteral("/f.txt")), QByteArray("three"));
    QCOMPARE(pair.cli.run({"versions", "prune", pair.b()}).exitCode, 0);
    QCOMPARE(listed(pair, pair.b()).size(), 0);
    QVERIFY(storeIsTidy(pair, pair.b()));
    m_record->addOperations(1);
    --m_failures;
}

void TestVersionKill::cleanupTestCase()
{
    m_record->setNotes(
        QStringLiteral("steps: restore (after-blob, after-row, mid-copy), conflict snapshot "
                       "in a sync (mid-copy, before-blob-rename, after-blob), prune "
                       "(after-rows, mid-unlink); each followed by the check that every "
                       "listed version is complete and a clean prune"));
    if (m_failures == 0)
        m_record->complete();
    m_record.reset();
}

QTEST_GUILESS_MAIN(TestVersionKill)
#include "tst_versionkill.moc"
