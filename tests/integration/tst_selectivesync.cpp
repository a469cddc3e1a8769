// Selective sync through the real steadysync-cli (issue 18): client B leaves a remote folder
// out, client A syncs everything, on the remote named by STEADYSYNC_TEST_REMOTE (file:// or a
// real WebDAV server). An excluded folder is never downloaded, never uploaded to and never
// taken for a deletion on either side; unselecting removes only the local copy, and only what
// the server has; including it again brings it back; the mass-deletion guard never fires
// because of a selection.
#include "clipair.h"
#include "testutil.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync::test;

namespace {

// The selective-sync command of a client.
CliRunner::Outcome select(const CliPair &pair, const QString &folder, const QStringList &arguments)
{
    return pair.cli.run(QStringList{QStringLiteral("select"), folder} + arguments);
}

#define EXIT_IS(outcome, code)                                                                     \
    do {                                                                                           \
        const CliRunner::Outcome exitIsOutcome = (outcome);                                        \
        QVERIFY2(exitIsOutcome.exitCode == (code), qPrintable(exitIsOutcome.describe()));          \
    } while (false)

QStringList filesBelow(const QString &root, const QString &folder = {})
{
    QStringList names;
    QDirIterator it(QDir(root).filePath(folder), QDir::Files | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString relative = QDir(root).relativeFilePath(it.next());
        if (!relative.startsWith(QLatin1String(".steadysync")))
            names.append(relative);
    }
    names.sort();
    return names;
}

} // namespace

class TestSelectiveSync : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void excludedFolderIsNeverDownloaded();
    void changesInAnExcludedFolderAreNoDeletions();
    void unselectRemovesOnlyTheSyncedLocalCopy();
    void includingAgainBringsTheFolderBackAndKeepsLocalEdits();
    void badFoldersAreRefused();
    void largeNewFolderWaitsForAChoice();

private:
    // A uploads Big/ (20 files) and Docs/ (2 files).
    static void fillRemote(const CliPair &pair);
};

void TestSelectiveSync::fillRemote(const CliPair &pair)
{
    for (int i = 0; i < 20; ++i)
        writeFile(pair.a(), QStringLiteral("Big/part%1.bin").arg(i),
                  "big " + QByteArray::number(i));
    writeFile(pair.a(), QStringLiteral("Docs/d1.txt"), "d1");
    writeFile(pair.a(), QStringLiteral("Docs/d2.txt"), "d2");
    EXIT_IS(pair.sync(pair.a()), 0);
}

// A new pair that starts with a selection never downloads what it leaves out.
void TestSelectiveSync::excludedFolderIsNeverDownloaded()
{
    CliPair pair;
    fillRemote(pair);
    EXIT_IS(select(pair, pair.b(), {QStringLiteral("exclude"), QStringLiteral("Big/")}), 0);

    const CliRunner::Outcome first = pair.sync(pair.b());
    EXIT_IS(first, 0);
    QCOMPARE(first.json().value(QStringLiteral("downloaded")).toInt(), 2);
    QCOMPARE(filesBelow(pair.b()), (QStringList{"Docs/d1.txt", "Docs/d2.txt"}));
    QVERIFY(!QFileInfo::exists(pair.b() + QStringLiteral("/Big")));

    const CliRunner::Outcome listed =
        select(pair, pair.b(), {QStringLiteral("list"), QStringLiteral("--json")});
    EXIT_IS(listed, 0);
    const QJsonObject selection = QJsonDocument::fromJson(listed.out).object();
    QCOMPARE(selection.value(QStringLiteral("excluded")).toArray(), QJsonArray{"Big"});
    QCOMPARE(selection.value(QStringLiteral("held_back")).toArray(), QJsonArray());
    const CliRunner::Outcome status =
        pair.cli.run({QStringLiteral("status"), pair.b(), QStringLiteral("--json")});
    EXIT_IS(status, 0);
    QCOMPARE(status.json().value(QStringLiteral("excluded_folders")).toInt(), 1);
}

// What happens in an excluded folder on either side stays there: nothing is deleted or sent.
void TestSelectiveSync::changesInAnExcludedFolderAreNoDeletions()
{
    CliPair pair;
    fillRemote(pair);
    EXIT_IS(select(pair, pair.b(), {QStringLiteral("exclude"), QStringLiteral("Big")}), 0);
    EXIT_IS(pair.sync(pair.b()), 0);

    writeFile(pair.a(), QStringLiteral("Big/part3.bin"), "big 3, edited by A");
    writeFile(pair.b(), QStringLiteral("Big/local only.txt"), "made here while excluded");
    QVERIFY(QFile::remove(pair.a() + QStringLiteral("/Docs/d1.txt")));
    EXIT_IS(pair.sync(pair.a()), 0);
    const CliRunner::Outcome b = pair.sync(pair.b());
    EXIT_IS(b, 0);
    QCOMPARE(b.json().value(QStringLiteral("uploaded")).toInt(), 0);
    QCOMPARE(b.json().value(QStringLiteral("deleted_remote")).toInt(), 0);
    QCOMPARE(filesBelow(pair.b()), (QStringList{"Big/local only.txt", "Docs/d2.txt"}));
    QCOMPARE(filesBelow(pair.remote(), QStringLiteral("Big")).size(), 20);
    QCOMPARE(readFile(pair.remote() + QStringLiteral("/Big/part3.bin")),
             QByteArray("big 3, edited by A"));
}

// B had everything, then leaves Big out: its local copy goes (to the trash), except a file
// edited here and not yet uploaded, which stays; the server keeps Big whole, and the next
// sync is no mass deletion.
void TestSelectiveSync::unselectRemovesOnlyTheSyncedLocalCopy()
{
    CliPair pair;
    fillRemote(pair);
    EXIT_IS(pair.sync(pair.b()), 0);
    writeFile(pair.b(), QStringLiteral("Big/part7.bin"), "big 7, edited on B, not yet synced");

    const CliRunner::Outcome unselect =
        select(pair, pair.b(), {QStringLiteral("exclude"), QStringLiteral("Big")});
    EXIT_IS(unselect, 1); // something was kept
    QVERIFY2(unselect.err.contains("19 file(s)") && unselect.err.contains("kept Big/part7.bin"),
             qPrintable(unselect.describe()));
    QCOMPARE(filesBelow(pair.b()), (QStringList{"Big/part7.bin", "Docs/d1.txt", "Docs/d2.txt"}));
    QCOMPARE(filesBelow(pair.cli.trashFilesDirectory()).size(), 19);

    const CliRunner::Outcome after = pair.sync(pair.b());
    EXIT_IS(after, 0);
    QCOMPARE(after.json().value(QStringLiteral("deleted_remote")).toInt(), 0);
    QCOMPARE(filesBelow(pair.remote(), QStringLiteral("Big")).size(), 20);
    QCOMPARE(readFile(pair.remote() + QStringLiteral("/Big/part7.bin")), QByteArray("big 7"));
    const CliRunner::Outcome a = pair.sync(pair.a());
    EXIT_IS(a, 0);
    QCOMPARE(a.json().value(QStringLiteral("deleted_local")).toInt(), 0);
    QCOMPARE(filesBelow(pair.a(), QStringLiteral("Big")).size(), 20);
}

// Included again, the folder comes back; the edit that stayed meets the server's version as
// a conflict, and both are kept.
void TestSelectiveSync::includingAgainBringsTheFolderBackAndKeepsLocalEdits()
{
    CliPair pair;
    fillRemote(pair);
    EXIT_IS(pair.sync(pair.b()), 0);
    writeFile(pair.b(), QStringLiteral("Big/part7.bin"), "big 7, edited on B");
    EXIT_IS(select(pair, pair.b(), {QStringLiteral("exclude"), QStringLiteral("Big")}), 1);
    EXIT_IS(pair.sync(pair.b()), 0);

    EXIT_IS(select(pair, pair.b(), {QStringLiteral("include"), QStringLiteral("Big")}), 0);
    const CliRunner::Outcome back = pair.sync(pair.b());
    EXIT_IS(back, 0);
    QCOMPARE(back.json().value(QStringLiteral("conflicts")).toInt(), 1);
    QCOMPARE(filesBelow(pair.b(), QStringLiteral("Big")).size(), 21);
    const QMap<QString, QByteArray> tree = readTree(pair.b());
    QVERIFY(tree.values().contains("big 7"));
    QVERIFY(tree.values().contains("big 7, edited on B"));
    QCOMPARE(readTree(pair.remote()).values().count("big 7, edited on B"), 1);
}

void TestSelectiveSync::badFoldersAreRefused()
{
    CliPair pair;
    fillRemote(pair);
    for (const QString &bad : {QStringLiteral("/"), QStringLiteral(".."), QStringLiteral("a/../b")})
        EXIT_IS(select(pair, pair.b(), {QStringLiteral("exclude"), bad}), 2);
    EXIT_IS(select(pair, pair.b(), {QStringLiteral("exclude"), QStringLiteral("Big")}), 0);
    const CliRunner::Outcome inner =
        select(pair, pair.b(), {QStringLiteral("include"), QStringLiteral("Big/inner")});
    EXIT_IS(inner, 2);
    QVERIFY2(inner.err.contains("include Big first"), qPrintable(inner.describe()));
    EXIT_IS(select(pair, pair.b(), {QStringLiteral("frobnicate")}), 2);
}

// As Nextcloud's client asks before a large new folder comes down: it waits (exit 1, named in
// the report and in `select list`), is no deletion for anyone, and comes once taken.
void TestSelectiveSync::largeNewFolderWaitsForAChoice()
{
    CliPair pair;
    fillRemote(pair);
    EXIT_IS(pair.sync(pair.b()), 0);
    const QByteArray mebibyte(1024 * 1024, 'v');
    for (int i = 0; i < 3; ++i)
        writeFile(pair.a(), QStringLiteral("Videos/clip%1.mp4").arg(i), mebibyte);
    writeFile(pair.a(), QStringLiteral("Videos/sub/extra.txt"), "extra");
    writeFile(pair.a(), QStringLiteral("Notes/small.txt"), "small");
    writeFile(pair.a(), QStringLiteral("Archive/old.bin"), mebibyte + mebibyte + "x");
    EXIT_IS(pair.sync(pair.a()), 0);

    const QStringList limit{QStringLiteral("--new-folder-limit-mib"), QStringLiteral("2")};
    const CliRunner::Outcome held = pair.sync(pair.b(), limit);
    EXIT_IS(held, 1);
    QCOMPARE(held.json().value(QStringLiteral("held_back")).toArray(),
             (QJsonArray{"Archive", "Videos"}));
    QVERIFY2(held.err.contains("Videos: a new folder on the server"), qPrintable(held.describe()));
    QCOMPARE(readFile(pair.b() + QStringLiteral("/Notes/small.txt")), QByteArray("small"));
    QVERIFY(!QFileInfo::exists(pair.b() + QStringLiteral("/Videos")));
    const CliRunner::Outcome listed =
        select(pair, pair.b(), {QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(QJsonDocument::fromJson(listed.out).object().value(QStringLiteral("held_back")),
             QJsonValue(QJsonArray{"Archive", "Videos"}));
    EXIT_IS(pair.sync(pair.b(), limit), 1); // still waiting, nothing else done
    const CliRunner::Outcome a = pair.sync(pair.a());
    EXIT_IS(a, 0);
    QCOMPARE(a.json().value(QStringLiteral("deleted_local")).toInt(), 0);
    QCOMPARE(filesBelow(pair.remote(), QStringLiteral("Videos")).size(), 4);

    EXIT_IS(select(pair, pair.b(), {QStringLiteral("include"), QStringLiteral("Videos")}), 0);
    EXIT_IS(select(pair, pair.b(), {QStringLiteral("exclude"), QStringLiteral("Archive")}), 0);
    const CliRunner::Outcome taken = pair.sync(pair.b(), limit);
    EXIT_IS(taken, 0);
    QCOMPARE(filesBelow(pair.b(), QStringLiteral("Videos")).size(), 4);
    QVERIFY(!QFileInfo::exists(pair.b() + QStringLiteral("/Archive")));
    EXIT_IS(pair.sync(pair.b(), limit), 0);

    writeFile(pair.a(), QStringLiteral("More/big.bin"), mebibyte + mebibyte + "y");
    EXIT_IS(pair.sync(pair.a()), 0);
    EXIT_IS(pair.sync(pair.b(), limit + QStringList{QStringLiteral("--accept-new-folders")}), 0);
    QCOMPARE(filesBelow(pair.b(), QStringLiteral("More")).size(), 1);
}

QTEST_GUILESS_MAIN(TestSelectiveSync)
#include "tst_selectivesync.moc"
