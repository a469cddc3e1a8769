// Reading Nextcloud's versions and trashbin listings (issue 19 item 8): the recorded answers of
// a real Nextcloud 32, and hostile ones.
#include "remote/nextcloudhistoryparse.h"
#include "versions/serverhistoryrestore.h"

#include <QFile>
#include <QTest>

using namespace steadysync;
using namespace steadysync::nextcloudhistory;

namespace {

// The body of a recorded answer (tests/data/nextcloud32/NAME.http).
QByteArray recordedBody(const QString &name)
{
    QFile file(QStringLiteral(STEADYSYNC_NEXTCLOUD_RECORDINGS "/%1.http").arg(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = file.readAll();
    return bytes.mid(bytes.indexOf("\n\n") + 2);
}

const QString versionsCollection = QStringLiteral("/remote.php/dav/versions/u/versions/28");
const QString trashCollection = QStringLiteral("/remote.php/dav/trashbin/u/trash");
constexpr qint64 notesModifiedMs = 1796601119000; // Sun, 06 Dec 2026 23:51:59 GMT

QByteArray trashWithLocation(const QByteArray &location)
{
    return "<?xml version=\"1.0\"?><d:multistatus xmlns:d=\"DAV:\" "
           "xmlns:nc=\"http://nextcloud.org/ns\"><d:response><d:href>/remote.php/dav/trashbin/u/"
           "trash/x.d1</d:href><d:propstat><d:prop><nc:trashbin-original-location>" +
           location +
           "</nc:trashbin-original-location><nc:trashbin-deletion-time>1796601125</"
           "nc:trashbin-deletion-time></d:prop><d:status>HTTP/1.1 200 OK</d:status></"
           "d:propstat></d:response></d:multistatus>";
}

} // namespace

class TestNextcloudHistoryParse : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void recordedVersionsLeaveTheCurrentOut()
    {
        const Result<QList<DavResponse>> responses =
            parseMultistatus(recordedBody(QStringLiteral("versions-notes")), QStringLiteral("v"));
        QVERIFY2(responses, qPrintable(responses ? QString() : responses.error().message));
        const Result<QList<ServerHistoryEntry>> versions =
            versionsFromListing(*responses, versionsCollection, QStringLiteral("notes.txt"),
                                QStringLiteral("28"), notesModifiedMs);
        QVERIFY(versions);
        QCOMPARE(versions->size(), 2);
        QCOMPARE(versions->at(0).versionName, QStringLiteral("1796601116"));
        QCOMPARE(versions->at(0).size, 11);
        QCOMPARE(versions->at(0).author, QStringLiteral("u"));
        QCOMPARE(versions->at(1).id(), QStringLiteral("server-version:28:1796601114"));
    }

    void recordedTrashIsMappedIntoThePairsRoot()
    {
        const Result<QList<DavResponse>> responses =
            parseMultistatus(recordedBody(QStringLiteral("trash")), QStringLiteral("t"));
        QVERIFY(responses);
        const Result<QList<ServerHistoryEntry>> whole =
            trashFromListing(*responses, trashCollection, QString());
        QVERIFY(whole);
        QCOMPARE(whole->size(), 2);
        QCOMPARE(whole->at(0).path, QStringLiteral("sub/taken.txt")); // deleted last
        QCOMPARE(whole->at(1).path, QStringLiteral("sub/gone.txt"));
        QCOMPARE(whole->at(1).timeMs, 1796601125000);
        // A pair rooted at sub/ sees them at its root; one rooted elsewhere sees none.
        const Result<QList<ServerHistoryEntry>> inSub =
            trashFromListing(*responses, trashCollection, QStringLiteral("sub"));
        QVERIFY(inSub);
        QCOMPARE(inSub->at(1).path, QStringLiteral("gone.txt"));
        const Result<QList<ServerHistoryEntry>> elsewhere =
            trashFromListing(*responses, trashCollection, QStringLiteral("photos"));
        QVERIFY(elsewhere && elsewhere->isEmpty());
    }

    void hostileListingsAreRefusedOrLeftOut()
    {
        QVERIFY(!parseMultistatus("<html>not dav</html>", QStringLiteral("x")));
        QVERIFY(!parseMultistatus(recordedBody(QStringLiteral("trash")).left(300),
                                  QStringLiteral("x")));
        // An original location that leaves the home is never shown (nor restored to).
        for (const QByteArray &location : {QByteArray("../../etc/passwd"), QByteArray("/abs"),
                                           QByteArray(""), QByteArray("a/../../b")}) {
            const Result<QList<DavResponse>> responses =
                parseMultistatus(trashWithLocation(location), QStringLiteral("t"));
            QVERIFY(responses);
            const Result<QList<ServerHistoryEntry>> trash =
                trashFromListing(*responses, trashCollection, QString());
            QVERIFY(trash);
            QVERIFY2(trash->isEmpty(), location.constData());
        }
        // A member outside the collection asked for is an error.
        QByteArray outside = trashWithLocation("a.txt");
        outside.replace("/remote.php/dav/trashbin/u/trash/x.d1", "/remote.php/dav/files/u/x.d1");
        const Result<QList<DavResponse>> responses = parseMultistatus(outside, QStringLiteral("t"));
        QVERIFY(responses);
        QVERIFY(!trashFromListing(*responses, trashCollection, QString()));
    }

    void idsRoundTrip()
    {
        const auto version = ServerHistoryEntry::parseId(QStringLiteral("server-version:28:17"));
        QVERIFY(version && version->fileId == QStringLiteral("28"));
        const auto trash = ServerHistoryEntry::parseId(QStringLiteral("server-trash:a:b.d1"));
        QVERIFY(trash && trash->name == QStringLiteral("a:b.d1"));
        QVERIFY(!ServerHistoryEntry::parseId(QStringLiteral("server-version:28")));
        QVERIFY(!ServerHistoryEntry::parseId(QStringLiteral("17")));
    }

    void restoredNamesKeepTheExtension()
    {
        QCOMPARE(ServerHistoryRestore::restoredName(QStringLiteral("sub/taken.txt"), 1),
                 QStringLiteral("sub/taken (restored).txt"));
        QCOMPARE(ServerHistoryRestore::restoredName(QStringLiteral("README"), 2),
                 QStringLiteral("README (restored 2)"));
        QCOMPARE(ServerHistoryRestore::restoredName(QStringLiteral(".bashrc"), 1),
                 QStringLiteral(".bashrc (restored)"));
    }
};

QTEST_GUILESS_MAIN(TestNextcloudHistoryParse)
#include "tst_nextcloudhistoryparse.moc"
