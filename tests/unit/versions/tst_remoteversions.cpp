// Remote-side protection (issue 17, deliverable 2) in parts: the versions kept on the server are
// pruned by the pair's retention (an injectable clock), and a server that refuses the COPY
// (500, 403, or no COPY at all) leaves its file untouched and the item queued: the client never
// overwrites a file it could not keep.
#include "clirunner.h"
#include "davbehaviours.h"
#include "quirkydavserver.h"
#include "testutil.h"

#include "remote/localdirbackend.h"
#include "versions/remoteversionkeeper.h"
#include "versions/remoteversionpruner.h"
#include "versions/versionstore.h"

#include <QDir>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync;
using namespace steadysync::test;

namespace {

constexpr qint64 Minute = 60 * 1000;
constexpr qint64 Hour = RetentionPolicy::HourMs;
constexpr qint64 Day = RetentionPolicy::DayMs;

// Waits for a job and says whether it succeeded (its error, if any, in *error).
bool finishes(RemoteJob *job, QString *error = nullptr)
{
    bool done = false;
    bool ok = false;
    QObject::connect(job, &RemoteJob::finished, [&](RemoteJob *finished) {
        ok = finished->succeeded();
        if (!ok && error)
            *error = finished->error()->message;
        done = true;
    });
    return waitFor([&] { return done; }) && ok;
}

std::optional<RemoteEntry> statOf(RemoteBackend &backend, const QString &path)
{
    std::optional<RemoteEntry> entry;
    EntryJob *job = backend.stat(path);
    QObject::connect(job, &RemoteJob::finished, [&, job] {
        if (job->succeeded())
            entry = job->entry();
    });
    waitFor([&] { return entry.has_value(); }, 5000);
    return entry;
}

QStringList keptNames(const QString &remote, const QString &path)
{
    return QDir(remote + QStringLiteral("/.steadysync-versions/") + path)
        .entryList(QDir::Files, QDir::Name);
}

QList<VersionEntry> remoteEntries(const QString &localRoot)
{
    Result<std::unique_ptr<VersionStore>> store = VersionStore::open(localRoot);
    if (!store)
        return {};
    Result<QList<VersionEntry>> all = (*store)->list();
    QList<VersionEntry> onRemote;
    for (const VersionEntry &entry : all ? *all : QList<VersionEntry>())
        if (entry.isOnRemote())
            onRemote.append(entry);
    return onRemote;
}

} // namespace

class TestRemoteVersions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void retentionPrunesTheRemoteCollectionBySchedule();
    void failingCopyLeavesTheServerFileAndTheItemQueued_data();
    void failingCopyLeavesTheServerFileAndTheItemQueued();
};

// Three versions kept within minutes on the server: after five hours only the newest of that
// hour stays (copy and row); after the maximum age none. The local store's own prune leaves
// them alone.
void TestRemoteVersions::retentionPrunesTheRemoteCollectionBySchedule()
{
    QTemporaryDir local;
    QTemporaryDir remote;
    QVERIFY(QDir().mkpath(local.path() + QStringLiteral("/.steadysync")));
    // Five minutes into an hour of the epoch, so that the three keeps share one hour bucket.
    ManualClock clock(480'000 * Hour + 5 * Minute);
    LocalDirBackend backend(remote.path(), {});
    RemoteVersionKeeper keeper(&backend, local.path(), &clock);
    for (const QByteArray &content : {QByteArray("v1"), QByteArray("v2"), QByteArray("v3")}) {
        writeFile(remote.path(), QStringLiteral("f.txt"), content);
        SyncAction action;
        action.kind = ActionKind::Upload;
        action.path = QStringLiteral("f.txt");
        action.remote = statOf(backend, action.path);
        QVERIFY(action.remote);
        RemoteJob *keeping = RemoteVersionKeeper::keepBeforeUpload(&keeper, action);
        QVERIFY(keeping);
        QString error;
        QVERIFY2(finishes(keeping, &error), qPrintable(error));
        clock.advance(Minute);
    }
    QCOMPARE(keptNames(remote.path(), QStringLiteral("f.txt")).size(), 3);
    QCOMPARE(remoteEntries(local.path()).size(), 3);

    // The local store's prune is not theirs: nothing of them goes.
    Result<std::unique_ptr<VersionStore>> store = VersionStore::open(local.path(), &clock);
    QVERIFY(store);
    clock.advance(5 * Hour);
    QVERIFY((*store)->prune(RetentionPolicy()));
    QCOMPARE(remoteEntries(local.path()).size(), 3);

    RemoteVersionPruner pruner(&backend, local.path(), &clock, 0);
    QSignalSpy pruned(&pruner, &RemoteVersionPruner::pruned);
    pruner.pruneSoon(RetentionPolicy());
    QVERIFY(pruned.wait(10'000));
    QCOMPARE(pruned.first().at(0).toInt(), 2);
    const QStringList left = keptNames(remote.path(), QStringLiteral("f.txt"));
    QCOMPARE(left.size(), 1);
    QCOMPARE(
        readFile(remote.path() + QStringLiteral("/.steadysync-versions/f.txt/") + left.first()),
        QByteArray("v3"));
    QCOMPARE(remoteEntries(local.path()).size(), 1);
    QCOMPARE(readFile(remote.path() + QStringLiteral("/f.txt")), QByteArray("v3"));

    clock.advance(400 * Day);
    pruner.pruneSoon(RetentionPolicy());
    QVERIFY(pruned.wait(10'000));
    QVERIFY(keptNames(remote.path(), QStringLiteral("f.txt")).isEmpty());
    QVERIFY(remoteEntries(local.path()).isEmpty());
}

void TestRemoteVersions::failingCopyLeavesTheServerFileAndTheItemQueued_data()
{
    QTest::addColumn<int>("copyStatus"); // 0: the server's own answer (no COPY: 405)
    QTest::newRow("COPY answered 500") << 500;
    QTest::newRow("COPY answered 403") << 403;
    QTest::newRow("server without COPY") << 0;
}

void TestRemoteVersions::failingCopyLeavesTheServerFileAndTheItemQueued()
{
    QFETCH(int, copyStatus);
    QTemporaryDir home;
    QTemporaryDir local;
    CliRunner cli(home.path());
    QuirkyDavServer server;
    QVERIFY(server.start());
    server.putFile(QStringLiteral("doc.txt"), "the server's version");
    const QStringList sync{QStringLiteral("sync"), local.path(), server.url().toString(),
                           QStringLiteral("--json"), QStringLiteral("--remote-versions")};
    const CliRunner::Outcome first = cli.runServing(sync);
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
    if (copyStatus != 0) {
        QuirkyDavServer::Behaviour refuseCopy;
        refuseCopy.instead =
            [copyStatus](const HostileWebDavServer::Request &request) -> std::optional<QByteArray> {
            if (request.method != "COPY")
                return std::nullopt;
            return HostileWebDavServer::response(copyStatus, "no\n");
        };
        server.addBehaviour(refuseCopy);
    }
    writeFile(local.path(), QStringLiteral("doc.txt"), "edited here");
    const int before = server.http().requestCount();
    const CliRunner::Outcome refused = cli.runServing(sync);
    QVERIFY2(refused.exitCode == 1, qPrintable(refused.describe()));
    QVERIFY2(refused.err.contains("could not be kept") || refused.out.contains("could not be kept"),
             qPrintable(refused.describe()));
    QCOMPARE(server.files().value(QStringLiteral("doc.txt")), QByteArray("the server's version"));
    bool copied = false;
    for (qsizetype i = before; i < server.http().requests().size(); ++i) {
        const HostileWebDavServer::Request &request = server.http().requests().at(i);
        QVERIFY2(request.method != "PUT", request.target.constData());
        copied = copied || request.method == "COPY";
    }
    QVERIFY(copied);
    QCOMPARE(readFile(local.path() + QStringLiteral("/doc.txt")), QByteArray("edited here"));
    // Still queued: the next run tries again, and still overwrites nothing.
    const CliRunner::Outcome again = cli.runServing(sync);
    QCOMPARE(again.exitCode, 1);
    QCOMPARE(server.files().value(QStringLiteral("doc.txt")), QByteArray("the server's version"));
}

QTEST_GUILESS_MAIN(TestRemoteVersions)
#include "tst_remoteversions.moc"
