// Remote-side protection (issue 17, deliverable 2) through the real steadysync-cli, on the
// remote named by STEADYSYNC_TEST_REMOTE (file:// or a real WebDAV server): with
// --remote-versions an upload over a server file first copies the server's content into
// .steadysync-versions/ there, and a delete moves the file there instead; `versions list`
// shows them as remote-overwritten and `versions restore --id` brings them back. Without the
// option nothing is kept on the server, and a client never lists or syncs the collection.
#include "clipair.h"
#include "testutil.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace steadysync::test;

namespace {

#define EXIT_IS(outcome, code)                                                                     \
    do {                                                                                           \
        const CliRunner::Outcome exitIsOutcome = (outcome);                                        \
        QVERIFY2(exitIsOutcome.exitCode == (code), qPrintable(exitIsOutcome.describe()));          \
    } while (false)

const QString collection = QStringLiteral(".steadysync-versions");
const QStringList keep{QStringLiteral("--remote-versions")};

QString sha256(const QByteArray &content)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
}

CliRunner::Outcome versions(const CliPair &pair, const QStringList &arguments)
{
    return pair.cli.run(QStringList{QStringLiteral("versions")} + arguments);
}

QJsonArray listed(const CliPair &pair, const QString &folder)
{
    const CliRunner::Outcome outcome = versions(pair, {"list", folder, "--json"});
    if (outcome.exitCode != 0)
        qWarning().noquote() << outcome.describe();
    return QJsonDocument::fromJson(outcome.out).array();
}

// The contents of the files kept on the server for path, by their names' order (oldest first).
QList<QByteArray> keptOnServer(const CliPair &pair, const QString &path)
{
    QDir kept(pair.remote() + QLatin1Char('/') + collection + QLatin1Char('/') + path);
    QList<QByteArray> contents;
    for (const QString &name : kept.entryList(QDir::Files, QDir::Name))
        contents.append(readFile(kept.filePath(name)));
    return contents;
}

// Any name below root that belongs to the collection (at any depth).
QStringList collectionNamesBelow(const QString &root)
{
    QStringList names;
    QDirIterator it(root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString relative = QDir(root).relativeFilePath(it.next());
        if (relative.contains(collection))
            names.append(relative);
    }
    return names;
}

QJsonObject onlyEntry(const QJsonArray &all, const QString &reason)
{
    QJsonArray matching;
    for (const QJsonValue &value : all)
        if (value.toObject().value("reason").toString() == reason)
            matching.append(value);
    if (matching.size() != 1) {
        qWarning().noquote() << "versions:" << QJsonDocument(all).toJson();
        return {};
    }
    return matching.first().toObject();
}

} // namespace

class TestCliRemoteVersions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void overwriteKeepsTheServersVersionAndRestoreRoundTrips();
    void remoteDeleteMovesTheFileIntoTheCollection();
    void withTheOptionOffNothingIsKept();
};

// B replaces a file A uploaded: the server's content goes into the collection first (a copy:
// the file never goes missing there), A gets the new content and never the collection.
// Restoring the kept version on B brings the old content back everywhere.
void TestCliRemoteVersions::overwriteKeepsTheServersVersionAndRestoreRoundTrips()
{
    CliPair pair;
    writeFile(pair.a(), QStringLiteral("docs/plan.txt"), "first draft");
    EXIT_IS(pair.sync(pair.a()), 0);
    EXIT_IS(pair.sync(pair.b(), keep), 0);
    writeFile(pair.b(), QStringLiteral("docs/plan.txt"), "second draft, longer");
    const CliRunner::Outcome uploaded = pair.sync(pair.b(), keep);
    EXIT_IS(uploaded, 0);
    QCOMPARE(uploaded.json().value("uploaded").toInt(), 1);
    QCOMPARE(readFile(pair.remote() + QStringLiteral("/docs/plan.txt")),
             QByteArray("second draft, longer"));
    QCOMPARE(keptOnServer(pair, QStringLiteral("docs/plan.txt")), QList<QByteArray>{"first draft"});
    const QJsonObject kept = onlyEntry(listed(pair, pair.b()), "remote-overwritten");
    QCOMPARE(kept.value("path").toString(), QStringLiteral("docs/plan.txt"));
    QCOMPARE(kept.value("sha256").toString(), sha256("first draft"));
    QCOMPARE(kept.value("size").toInteger(), qint64(11));

    // The other client syncs as usual and never sees the collection.
    EXIT_IS(pair.sync(pair.a()), 0);
    QCOMPARE(readFile(pair.a() + QStringLiteral("/docs/plan.txt")),
             QByteArray("second draft, longer"));
    QCOMPARE(collectionNamesBelow(pair.a()), QStringList());
    EXIT_IS(pair.sync(pair.a()), 0); // and leaves it alone on the server
    QCOMPARE(keptOnServer(pair, QStringLiteral("docs/plan.txt")).size(), 1);

    const QString id = QString::number(kept.value("id").toInteger());
    EXIT_IS(versions(pair, {"restore", pair.b(), "docs/plan.txt", "--id", id}), 0);
    QCOMPARE(readFile(pair.b() + QStringLiteral("/docs/plan.txt")), QByteArray("first draft"));
    EXIT_IS(pair.sync(pair.b(), keep), 0);
    EXIT_IS(pair.sync(pair.a()), 0);
    QCOMPARE(readFile(pair.a() + QStringLiteral("/docs/plan.txt")), QByteArray("first draft"));
    // The restore's upload replaced "second draft" on the server: kept too.
    QCOMPARE(keptOnServer(pair, QStringLiteral("docs/plan.txt")).size(), 2);
    QVERIFY(keptOnServer(pair, QStringLiteral("docs/plan.txt")).contains("second draft, longer"));
}

// A deletes a file with the option on: it moves into the collection (not deleted), B's copy
// goes as before, and the version comes back to another place with --to.
void TestCliRemoteVersions::remoteDeleteMovesTheFileIntoTheCollection()
{
    CliPair pair;
    for (const char *name : {"stay1.txt", "stay2.txt", "gone.txt"})
        writeFile(pair.a(), QString::fromLatin1(name), QByteArray("content of ") + name);
    EXIT_IS(pair.sync(pair.a(), keep), 0);
    EXIT_IS(pair.sync(pair.b()), 0);
    QVERIFY(QFile::remove(pair.a() + QStringLiteral("/gone.txt")));
    const CliRunner::Outcome deleted = pair.sync(pair.a(), keep);
    EXIT_IS(deleted, 0);
    QCOMPARE(deleted.json().value("deleted_remote").toInt(), 1);
    QVERIFY(!QFileInfo::exists(pair.remote() + QStringLiteral("/gone.txt")));
    QCOMPARE(keptOnServer(pair, QStringLiteral("gone.txt")),
             QList<QByteArray>{"content of gone.txt"});
    const QJsonObject kept = onlyEntry(listed(pair, pair.a()), "remote-overwritten");
    QCOMPARE(kept.value("path").toString(), QStringLiteral("gone.txt"));
    QCOMPARE(kept.value("sha256").toString(), sha256("content of gone.txt"));

    EXIT_IS(pair.sync(pair.b()), 0);
    QVERIFY(!QFileInfo::exists(pair.b() + QStringLiteral("/gone.txt")));
    QCOMPARE(collectionNamesBelow(pair.b()), QStringList());

    const QString elsewhere = pair.home.path() + QStringLiteral("/restored.txt");
    const QString id = QString::number(kept.value("id").toInteger());
    EXIT_IS(versions(pair, {"restore", pair.a(), "gone.txt", "--id", id, "--to", elsewhere}), 0);
    QCOMPARE(readFile(elsewhere), QByteArray("content of gone.txt"));
}

void TestCliRemoteVersions::withTheOptionOffNothingIsKept()
{
    CliPair pair;
    writeFile(pair.a(), QStringLiteral("a.txt"), "one");
    writeFile(pair.a(), QStringLiteral("b.txt"), "bee");
    writeFile(pair.a(), QStringLiteral("c.txt"), "sea");
    EXIT_IS(pair.sync(pair.a()), 0);
    writeFile(pair.a(), QStringLiteral("a.txt"), "two!");
    QVERIFY(QFile::remove(pair.a() + QStringLiteral("/b.txt")));
    EXIT_IS(pair.sync(pair.a()), 0);
    QCOMPARE(readFile(pair.remote() + QStringLiteral("/a.txt")), QByteArray("two!"));
    QVERIFY(!QFileInfo::exists(pair.remote() + QStringLiteral("/b.txt")));
    QVERIFY(!QFileInfo::exists(pair.remote() + QLatin1Char('/') + collection));
    QVERIFY(listed(pair, pair.a()).isEmpty());
}

QTEST_GUILESS_MAIN(TestCliRemoteVersions)
#include "tst_cliremoteversions.moc"
