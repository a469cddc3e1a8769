// The version store through the real steadysync-cli (issue 17, DESIGN §7 and §10), on the remote
// named by STEADYSYNC_TEST_REMOTE (file:// or a real WebDAV server): every way the client
// replaces or removes a local file keeps exactly one version with the old content; `versions
// list --json` shows it; `versions restore` brings it back, keeps what it replaces, and the
// restored file reaches the other client like any local change.
#include "clipair.h"
#include "testutil.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync::test;

namespace {

#define EXIT_IS(outcome, code)                                                                     \
    do {                                                                                           \
        const CliRunner::Outcome exitIsOutcome = (outcome);                                        \
        QVERIFY2(exitIsOutcome.exitCode == (code), qPrintable(exitIsOutcome.describe()));          \
    } while (false)

QString sha256(const QByteArray &content)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
}

CliRunner::Outcome versions(const CliPair &pair, const QStringList &arguments)
{
    return pair.cli.run(QStringList{QStringLiteral("versions")} + arguments);
}

QJsonArray listed(const CliPair &pair, const QString &folder, const QString &path = {})
{
    QStringList arguments{QStringLiteral("list"), folder};
    if (!path.isEmpty())
        arguments.append(path);
    const CliRunner::Outcome outcome = versions(pair, arguments + QStringList{"--json"});
    if (outcome.exitCode != 0)
        qWarning().noquote() << outcome.describe();
    return QJsonDocument::fromJson(outcome.out).array();
}

// The one version listed, which must have this path, reason and content.
bool isOnlyVersion(const QJsonArray &all, const QString &path, const QString &reason,
                   const QByteArray &content)
{
    if (all.size() != 1) {
        qWarning().noquote() << "versions:" << QJsonDocument(all).toJson();
        return false;
    }
    const QJsonObject version = all.first().toObject();
    const bool matches =
        version.value("path").toString() == path && version.value("reason").toString() == reason &&
        version.value("sha256").toString() == sha256(content) &&
        version.value("size").toInteger() == content.size() &&
        version.value("id").toInteger() > 0 && !version.value("saved").toString().isEmpty();
    if (!matches)
        qWarning().noquote() << "version:" << QJsonDocument(version).toJson();
    return matches;
}

QStringList conflictCopies(const QString &root)
{
    return QDir(root).entryList({QStringLiteral("* (conflict *")}, QDir::Files);
}

} // namespace

class TestCliVersions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void downloadOverAFileKeepsItAndRestoreRoundTrips();
    void remoteDeleteKeepsTheFile();
    void conflictLoserIsKeptOnce_data();
    void conflictLoserIsKeptOnce();
    void resolvingAConflictKeepsTheDiscardedSide_data();
    void resolvingAConflictKeepsTheDiscardedSide();
    void unselectedFolderKeepsItsFiles();
    void restoreToAnotherPlaceAndRefusals();
    void retentionIsSetAndShown();
};

// B's file is overwritten by A's edit: B keeps the old content; restoring it makes it the
// current content everywhere, and what the restore replaced is kept in turn.
void TestCliVersions::downloadOverAFileKeepsItAndRestoreRoundTrips()
{
    CliPair pair;
    writeFile(pair.a(), QStringLiteral("notes/plan.txt"), "version one");
    EXIT_IS(pair.sync(pair.a()), 0);
    EXIT_IS(pair.sync(pair.b()), 0);
    QVERIFY(listed(pair, pair.b()).isEmpty());
    writeFile(pair.a(), QStringLiteral("notes/plan.txt"), "version two, longer");
    EXIT_IS(pair.sync(pair.a()), 0);
    EXIT_IS(pair.sync(pair.b()), 0);
    QCOMPARE(readFile(pair.b() + QStringLiteral("/notes/plan.txt")),
             QByteArray("version two, longer"));
    QVERIFY(isOnlyVersion(listed(pair, pair.b()), "notes/plan.txt", "overwritten", "version one"));
    QVERIFY(isOnlyVersion(listed(pair, pair.b(), "notes"), "notes/plan.txt", "overwritten",
                          "version one"));
    QVERIFY(listed(pair, pair.a()).isEmpty()); // A replaced nothing

    EXIT_IS(versions(pair, {"restore", pair.b(), "notes/plan.txt"}), 0);
    QCOMPARE(readFile(pair.b() + QStringLiteral("/notes/plan.txt")), QByteArray("version one"));
    const QJsonArray after = listed(pair, pair.b(), "notes/plan.txt");
    QCOMPARE(after.size(), 2); // the content the restore replaced is a version too
    QCOMPARE(after.first().toObject().value("sha256").toString(), sha256("version two, longer"));
    EXIT_IS(pair.sync(pair.b()), 0);
    EXIT_IS(pair.sync(pair.a()), 0);
    QCOMPARE(readFile(pair.a() + QStringLiteral("/notes/plan.txt")), QByteArray("version one"));
    QCOMPARE(readFile(pair.remote() + QStringLiteral("/notes/plan.txt")),
             QByteArray("version one"));
}

// A deletes a file; B's copy goes to the trash as before, and into the version store, from
// where it comes back on both sides.
void TestCliVersions::remoteDeleteKeepsTheFile()
{
    CliPair pair;
    for (const char *name : {"keep1.txt", "keep2.txt", "gone.txt"})
        writeFile(pair.a(), QString::fromLatin1(name), QByteArray("content of ") + name);
    EXIT_IS(pair.sync(pair.a()), 0);
    EXIT_IS(pair.sync(pair.b()), 0);
    QVERIFY(QFile::remove(pair.a() + QStringLiteral("/gone.txt")));
    EXIT_IS(pair.sync(pair.a()), 0);
    const CliRunner::Outcome deleted = pair.sync(pair.b());
    EXIT_IS(deleted, 0);
    QCOMPARE(deleted.json().value("deleted_local").toInt(), 1);
    QVERIFY(!QFileInfo::exists(pair.b() + QStringLiteral("/gone.txt")));
    QVERIFY(isOnlyVersion(listed(pair, pair.b()), "gone.txt", "deleted-remotely",
                          "content of gone.txt"));
    const QStringList trashed = QDir(pair.cli.trashFilesDirectory()).entryList(QDir::Files);
    QCOMPARE(trashed.size(), 1);
    // The trash copy is the user's: writing into it in place leaves the kept version alone.
    QFile fromTrash(pair.cli.trashFilesDirectory() + QLatin1Char('/') + trashed.first());
    QVERIFY(fromTrash.open(QIODevice::ReadWrite));
    QVERIFY(fromTrash.write("edited in the trash") > 0);
    fromTrash.close();

    EXIT_IS(versions(pair, {"restore", pair.b(), "gone.txt"}), 0);
    QCOMPARE(listed(pair, pair.b()).size(), 1); // nothing was there to keep
    EXIT_IS(pair.sync(pair.b()), 0);
    EXIT_IS(pair.sync(pair.a()), 0);
    QCOMPARE(readFile(pair.a() + QStringLiteral("/gone.txt")), QByteArray("content of gone.txt"));
}

void TestCliVersions::conflictLoserIsKeptOnce_data()
{
    QTest::addColumn<QString>("policy");
    QTest::addColumn<QByteArray>("loser");
    QTest::newRow("local-wins") << QStringLiteral("local-wins") << QByteArray("edited on B");
    QTest::newRow("remote-wins") << QStringLiteral("remote-wins") << QByteArray("edited on A");
}

// Both sides edit; A settles the conflict by policy: the loser stays as the conflict copy and
// is kept, once, as a version of the contested name.
void TestCliVersions::conflictLoserIsKeptOnce()
{
    QFETCH(QString, policy);
    QFETCH(QByteArray, loser);
    CliPair pair;
    writeFile(pair.a(), QStringLiteral("doc.txt"), "base");
    EXIT_IS(pair.sync(pair.a()), 0);
    EXIT_IS(pair.sync(pair.b()), 0);
    writeFile(pair.a(), QStringLiteral("doc.txt"), "edited on A");
    writeFile(pair.b(), QStringLiteral("doc.txt"), "edited on B");
    EXIT_IS(pair.sync(pair.b()), 0);
    EXIT_IS(pair.sync(pair.a(), {QStringLiteral("--conflict-policy"), policy}), 0);
    QCOMPARE(conflictCopies(pair.a()).size(), 1);
    QCOMPARE(readFile(pair.a() + QLatin1Char('/') + conflictCopies(pair.a()).first()), loser);
    QVERIFY(isOnlyVersion(listed(pair, pair.a()), "doc.txt", "conflict", loser));
    // The copy stays in use: editing it does not change the version.
    writeFile(pair.a(), conflictCopies(pair.a()).first(), "copy edited later");
    QVERIFY(isOnlyVersion(listed(pair, pair.a()), "doc.txt", "conflict", loser));
    EXIT_IS(versions(pair, {"restore", pair.a(), "doc.txt", "--to", pair.a() + "/loser.txt"}), 0);
    QCOMPARE(readFile(pair.a() + QStringLiteral("/loser.txt")), loser);
}

void TestCliVersions::resolvingAConflictKeepsTheDiscardedSide_data()
{
    QTest::addColumn<QString>("keep");
    QTest::addColumn<QByteArray>("discarded");
    QTest::newRow("keep remote") << QStringLiteral("remote") << QByteArray("mine");
    QTest::newRow("keep local") << QStringLiteral("local") << QByteArray("theirs");
}

void TestCliVersions::resolvingAConflictKeepsTheDiscardedSide()
{
    QFETCH(QString, keep);
    QFETCH(QByteArray, discarded);
    CliPair pair;
    writeFile(pair.a(), QStringLiteral("doc.txt"), "base");
    EXIT_IS(pair.sync(pair.a()), 0);
    EXIT_IS(pair.sync(pair.b()), 0);
    writeFile(pair.a(), QStringLiteral("doc.txt"), "mine");
    writeFile(pair.b(), QStringLiteral("doc.txt"), "theirs");
    EXIT_IS(pair.sync(pair.b()), 0);
    EXIT_IS(pair.sync(pair.a(), {QStringLiteral("--conflict-policy"), QStringLiteral("ask")}), 1);
    QVERIFY(listed(pair, pair.a()).isEmpty()); // open: nothing is lost yet
    EXIT_IS(pair.cli.run({QStringLiteral("conflicts"), QStringLiteral("resolve"), pair.a(),
                          QStringLiteral("doc.txt"), QStringLiteral("--keep"), keep}),
            0);
    QVERIFY(isOnlyVersion(listed(pair, pair.a()), "doc.txt", "conflict", discarded));
}

// Leaving a folder out removes B's copy of it; each removed file is a version.
void TestCliVersions::unselectedFolderKeepsItsFiles()
{
    CliPair pair;
    writeFile(pair.a(), QStringLiteral("Big/one.bin"), "one");
    writeFile(pair.a(), QStringLiteral("Docs/d.txt"), "d");
    EXIT_IS(pair.sync(pair.a()), 0);
    EXIT_IS(pair.sync(pair.b()), 0);
    EXIT_IS(pair.cli.run({QStringLiteral("select"), pair.b(), QStringLiteral("exclude"),
                          QStringLiteral("Big")}),
            0);
    QVERIFY(!QFileInfo::exists(pair.b() + QStringLiteral("/Big/one.bin")));
    QVERIFY(isOnlyVersion(listed(pair, pair.b()), "Big/one.bin", "unselected", "one"));
}

void TestCliVersions::restoreToAnotherPlaceAndRefusals()
{
    CliPair pair;
    writeFile(pair.a(), QStringLiteral("f.txt"), "old");
    writeFile(pair.a(), QStringLiteral("g.txt"), "g");
    EXIT_IS(pair.sync(pair.a()), 0);
    EXIT_IS(pair.sync(pair.b()), 0);
    writeFile(pair.a(), QStringLiteral("f.txt"), "new");
    EXIT_IS(pair.sync(pair.a()), 0);
    EXIT_IS(pair.sync(pair.b()), 0);
    const qint64 id = listed(pair, pair.b()).first().toObject().value("id").toInteger();
    QTemporaryDir elsewhere;
    const QString target = elsewhere.filePath(QStringLiteral("restored.txt"));
    EXIT_IS(
        versions(pair, {"restore", pair.b(), "f.txt", "--id", QString::number(id), "--to", target}),
        0);
    QCOMPARE(readFile(target), QByteArray("old"));
    QCOMPARE(readFile(pair.b() + QStringLiteral("/f.txt")), QByteArray("new")); // untouched
    // Outside the folder nothing can keep what would be replaced: refused.
    EXIT_IS(versions(pair, {"restore", pair.b(), "f.txt", "--to", target}), 2);
    EXIT_IS(versions(pair, {"restore", pair.b(), "g.txt"}), 2); // no version
    EXIT_IS(versions(pair, {"restore", pair.b(), "f.txt", "--id", "999"}), 2);
    EXIT_IS(versions(pair, {"restore", pair.b(), "../f.txt"}), 2);
    EXIT_IS(versions(pair, {"list", elsewhere.path()}), 2); // not a synced folder
    EXIT_IS(versions(pair, {"frobnicate", pair.b()}), 2);
    EXIT_IS(versions(pair, {"prune", pair.b()}), 0);
    QCOMPARE(listed(pair, pair.b()).size(), 1); // young versions stay
}

// `versions config` prints the retention in force, changes what it is given, keeps the rest,
// and refuses values that are no whole number of at least 1.
void TestCliVersions::retentionIsSetAndShown()
{
    CliPair pair;
    writeFile(pair.a(), QStringLiteral("f.txt"), "x");
    EXIT_IS(pair.sync(pair.a()), 0);
    const CliRunner::Outcome defaults = versions(pair, {"config", pair.a(), "--json"});
    EXIT_IS(defaults, 0);
    QCOMPARE(defaults.json().value("keep_all_hours").toDouble(), 1.0);
    QCOMPARE(defaults.json().value("hourly_days").toDouble(), 1.0);
    QCOMPARE(defaults.json().value("daily_days").toDouble(), 30.0);
    QCOMPARE(defaults.json().value("weekly_max_days").toDouble(), 365.0);
    QVERIFY(defaults.json().value("max_size_mib").toDouble() > 0);

    EXIT_IS(versions(pair, {"config", pair.a(), "--keep-all-hours", "3", "--daily-days", "60",
                            "--max-size-mib", "100"}),
            0);
    const CliRunner::Outcome shown = versions(pair, {"config", pair.a(), "--json"});
    EXIT_IS(shown, 0);
    QCOMPARE(shown.json().value("keep_all_hours").toDouble(), 3.0);
    QCOMPARE(shown.json().value("hourly_days").toDouble(), 1.0);
    QCOMPARE(shown.json().value("daily_days").toDouble(), 60.0);
    QCOMPARE(shown.json().value("weekly_max_days").toDouble(), 365.0);
    QCOMPARE(shown.json().value("max_size_mib").toDouble(), 100.0);
    const CliRunner::Outcome text = versions(pair, {"config", pair.a()});
    EXIT_IS(text, 0);
    QVERIFY2(text.out.contains("daily_days\t60"), text.out.constData());
    EXIT_IS(versions(pair, {"config", pair.a(), "--hourly-days", "0"}), 2);
    EXIT_IS(versions(pair, {"config", pair.a(), "--weekly-max-days", "soon"}), 2);
    // A sync leaves the values alone.
    EXIT_IS(pair.sync(pair.a()), 0);
    QCOMPARE(versions(pair, {"config", pair.a(), "--json"}).json().value("daily_days").toDouble(),
             60.0);
}

QTEST_GUILESS_MAIN(TestCliVersions)
#include "tst_cliversions.moc"
