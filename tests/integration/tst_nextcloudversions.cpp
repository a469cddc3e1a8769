// What a Nextcloud server keeps of its own accord (issue 19 item 8): its versions of a file and
// its trashbin, listed by `versions list` beside the local versions and restored by `versions
// restore --id server-…`, through the real steadysync-cli against ScriptedNextcloudHistory, which
// replays the answers recorded from a real Nextcloud 32 (tests/data/nextcloud32).
#include "clirunner.h"
#include "hostilewebdavserver.h"
#include "scriptednextcloudhistory.h"
#include "testutil.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync::test;

Q_DECLARE_METATYPE(steadysync::test::ScriptedNextcloudHistory::Mode)

namespace {

const QString olderVersion = QStringLiteral("server-version:28:1796601114"); // "content v1"
const QString newerVersion = QStringLiteral("server-version:28:1796601116"); // "content v2"
const QString currentVersion = QStringLiteral("server-version:28:1796601119");
const QString goneInTrash = QStringLiteral("server-trash:gone.txt.d1796601125");
const QString takenInTrash = QStringLiteral("server-trash:taken.txt.d1796601128");

QJsonArray jsonArrayOf(const CliRunner::Outcome &outcome)
{
    return QJsonDocument::fromJson(outcome.out).array();
}

// The entries of a `versions list --json` answer by id (as a string).
QMap<QString, QJsonObject> entriesById(const QJsonArray &array)
{
    QMap<QString, QJsonObject> entries;
    for (const QJsonValue &value : array) {
        const QJsonObject object = value.toObject();
        const QJsonValue id = object.value(QStringLiteral("id"));
        entries.insert(id.isString() ? id.toString() : QString::number(id.toInteger()), object);
    }
    return entries;
}

} // namespace

class TestNextcloudVersions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void listShowsServerVersionsAndTrash();
    void restoringAServerVersionKeepsTheCurrentContent();
    void restoringAServerVersionElsewhere();
    void trashedFileGoesBackToItsPlaceWhenFree();
    void trashedFileComesToANewNameWhenItsPlaceIsTaken();
    void plainWebDavServerShowsNothingAndNoError();
    void hostileAnswersGiveAClearError_data();
    void hostileAnswersGiveAClearError();

private:
    CliRunner::Outcome cli(const QStringList &arguments) { return m_cli->runServing(arguments); }
    void syncOnce();

    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<QTemporaryDir> m_folder;
    std::unique_ptr<CliRunner> m_cli;
    std::unique_ptr<HostileWebDavServer> m_server;
    std::unique_ptr<ScriptedNextcloudHistory> m_nextcloud;
};

void TestNextcloudVersions::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    m_folder = std::make_unique<QTemporaryDir>();
    m_cli = std::make_unique<CliRunner>(m_home->path());
    m_cli->setPassword(ScriptedNextcloudHistory::password());
    m_nextcloud = std::make_unique<ScriptedNextcloudHistory>();
    QVERIFY2(m_nextcloud->loadError().isEmpty(), qPrintable(m_nextcloud->loadError()));
    m_server = std::make_unique<HostileWebDavServer>();
    m_server->setHandler(m_nextcloud->handler());
    QVERIFY(m_server->start());
    syncOnce();
    QCOMPARE(readFile(m_folder->path() + QStringLiteral("/notes.txt")), QByteArray("content v3\n"));
}

void TestNextcloudVersions::cleanup()
{
    m_server.reset();
    m_cli.reset();
}

void TestNextcloudVersions::syncOnce()
{
    const CliRunner::Outcome synced =
        cli({QStringLiteral("sync"), m_folder->path(),
             ScriptedNextcloudHistory::filesUrl(*m_server).toString(), QStringLiteral("--user"),
             ScriptedNextcloudHistory::user()});
    QVERIFY2(synced.exitCode == 0, qPrintable(synced.describe()));
}

void TestNextcloudVersions::listShowsServerVersionsAndTrash()
{
    const CliRunner::Outcome listed = cli({QStringLiteral("versions"), QStringLiteral("list"),
                                           m_folder->path(), QStringLiteral("--json")});
    QVERIFY2(listed.exitCode == 0, qPrintable(listed.describe()));
    const QMap<QString, QJsonObject> entries = entriesById(jsonArrayOf(listed));
    QVERIFY2(entries.contains(olderVersion) && entries.contains(newerVersion),
             qPrintable(listed.describe()));
    // Nextcloud lists the current content as a version too: it is no earlier version.
    QVERIFY2(!entries.contains(currentVersion), qPrintable(listed.describe()));
    const QJsonObject older = entries.value(olderVersion);
    QCOMPARE(older.value(QStringLiteral("reason")).toString(), QStringLiteral("server-version"));
    QCOMPARE(older.value(QStringLiteral("path")).toString(), QStringLiteral("notes.txt"));
    QCOMPARE(older.value(QStringLiteral("size")).toInteger(), 11);
    QCOMPARE(older.value(QStringLiteral("saved")).toString(),
             QStringLiteral("2026-12-06T23:51:54.000Z"));
    const QJsonObject gone = entries.value(goneInTrash);
    QCOMPARE(gone.value(QStringLiteral("reason")).toString(), QStringLiteral("server-trash"));
    QCOMPARE(gone.value(QStringLiteral("path")).toString(), QStringLiteral("sub/gone.txt"));
    QCOMPARE(gone.value(QStringLiteral("size")).toInteger(), 16);
    QCOMPARE(gone.value(QStringLiteral("saved")).toString(),
             QStringLiteral("2026-12-06T23:52:05.000Z"));
    QVERIFY(entries.contains(takenInTrash));
    QCOMPARE(entries.size(), 4);

    // Narrowed to a path, and as text.
    const CliRunner::Outcome narrowed = cli({QStringLiteral("versions"), QStringLiteral("list"),
                                             m_folder->path(), QStringLiteral("sub")});
    QVERIFY2(narrowed.exitCode == 0, qPrintable(narrowed.describe()));
    const QString text = QString::fromUtf8(narrowed.out);
    QVERIFY2(text.contains(goneInTrash + QLatin1Char('\t')) &&
                 text.contains(QStringLiteral("\tserver-trash\t")),
             qPrintable(narrowed.describe()));
    QVERIFY2(!text.contains(QStringLiteral("server-version")), qPrintable(narrowed.describe()));
}

void TestNextcloudVersions::restoringAServerVersionKeepsTheCurrentContent()
{
    const QString notes = m_folder->path() + QStringLiteral("/notes.txt");
    const CliRunner::Outcome restored =
        cli({QStringLiteral("versions"), QStringLiteral("restore"), m_folder->path(),
             QStringLiteral("notes.txt"), QStringLiteral("--id"), olderVersion});
    QVERIFY2(restored.exitCode == 0, qPrintable(restored.describe()));
    QCOMPARE(readFile(notes), QByteArray("content v1\n"));

    // The content it replaced is a local version, as with a local restore.
    const CliRunner::Outcome listed =
        cli({QStringLiteral("versions"), QStringLiteral("list"), m_folder->path(),
             QStringLiteral("notes.txt"), QStringLiteral("--json")});
    QVERIFY2(listed.exitCode == 0, qPrintable(listed.describe()));
    const QByteArray currentSha =
        QCryptographicHash::hash("content v3\n", QCryptographicHash::Sha256).toHex();
    bool kept = false;
    for (const QJsonValue &value : jsonArrayOf(listed)) {
        const QJsonObject entry = value.toObject();
        kept |= entry.value(QStringLiteral("reason")).toString() == QStringLiteral("overwritten") &&
                entry.value(QStringLiteral("sha256")).toString().toLatin1() == currentSha;
    }
    QVERIFY2(kept, qPrintable(listed.describe()));

    // And it syncs up as a local change.
    syncOnce();
    QCOMPARE(m_nextcloud->content(QStringLiteral("notes.txt")), QByteArray("content v1\n"));
}

void TestNextcloudVersions::restoringAServerVersionElsewhere()
{
    QTemporaryDir elsewhere;
    const QString target = elsewhere.path() + QStringLiteral("/notes-v2.txt");
    const CliRunner::Outcome restored =
        cli({QStringLiteral("versions"), QStringLiteral("restore"), m_folder->path(),
             QStringLiteral("notes.txt"), QStringLiteral("--id"), newerVersion,
             QStringLiteral("--to"), target});
    QVERIFY2(restored.exitCode == 0, qPrintable(restored.describe()));
    QCOMPARE(readFile(target), QByteArray("content v2\n"));
    QCOMPARE(readFile(m_folder->path() + QStringLiteral("/notes.txt")), QByteArray("content v3\n"));

    // The current content is no version the server hands out; an unknown id is refused.
    const CliRunner::Outcome refused =
        cli({QStringLiteral("versions"), QStringLiteral("restore"), m_folder->path(),
             QStringLiteral("notes.txt"), QStringLiteral("--id"), currentVersion});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains("keeps no server-version:28:1796601119"),
             qPrintable(refused.describe()));
    QCOMPARE(readFile(m_folder->path() + QStringLiteral("/notes.txt")), QByteArray("content v3\n"));
}

void TestNextcloudVersions::trashedFileGoesBackToItsPlaceWhenFree()
{
    const CliRunner::Outcome restored =
        cli({QStringLiteral("versions"), QStringLiteral("restore"), m_folder->path(),
             QStringLiteral("sub/gone.txt"), QStringLiteral("--id"), goneInTrash});
    QVERIFY2(restored.exitCode == 0, qPrintable(restored.describe()));
    QCOMPARE(m_nextcloud->trashRestores(), 1);
    QCOMPARE(m_nextcloud->content(QStringLiteral("sub/gone.txt")), QByteArray("trashed content\n"));
    QVERIFY(!m_nextcloud->trashNames().contains(QStringLiteral("gone.txt.d1796601125")));
    syncOnce();
    QCOMPARE(readFile(m_folder->path() + QStringLiteral("/sub/gone.txt")),
             QByteArray("trashed content\n"));
}

void TestNextcloudVersions::trashedFileComesToANewNameWhenItsPlaceIsTaken()
{
    const QString live = m_folder->path() + QStringLiteral("/sub/taken.txt");
    QCOMPARE(readFile(live), QByteArray("a new file at the same place\n"));
    const CliRunner::Outcome restored =
        cli({QStringLiteral("versions"), QStringLiteral("restore"), m_folder->path(),
             QStringLiteral("sub/taken.txt"), QStringLiteral("--id"), takenInTrash});
    QVERIFY2(restored.exitCode == 0, qPrintable(restored.describe()));
    QCOMPARE(m_nextcloud->trashRestores(), 0); // the server's restore would not land there
    QCOMPARE(readFile(live), QByteArray("a new file at the same place\n"));
    const QString beside = m_folder->path() + QStringLiteral("/sub/taken (restored).txt");
    QCOMPARE(readFile(beside), QByteArray("first taken\n"));
    syncOnce();
    QCOMPARE(m_nextcloud->content(QStringLiteral("sub/taken (restored).txt")),
             QByteArray("first taken\n"));
    QCOMPARE(m_nextcloud->content(QStringLiteral("sub/taken.txt")),
             QByteArray("a new file at the same place\n"));
}

void TestNextcloudVersions::plainWebDavServerShowsNothingAndNoError()
{
    m_nextcloud->setMode(ScriptedNextcloudHistory::Mode::PlainWebDav);
    const CliRunner::Outcome listed = cli({QStringLiteral("versions"), QStringLiteral("list"),
                                           m_folder->path(), QStringLiteral("--json")});
    QVERIFY2(listed.exitCode == 0, qPrintable(listed.describe()));
    QCOMPARE(jsonArrayOf(listed).size(), 0);
    QVERIFY2(!listed.err.contains("steadysync-cli:"), qPrintable(listed.describe()));
}

void TestNextcloudVersions::hostileAnswersGiveAClearError_data()
{
    QTest::addColumn<ScriptedNextcloudHistory::Mode>("mode");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("truncated versions listing")
        << ScriptedNextcloudHistory::Mode::TruncatedVersions
        << QByteArray("the server's answer to the versions of notes.txt is not usable");
    QTest::newRow("trash item outside the trash")
        << ScriptedNextcloudHistory::Mode::TrashOutsideItself
        << QByteArray("/remote.php/dav/files/u/gone.txt.d1796601125 is not in");
}

void TestNextcloudVersions::hostileAnswersGiveAClearError()
{
    QFETCH(ScriptedNextcloudHistory::Mode, mode);
    QFETCH(QByteArray, message);
    m_nextcloud->setMode(mode);
    const CliRunner::Outcome listed = cli({QStringLiteral("versions"), QStringLiteral("list"),
                                           m_folder->path(), QStringLiteral("--json")});
    QCOMPARE(listed.exitCode, 1);
    QVERIFY2(listed.err.contains(message), qPrintable(listed.describe()));
    QVERIFY2(QJsonDocument::fromJson(listed.out).isArray(), qPrintable(listed.describe()));
}

QTEST_GUILESS_MAIN(TestNextcloudVersions)
#include "tst_nextcloudversions.moc"
