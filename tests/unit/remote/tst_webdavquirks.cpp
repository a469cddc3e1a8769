// The real steadysync-cli against servers that speak WebDAV oddly (issue 13): a member with
// an empty href, hrefs with a raw '#', '?' or ';', dates in ISO 8601 or in no readable form
// and no Last-Modified on GET. Each pair keeps syncing what it can, reports what it cannot
// (exit 1, never 0 while a file is on one side only, never 2), and writes no 1970 dates.
#include "clirunner.h"
#include "quirkydavserver.h"
#include "testutil.h"

#include <QDateTime>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace steadysync::test;

namespace {

CliRunner::Outcome sync(const CliRunner &cli, const QuirkyDavServer &server, const QString &local)
{
    return cli.runServing({QStringLiteral("sync"), local, server.url().toString(),
                           QStringLiteral("--json"), QStringLiteral("--backoff-base-ms"),
                           QStringLiteral("200"), QStringLiteral("--backoff-cap-ms"),
                           QStringLiteral("500")});
}

// Every name below root, .steadysync/ left out.
QStringList namesBelow(const QString &root)
{
    QStringList names;
    QDirIterator it(root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString relative = QDir(root).relativeFilePath(it.next());
        if (!relative.startsWith(QLatin1String(".steadysync")))
            names.append(relative);
    }
    return names;
}

} // namespace

class TestWebDavQuirks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void emptyHrefMemberIsReportedAndTheRestSyncs();
    void trackedFileListedWithAnEmptyHrefIsLeftAlone();
    void trackedFileListedWithNoNameAtAllIsNotDeleted();
    void refusedResourcetypeNeverTurnsAFolderIntoAFile();
    void forbiddenMemberIsNotReadAsDeleted();
    void trackedFolderOfUnknownTypeIsLeftAlone();
    void duplicateMembersAreOneItem();
    void rawHashQuestionMarkAndSemicolonHrefsRoundTrip();
    void ambiguousRawNameIsReportedNeverDeleted();
    void isoDatesWithoutLastModifiedKeepTheServersTime();
    void isoDateWithFractionAndNoEtagDownloads();
    void unreadableDatesKeepTheDownloadTime();
    void conflictCopyWithoutADateIsNamedByNow();

private:
    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<CliRunner> m_cli;
    std::unique_ptr<QuirkyDavServer> m_server;
};

void TestWebDavQuirks::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    m_cli = std::make_unique<CliRunner>(m_home->path());
    m_server = std::make_unique<QuirkyDavServer>();
    QVERIFY(m_server->start());
}

// Was: the empty href was read as the root itself, a file, and every run exited 2 ("is a file
// on the remote, not a collection") with nothing downloaded.
void TestWebDavQuirks::emptyHrefMemberIsReportedAndTheRestSyncs()
{
    m_server->putFile(QStringLiteral("a.txt"), "alpha");
    m_server->putFile(QStringLiteral("sub/c.txt"), "gamma");
    m_server->putFile(QStringLiteral("bad.txt"), "unlistable");
    m_server->putFile(QStringLiteral("z.txt"), "zeta");
    m_server->quirks().emptyHrefs.insert(QStringLiteral("bad.txt"));
    QTemporaryDir local;
    for (int run = 1; run <= 2; ++run) {
        const CliRunner::Outcome outcome = sync(*m_cli, *m_server, local.path());
        QVERIFY2(outcome.exitCode == 1, qPrintable(outcome.describe()));
        QVERIFY2(outcome.out.contains("bad.txt") || outcome.err.contains("bad.txt"),
                 qPrintable(outcome.describe()));
        QCOMPARE(readFile(local.filePath(QStringLiteral("a.txt"))), QByteArray("alpha"));
        QCOMPARE(readFile(local.filePath(QStringLiteral("sub/c.txt"))), QByteArray("gamma"));
        QCOMPARE(readFile(local.filePath(QStringLiteral("z.txt"))), QByteArray("zeta"));
        QVERIFY(!QFileInfo::exists(local.filePath(QStringLiteral("bad.txt"))));
    }
    // Nothing was written to the server on the strength of the odd member.
    QCOMPARE(m_server->files().size(), 4);
    QCOMPARE(m_server->files().value(QStringLiteral("bad.txt")), QByteArray("unlistable"));
}

// A file both sides have, then listed with an empty href (its displayname still naming it):
// neither copy is deleted, and the pair says it is not in sync.
void TestWebDavQuirks::trackedFileListedWithAnEmptyHrefIsLeftAlone()
{
    m_server->putFile(QStringLiteral("kept.txt"), "kept");
    m_server->putFile(QStringLiteral("other.txt"), "other");
    QTemporaryDir local;
    const CliRunner::Outcome first = sync(*m_cli, *m_server, local.path());
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));

    m_server->quirks().emptyHrefs.insert(QStringLiteral("kept.txt"));
    m_server->putFile(QStringLiteral("new.txt"), "new");
    const CliRunner::Outcome second = sync(*m_cli, *m_server, local.path());
    QVERIFY2(second.exitCode == 1, qPrintable(second.describe()));
    QCOMPARE(readFile(local.filePath(QStringLiteral("kept.txt"))), QByteArray("kept"));
    QCOMPARE(readFile(local.filePath(QStringLiteral("new.txt"))), QByteArray("new"));
    QCOMPARE(m_server->files().value(QStringLiteral("kept.txt")), QByteArray("kept"));
    QCOMPARE(m_server->files().size(), 3);
}

// resourcetype refused per member (a 404 propstat): a folder (href ending in '/') stays a
// folder, a file with a length stays a file, and a member with neither is reported (exit 1),
// never downloaded as an empty file.
// An empty href and no displayname: the member cannot be named, so the listing proves no
// absence in that folder (was: the synced file went to the local trash).
void TestWebDavQuirks::trackedFileListedWithNoNameAtAllIsNotDeleted()
{
    m_server->putFile(QStringLiteral("sub/kept.txt"), "kept");
    m_server->putFile(QStringLiteral("sub/other.txt"), "other");
    QTemporaryDir local;
    const CliRunner::Outcome first = sync(*m_cli, *m_server, local.path());
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));

    m_server->quirks().emptyHrefs.insert(QStringLiteral("sub/kept.txt"));
    m_server->quirks().displayNames = false;
    for (int run = 1; run <= 2; ++run) {
        const CliRunner::Outcome again = sync(*m_cli, *m_server, local.path());
        QVERIFY2(again.exitCode == 1, qPrintable(again.describe()));
        QCOMPARE(readFile(local.filePath(QStringLiteral("sub/kept.txt"))), QByteArray("kept"));
        QCOMPARE(readFile(local.filePath(QStringLiteral("sub/other.txt"))), QByteArray("other"));
        QCOMPARE(m_server->files().value(QStringLiteral("sub/kept.txt")), QByteArray("kept"));
    }
}

void TestWebDavQuirks::refusedResourcetypeNeverTurnsAFolderIntoAFile()
{
    m_server->putFile(QStringLiteral("docs/x.txt"), "inside");
    m_server->putFile(QStringLiteral("plain.txt"), "plain");
    m_server->putFile(QStringLiteral("mystery.txt"), "mystery");
    m_server->quirks().typeRefused = {QStringLiteral("docs"), QStringLiteral("plain.txt"),
                                      QStringLiteral("mystery.txt")};
    m_server->quirks().sizeRefused = {QStringLiteral("mystery.txt")};
    QTemporaryDir local;
    for (int run = 1; run <= 2; ++run) {
        const CliRunner::Outcome outcome = sync(*m_cli, *m_server, local.path());
        QVERIFY2(outcome.exitCode == 1, qPrintable(outcome.describe()));
        QVERIFY2(outcome.out.contains("mystery.txt") || outcome.err.contains("mystery.txt"),
                 qPrintable(outcome.describe()));
        QCOMPARE(readFile(local.filePath(QStringLiteral("docs/x.txt"))), QByteArray("inside"));
        QCOMPARE(readFile(local.filePath(QStringLiteral("plain.txt"))), QByteArray("plain"));
        QVERIFY(!QFileInfo::exists(local.filePath(QStringLiteral("mystery.txt"))));
    }
    QCOMPARE(m_server->files().size(), 3);
}

// A synced file that the server then lists with "403 Forbidden" in place of its properties
// is still there: was moved to the local trash as deleted remotely, with exit 0.
void TestWebDavQuirks::forbiddenMemberIsNotReadAsDeleted()
{
    m_server->putFile(QStringLiteral("secret.txt"), "secret");
    m_server->putFile(QStringLiteral("open.txt"), "open");
    QTemporaryDir local;
    const CliRunner::Outcome first = sync(*m_cli, *m_server, local.path());
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));

    m_server->quirks().forbiddenMembers = {QStringLiteral("secret.txt")};
    for (int run = 1; run <= 2; ++run) {
        const CliRunner::Outcome outcome = sync(*m_cli, *m_server, local.path());
        QVERIFY2(outcome.exitCode == 1, qPrintable(outcome.describe()));
        QVERIFY2(outcome.out.contains("secret.txt") || outcome.err.contains("secret.txt"),
                 qPrintable(outcome.describe()));
        QCOMPARE(readTree(local.path()),
                 (QMap<QString, QByteArray>{{QStringLiteral("open.txt"), "open"},
                                            {QStringLiteral("secret.txt"), "secret"}}));
    }
    QCOMPARE(m_server->files().size(), 2);
}

// A synced folder that the server then lists without resourcetype and without the trailing
// '/' cannot be told from a file: it is reported and left alone on both sides.
void TestWebDavQuirks::trackedFolderOfUnknownTypeIsLeftAlone()
{
    m_server->putFile(QStringLiteral("docs/x.txt"), "inside");
    m_server->putFile(QStringLiteral("top.txt"), "top");
    QTemporaryDir local;
    const CliRunner::Outcome first = sync(*m_cli, *m_server, local.path());
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));

    m_server->quirks().slashlessCollections = true;
    m_server->quirks().typeRefused = {QStringLiteral("docs")};
    writeFile(local.path(), QStringLiteral("top.txt"), "top, edited");
    const CliRunner::Outcome second = sync(*m_cli, *m_server, local.path());
    QVERIFY2(second.exitCode == 1, qPrintable(second.describe()));
    QCOMPARE(readTree(local.path()),
             (QMap<QString, QByteArray>{{QStringLiteral("docs/"), QByteArray()},
                                        {QStringLiteral("docs/x.txt"), "inside"},
                                        {QStringLiteral("top.txt"), "top, edited"}}));
    QCOMPARE(m_server->files(),
             (QMap<QString, QByteArray>{{QStringLiteral("docs/x.txt"), "inside"},
                                        {QStringLiteral("top.txt"), "top, edited"}}));
}

// Every member listed twice, identically: one item each, in sync (was: each reported as
// "listed twice", exit 1 on every run).
void TestWebDavQuirks::duplicateMembersAreOneItem()
{
    m_server->quirks().duplicateMembers = true;
    m_server->putFile(QStringLiteral("a.txt"), "alpha");
    m_server->putFile(QStringLiteral("sub/b.txt"), "beta");
    QTemporaryDir local;
    for (int run = 1; run <= 2; ++run) {
        const CliRunner::Outcome outcome = sync(*m_cli, *m_server, local.path());
        QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
    }
    QCOMPARE(readTree(local.path()),
             (QMap<QString, QByteArray>{{QStringLiteral("a.txt"), "alpha"},
                                        {QStringLiteral("sub/"), QByteArray()},
                                        {QStringLiteral("sub/b.txt"), "beta"}}));
}

// Was: hrefs were cut at the raw character, the uploader retried those files forever and the
// second client ended with exit 0 without them.
void TestWebDavQuirks::rawHashQuestionMarkAndSemicolonHrefsRoundTrip()
{
    m_server->quirks().rawHrefs = true;
    const QStringList names{QStringLiteral("a#b.txt"),        QStringLiteral("q?x.txt"),
                            QStringLiteral("semi;colon.txt"), QStringLiteral("dir #?;/in;#?.txt"),
                            QStringLiteral("100% done.txt"),  QStringLiteral("plain.txt")};
    QTemporaryDir first, second;
    for (const QString &name : names)
        writeFile(first.path(), name, "content of " + name.toUtf8());

    const CliRunner::Outcome up = sync(*m_cli, *m_server, first.path());
    QVERIFY2(up.exitCode == 0, qPrintable(up.describe()));
    const QMap<QString, QByteArray> stored = m_server->files();
    QStringList sorted = names;
    sorted.sort();
    QCOMPARE(stored.keys(), sorted);
    const CliRunner::Outcome again = sync(*m_cli, *m_server, first.path());
    QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
    QCOMPARE(again.json().value(QStringLiteral("uploaded")).toInt(), 0);

    const CliRunner::Outcome down = sync(*m_cli, *m_server, second.path());
    QVERIFY2(down.exitCode == 0, qPrintable(down.describe()));
    for (const QString &name : names)
        QCOMPARE(readFile(second.filePath(name)), "content of " + name.toUtf8());
    QCOMPARE(readTree(second.path()), readTree(first.path()));
}

// A file really called "%41.txt" comes back from a server that encodes nothing as the href
// "/dav/%41.txt", which decodes to "A.txt". Was: the next cycle took "%41.txt" for deleted on
// the server and moved it to the trash, with exit 0 on both clients. Now it is reported (exit
// 1) and stays.
void TestWebDavQuirks::ambiguousRawNameIsReportedNeverDeleted()
{
    m_server->quirks().rawHrefs = true;
    QTemporaryDir first, second;
    writeFile(first.path(), QStringLiteral("%41.txt"), "percent");
    writeFile(first.path(), QStringLiteral("plain.txt"), "plain");
    const CliRunner::Outcome up = sync(*m_cli, *m_server, first.path());
    QVERIFY2(up.exitCode == 0 || up.exitCode == 1, qPrintable(up.describe()));
    QCOMPARE(m_server->files().value(QStringLiteral("%41.txt")), QByteArray("percent"));
    for (int run = 1; run <= 2; ++run) {
        const CliRunner::Outcome again = sync(*m_cli, *m_server, first.path());
        QVERIFY2(again.exitCode == 1, qPrintable(again.describe()));
        QCOMPARE(readFile(first.filePath(QStringLiteral("%41.txt"))), QByteArray("percent"));
    }
    const CliRunner::Outcome down = sync(*m_cli, *m_server, second.path());
    QVERIFY2(down.exitCode == 1, qPrintable(down.describe()));
    QVERIFY2(down.out.contains("%41.txt") || down.err.contains("%41.txt"),
             qPrintable(down.describe()));
    QCOMPARE(readTree(second.path()),
             (QMap<QString, QByteArray>{{QStringLiteral("plain.txt"), "plain"}}));
    QCOMPARE(m_server->files().size(), 2);
}

// Was: getlastmodified in ISO 8601 was not read, and with no Last-Modified on GET every
// download got mtime 1970-01-01.
void TestWebDavQuirks::isoDatesWithoutLastModifiedKeepTheServersTime()
{
    m_server->quirks().dates = QuirkyDavServer::DateStyle::Iso8601;
    m_server->quirks().lastModifiedOnGet = false;
    const QDateTime written(QDate(2026, 1, 2), QTime(3, 4, 5), QTimeZone::utc());
    m_server->putFile(QStringLiteral("dated.txt"), "dated", written);
    QTemporaryDir local;
    const CliRunner::Outcome outcome = sync(*m_cli, *m_server, local.path());
    QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
    const QFileInfo file(local.filePath(QStringLiteral("dated.txt")));
    QVERIFY(file.exists());
    QCOMPARE(file.lastModified().toUTC(), written);
}

// Without ETags a download is checked by size and time: a listing's ISO 8601 time with a
// fraction and the GET's Last-Modified in whole seconds name the same version.
void TestWebDavQuirks::isoDateWithFractionAndNoEtagDownloads()
{
    m_server->quirks().dates = QuirkyDavServer::DateStyle::Iso8601;
    m_server->quirks().etags = false;
    const QDateTime written(QDate(2026, 1, 2), QTime(3, 4, 5, 250), QTimeZone::utc());
    m_server->putFile(QStringLiteral("fraction.txt"), "fraction", written);
    QTemporaryDir local;
    const CliRunner::Outcome outcome = sync(*m_cli, *m_server, local.path());
    QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
    const QFileInfo file(local.filePath(QStringLiteral("fraction.txt")));
    QCOMPARE(readFile(file.filePath()), QByteArray("fraction"));
    QCOMPARE(file.lastModified().toUTC(), written);
}

// With no readable date at all (and no Last-Modified), a download keeps the time it was
// written, not 1970-01-01.
void TestWebDavQuirks::unreadableDatesKeepTheDownloadTime()
{
    m_server->quirks().dates = QuirkyDavServer::DateStyle::Unreadable;
    m_server->quirks().lastModifiedOnGet = false;
    m_server->putFile(QStringLiteral("note.txt"), "first");
    QTemporaryDir local;
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-5);
    const CliRunner::Outcome outcome = sync(*m_cli, *m_server, local.path());
    QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.describe()));
    const QDateTime mtime = QFileInfo(local.filePath(QStringLiteral("note.txt"))).lastModified();
    QVERIFY2(mtime >= before && mtime <= QDateTime::currentDateTimeUtc().addSecs(5),
             qPrintable(mtime.toString(Qt::ISODate)));
}

// Both sides change on such a server: the conflict copy is named by the real time, no file
// says 1970, and both versions are kept.
void TestWebDavQuirks::conflictCopyWithoutADateIsNamedByNow()
{
    m_server->quirks().dates = QuirkyDavServer::DateStyle::Unreadable;
    m_server->quirks().lastModifiedOnGet = false;
    m_server->putFile(QStringLiteral("note.txt"), "first");
    QTemporaryDir local;
    const CliRunner::Outcome first = sync(*m_cli, *m_server, local.path());
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));

    writeFile(local.path(), QStringLiteral("note.txt"), "local edit");
    m_server->putFile(QStringLiteral("note.txt"), "remote edit");
    const CliRunner::Outcome conflict = sync(*m_cli, *m_server, local.path());
    QVERIFY2(conflict.exitCode == 0 || conflict.exitCode == 1, qPrintable(conflict.describe()));
    const QStringList names = namesBelow(local.path());
    QVERIFY2(names.size() == 2, qPrintable(names.join(QLatin1Char('\n'))));
    const QString year = QString::number(QDate::currentDate().year());
    for (const QString &name : names) {
        QVERIFY2(!name.contains(QLatin1String("1970")), qPrintable(name));
        QVERIFY2(name == QLatin1String("note.txt") ||
                     name.startsWith(QStringLiteral("note (conflict ") + year),
                 qPrintable(name));
    }
    QStringList contents;
    for (const QString &name : names)
        contents << QString::fromUtf8(readFile(local.filePath(name)));
    contents.sort();
    QCOMPARE(contents, (QStringList{QStringLiteral("local edit"), QStringLiteral("remote edit")}));
    // The server got both versions too, under the same names.
    QCOMPARE(m_server->files().size(), 2);
}

QTEST_GUILESS_MAIN(TestWebDavQuirks)
#include "tst_webdavquirks.moc"
