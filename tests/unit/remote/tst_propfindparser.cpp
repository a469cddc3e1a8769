#include "remote/propfindparser.h"
#include "remote/webdavhttp.h"
#include "sanitizers.h"

#include <QElapsedTimer>
#include <QTest>
#include <QTimeZone>

using namespace steadysync;

namespace {

const QUrl collection(QStringLiteral("http://127.0.0.1:8080/dav/docs/"));

QByteArray fileResponse(const QByteArray &prefix, const QByteArray &href, qint64 size,
                        const QByteArray &etag = {})
{
    QByteArray xml =
        "<" + prefix + ":response><" + prefix + ":href>" + href + "</" + prefix + ":href><" +
        prefix + ":propstat><" + prefix + ":prop><" + prefix + ":resourcetype/><" + prefix +
        ":getcontentlength>" + QByteArray::number(size) + "</" + prefix + ":getcontentlength><" +
        prefix + ":getlastmodified>Tue, 24 Nov 2026 20:00:00 GMT</" + prefix + ":getlastmodified>";
    if (!etag.isEmpty())
        xml += "<" + prefix + ":getetag>" + etag + "</" + prefix + ":getetag>";
    xml += "</" + prefix + ":prop><" + prefix + ":status>HTTP/1.1 200 OK</" + prefix +
           ":status></" + prefix + ":propstat></" + prefix + ":response>";
    return xml;
}

QByteArray multistatus(const QByteArray &responses)
{
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:multistatus xmlns:D=\"DAV:\">" +
           responses + "</D:multistatus>";
}

QByteArray selfResponse(const QByteArray &href = "/dav/docs/")
{
    return "<D:response><D:href>" + href +
           "</D:href><D:propstat><D:prop><D:resourcetype><D:collection/></D:resourcetype>"
           "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>";
}

// Verbatim shape of Apache mod_dav_fs (extra lp1/lp2 prefixes bound to DAV:, a 404 propstat).
const QByteArray apacheListing =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<D:multistatus xmlns:D=\"DAV:\" xmlns:ns0=\"DAV:\">\n"
    "<D:response xmlns:lp1=\"DAV:\" xmlns:lp2=\"http://apache.org/dav/props/\">\n"
    "<D:href>/dav/docs/</D:href>\n"
    "<D:propstat>\n"
    "<D:prop>\n"
    "<lp1:resourcetype><D:collection/></lp1:resourcetype>\n"
    "<lp1:getlastmodified>Tue, 24 Nov 2026 19:00:00 GMT</lp1:getlastmodified>\n"
    "<lp1:getetag>\"1000-5a0b3c\"</lp1:getetag>\n"
    "</D:prop>\n"
    "<D:status>HTTP/1.1 200 OK</D:status>\n"
    "</D:propstat>\n"
    "<D:propstat>\n"
    "<D:prop>\n"
    "<ns0:getcontentlength/>\n"
    "</D:prop>\n"
    "<D:status>HTTP/1.1 404 Not Found</D:status>\n"
    "</D:propstat>\n"
    "</D:response>\n"
    "<D:response xmlns:lp1=\"DAV:\" xmlns:lp2=\"http://apache.org/dav/props/\">\n"
    "<D:href>/dav/docs/a%20b%23c.txt</D:href>\n"
    "<D:propstat>\n"
    "<D:prop>\n"
    "<lp1:resourcetype/>\n"
    "<lp1:getcontentlength>12</lp1:getcontentlength>\n"
    "<lp1:getlastmodified>Tue, 24 Nov 2026 20:00:00 GMT</lp1:getlastmodified>\n"
    "<lp1:getetag>W/\"c-5a0b3d\"</lp1:getetag>\n"
    "</D:prop>\n"
    "<D:status>HTTP/1.1 200 OK</D:status>\n"
    "</D:propstat>\n"
    "</D:response>\n"
    "<D:response xmlns:lp1=\"DAV:\" xmlns:lp2=\"http://apache.org/dav/props/\">\n"
    "<D:href>/dav/docs/sub/</D:href>\n"
    "<D:propstat>\n"
    "<D:prop>\n"
    "<lp1:resourcetype><D:collection/></lp1:resourcetype>\n"
    "<lp1:getlastmodified>Tue, 24 Nov 2026 20:00:01 GMT</lp1:getlastmodified>\n"
    "<lp1:getetag>\"1000-5a0b3e\"</lp1:getetag>\n"
    "</D:prop>\n"
    "<D:status>HTTP/1.1 200 OK</D:status>\n"
    "</D:propstat>\n"
    "</D:response>\n"
    "</D:multistatus>\n";

// nginx dav-ext: no getetag at all.
const QByteArray nginxListing =
    "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n"
    "<D:multistatus xmlns:D=\"DAV:\">\n"
    "<D:response>\n"
    "<D:href>/dav/docs/</D:href>\n"
    "<D:propstat>\n"
    "<D:prop>\n"
    "<D:getlastmodified>Tue, 24 Nov 2026 19:00:00 GMT</D:getlastmodified>\n"
    "<D:resourcetype><D:collection/></D:resourcetype>\n"
    "</D:prop>\n"
    "<D:status>HTTP/1.1 200 OK</D:status>\n"
    "</D:propstat>\n"
    "</D:response>\n"
    "<D:response>\n"
    "<D:href>/dav/docs/%C3%A9t%C3%A9%20%F0%9F%98%80.txt</D:href>\n"
    "<D:propstat>\n"
    "<D:prop>\n"
    "<D:getlastmodified>Tue, 24 Nov 2026 20:00:00 GMT</D:getlastmodified>\n"
    "<D:getcontentlength>5</D:getcontentlength>\n"
    "<D:resourcetype></D:resourcetype>\n"
    "</D:prop>\n"
    "<D:status>HTTP/1.1 200 OK</D:status>\n"
    "</D:propstat>\n"
    "</D:response>\n"
    "</D:multistatus>\n";

// rclone: one line, etag on files only, collection element redeclaring the namespace.
const QByteArray rcloneListing =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><D:multistatus "
    "xmlns:D=\"DAV:\"><D:response><D:href>/dav/docs/</"
    "D:href><D:propstat><D:prop><D:resourcetype><D:collection "
    "xmlns:D=\"DAV:\"/></D:resourcetype><D:getlastmodified>Tue, 24 Nov 2026 19:00:00 "
    "GMT</D:getlastmodified></D:prop><D:status>HTTP/1.1 200 "
    "OK</D:status></D:propstat></D:response><D:response><D:href>/dav/docs/file.txt</"
    "D:href><D:propstat><D:prop><D:resourcetype></D:resourcetype><D:getcontentlength>7</"
    "D:getcontentlength><D:getlastmodified>Tue, 24 Nov 2026 20:00:00 "
    "GMT</D:getlastmodified><D:getetag>\"18a2b3c4d5e6f7\"</D:getetag></D:prop><D:status>HTTP/1.1 "
    "200 OK</D:status></D:propstat></D:response></D:multistatus>";

const qint64 nov24_2000 =
    QDateTime(QDate(2026, 11, 24), QTime(20, 0), QTimeZone::utc()).toMSecsSinceEpoch() * 1'000'000;

} // namespace

class TestPropfindParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesServerListings_data();
    void parsesServerListings();
    void rejectsEscapingNames_data();
    void rejectsEscapingNames();
    void acceptsLiteralReplacementCharacter_data();
    void acceptsLiteralReplacementCharacter();
    void keepsTheNameOfADuplicate();
    void refusesMalformedInput_data();
    void refusesMalformedInput();
    void absoluteUrlHrefsOfTheSameOrigin();
    void depthZeroDescribesTheItem();
    void recognisesOwnCloudFileIds_data();
    void recognisesOwnCloudFileIds();
    void readsSha256FromChecksums_data();
    void readsSha256FromChecksums();
    void readsFileIdsAndPermissions();
    void readsFolderSizesFromQuotaUsedBytes();
    void depthInfinityListsDeepMembersSafely();
    void ignoresPropertiesOfFailedPropstats();
    void enforcesEntryLimit();
    void parsesHugeListingQuickly();
    void resolvesHrefsPerRfc3986_data();
    void resolvesHrefsPerRfc3986();
    void emptyHrefIsReportedNeverTakenForTheCollection_data();
    void emptyHrefIsReportedNeverTakenForTheCollection();
    void refusedMemberIsLeftAloneGoneMemberIsAbsent_data();
    void refusedMemberIsLeftAloneGoneMemberIsAbsent();
    void ambiguousEscapesAreReportedNotGuessed_data();
    void ambiguousEscapesAreReportedNotGuessed();
    void duplicateMembersBecomeOneItem_data();
    void duplicateMembersBecomeOneItem();
    void failedTypePropstatIsNeverGuessedWrong_data();
    void failedTypePropstatIsNeverGuessedWrong();
    void parsesHttpDates_data();
    void parsesHttpDates();
    void listingDatesInEveryFormat_data();
    void listingDatesInEveryFormat();
    void parsesRetryAfter();
    void encodesPathsPerSegment();
    void lockNullMemberIsNoFile();
};

void TestPropfindParser::parsesServerListings_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QStringList>("names"); // in order
    QTest::addColumn<QStringList>("types"); // "f" / "d"
    QTest::addColumn<QList<qint64>>("sizes");
    QTest::addColumn<QList<QByteArray>>("etags");

    QTest::newRow("apache") << apacheListing << QStringList{"a b#c.txt", "sub"}
                            << QStringList{"f", "d"} << QList<qint64>{12, 0}
                            << QList<QByteArray>{"W/\"c-5a0b3d\"", "\"1000-5a0b3e\""};
    QTest::newRow("nginx") << nginxListing << QStringList{QString::fromUtf8("été 😀.txt")}
                           << QStringList{"f"} << QList<qint64>{5} << QList<QByteArray>{""};
    QTest::newRow("rclone") << rcloneListing << QStringList{"file.txt"} << QStringList{"f"}
                            << QList<qint64>{7} << QList<QByteArray>{"\"18a2b3c4d5e6f7\""};
    QTest::newRow("other prefix")
        << QByteArray(
               "<x:multistatus xmlns:x=\"DAV:\"><x:response><x:href>/dav/docs/</x:href><x:propstat>"
               "<x:prop><x:resourcetype><x:collection/></x:resourcetype></x:prop></x:propstat>"
               "</x:response>" +
               fileResponse("x", "/dav/docs/one", 1) + "</x:multistatus>")
        << QStringList{"one"} << QStringList{"f"} << QList<qint64>{1} << QList<QByteArray>{""};
    QTest::newRow("default namespace")
        << QByteArray("<multistatus xmlns=\"DAV:\"><response><href>/dav/docs/</href><propstat>"
                      "<prop><resourcetype><collection/></resourcetype></prop></propstat>"
                      "</response><response><href>/dav/docs/x%25y</href>"
                      "<propstat><prop><getcontentlength>3</getcontentlength><resourcetype/>"
                      "</prop><status>HTTP/1.1 200 OK</status></propstat></response>"
                      "</multistatus>")
        << QStringList{"x%y"} << QStringList{"f"} << QList<qint64>{3} << QList<QByteArray>{""};
    QTest::newRow("self without slash, differently encoded")
        << multistatus(selfResponse("/d%61v/docs") + fileResponse("D", "/dav/d%6Fcs/q%3Fr", 2))
        << QStringList{"q?r"} << QStringList{"f"} << QList<qint64>{2} << QList<QByteArray>{""};
    QTest::newRow("unrelated elements ignored")
        << multistatus(selfResponse() + "<D:responsedescription>hi</D:responsedescription>" +
                       "<foo:bar xmlns:foo=\"urn:x\"><D:response/></foo:bar>" +
                       fileResponse("D", "/dav/docs/z", 9))
        << QStringList{"z"} << QStringList{"f"} << QList<qint64>{9} << QList<QByteArray>{""};
}

void TestPropfindParser::parsesServerListings()
{
    QFETCH(QByteArray, xml);
    QFETCH(QStringList, names);
    QFETCH(QStringList, types);
    QFETCH(QList<qint64>, sizes);
    QFETCH(QList<QByteArray>, etags);

    const Result<PropfindListing> listing = PropfindParser::parse(xml, collection);
    QVERIFY2(listing.ok(), qPrintable(listing.ok() ? QString() : listing.error().message));
    QVERIFY2(listing->rejectedNames.isEmpty(),
             qPrintable(listing->rejectedNames.join(QLatin1Char('\n'))));
    QVERIFY(listing->self.has_value());
    QVERIFY(listing->self->isDir());
    QCOMPARE(listing->children.size(), names.size());
    for (qsizetype i = 0; i < names.size(); ++i) {
        const RemoteEntry &entry = listing->children.at(i);
        QCOMPARE(entry.path, names.at(i));
        QCOMPARE(entry.isDir(), types.at(i) == QLatin1String("d"));
        QCOMPARE(entry.size, sizes.at(i));
        QCOMPARE(entry.etag, etags.at(i));
    }
    if (QByteArray(QTest::currentDataTag()) != "default namespace")
        QVERIFY(listing->children.first().mtimeNs >= nov24_2000);
}

void TestPropfindParser::rejectsEscapingNames_data()
{
    // keep: where the refused name would lie here, which the sync must leave alone ("" when it
    // names nothing inside the collection).
    QTest::addColumn<QByteArray>("href");
    QTest::addColumn<QString>("keep");
    QTest::newRow("dot dot") << QByteArray("/dav/docs/..") << QString();
    QTest::newRow("dot") << QByteArray("/dav/docs/.") << QString();
    QTest::newRow("encoded dot dot") << QByteArray("/dav/docs/%2e%2e") << QString();
    QTest::newRow("encoded dot dot upper") << QByteArray("/dav/docs/%2E%2E/") << QString();
    QTest::newRow("encoded slash") << QByteArray("/dav/docs/a%2fb") << QString();
    QTest::newRow("encoded slash escape") << QByteArray("/dav/docs/..%2f..%2fetc") << QString();
    QTest::newRow("climbing path") << QByteArray("/dav/docs/../../etc/passwd") << QString();
    QTest::newRow("deeper path") << QByteArray("/dav/docs/a/b") << QStringLiteral("a/b");
    QTest::newRow("absolute path elsewhere") << QByteArray("/etc/passwd") << QString();
    QTest::newRow("root") << QByteArray("/") << QString();
    QTest::newRow("sibling collection") << QByteArray("/dav/docsX/a") << QString();
    QTest::newRow("nul") << QByteArray("/dav/docs/a%00b") << QString();
    QTest::newRow("invalid utf8") << QByteArray("/dav/docs/a%ffb")
                                  << QString(QStringLiteral("a") + QChar::ReplacementCharacter +
                                             QStringLiteral("b"));
    QTest::newRow("other host") << QByteArray("http://evil.example/dav/docs/a")
                                << QStringLiteral("a");
    QTest::newRow("other port") << QByteArray("http://127.0.0.1:9/dav/docs/a")
                                << QStringLiteral("a");
    QTest::newRow("other scheme") << QByteArray("https://127.0.0.1:8080/dav/docs/a")
                                  << QStringLiteral("a");
    QTest::newRow("empty segment") << QByteArray("/dav/docs//a") << QString();
}

void TestPropfindParser::rejectsEscapingNames()
{
    QFETCH(QByteArray, href);
    QFETCH(QString, keep);
    const QByteArray xml = multistatus(selfResponse() + fileResponse("D", href, 4) +
                                       fileResponse("D", "/dav/docs/ok", 1));
    const Result<PropfindListing> listing = PropfindParser::parse(xml, collection);
    QVERIFY2(listing.ok(), qPrintable(listing.ok() ? QString() : listing.error().message));
    QCOMPARE(listing->children.size(), 1);
    QCOMPARE(listing->children.first().path, QStringLiteral("ok"));
    QCOMPARE(listing->rejectedNames.size(), 1);
    QVERIFY(listing->rejectedNames.first().startsWith(QString::fromLatin1(href)));
    QCOMPARE(listing->rejectedPaths, keep.isEmpty() ? QStringList() : QStringList{keep});
}

// A local name with U+FFFD in it (valid UTF-8 EF BF BD) is uploaded like any other; the
// listing that brings it back must not refuse it, or the next cycle reads it as deleted.
void TestPropfindParser::acceptsLiteralReplacementCharacter_data()
{
    QTest::addColumn<QByteArray>("href");
    QTest::addColumn<QString>("name");
    const QString name =
        QStringLiteral("bad") + QChar::ReplacementCharacter + QStringLiteral(".txt");
    QTest::newRow("percent-encoded") << QByteArray("/dav/docs/bad%EF%BF%BD.txt") << name;
    QTest::newRow("raw in the XML") << QByteArray("/dav/docs/bad\xEF\xBF\xBD.txt") << name;
    QTest::newRow("whole name") << QByteArray("/dav/docs/%ef%bf%bd")
                                << QString(QChar::ReplacementCharacter);
    QTest::newRow("leading byte order mark") << QByteArray("/dav/docs/%EF%BB%BFbom.txt")
                                             << QString(QChar(0xFEFF) + QStringLiteral("bom.txt"));
}

void TestPropfindParser::acceptsLiteralReplacementCharacter()
{
    QFETCH(QByteArray, href);
    QFETCH(QString, name);
    const QByteArray xml = multistatus(selfResponse() + fileResponse("D", href, 4));
    const Result<PropfindListing> listing = PropfindParser::parse(xml, collection);
    QVERIFY2(listing.ok(), qPrintable(listing.ok() ? QString() : listing.error().message));
    QVERIFY2(listing->rejectedNames.isEmpty(),
             qPrintable(listing->rejectedNames.join(QLatin1Char('\n'))));
    QCOMPARE(listing->children.size(), 1);
    QCOMPARE(listing->children.first().path, name);
}

void TestPropfindParser::keepsTheNameOfADuplicate()
{
    const QByteArray xml =
        multistatus(selfResponse() + fileResponse("D", "/dav/docs/caf%C3%A9", 1) +
                    fileResponse("D", "/dav/docs/caf%c3%a9", 2));
    const Result<PropfindListing> listing = PropfindParser::parse(xml, collection);
    QVERIFY(listing.ok());
    QCOMPARE(listing->rejectedPaths, QStringList{QString::fromUtf8("caf\xC3\xA9")});
}

void TestPropfindParser::refusesMalformedInput_data()
{
    QTest::addColumn<QByteArray>("xml");
    const QByteArray good = multistatus(selfResponse() + fileResponse("D", "/dav/docs/a", 1));
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("truncated") << good.left(good.size() - 30);
    QTest::newRow("truncated in href") << good.left(good.indexOf("/dav/docs/a") + 5);
    QTest::newRow("not xml") << QByteArray("<html><body>It works!</body></html>");
    QTest::newRow("garbage") << QByteArray("\x01\x02 not < xml >");
    QTest::newRow("mismatched tags")
        << QByteArray("<D:multistatus xmlns:D=\"DAV:\"><D:response></D:multistatus>");
    QTest::newRow("wrong namespace")
        << QByteArray("<D:multistatus xmlns:D=\"urn:not-dav\"></D:multistatus>");
    QTest::newRow("billion laughs") << QByteArray(
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
        "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
        "<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/dav/docs/&lol3;</D:href>"
        "</D:response></D:multistatus>");
    QTest::newRow("external entity") << QByteArray(
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
        "<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>&xxe;</D:href></D:response>"
        "</D:multistatus>");
    QTest::newRow("undeclared entity") << QByteArray(
        "<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>&boom;</D:href></D:response>"
        "</D:multistatus>");
    QTest::newRow("response without href") << multistatus("<D:response><D:propstat/></D:response>");
}

void TestPropfindParser::refusesMalformedInput()
{
    QFETCH(QByteArray, xml);
    const Result<PropfindListing> listing = PropfindParser::parse(xml, collection);
    QVERIFY(!listing.ok());
    QCOMPARE(listing.error().kind, ErrorKind::Corrupt);
    QVERIFY(!listing.error().message.isEmpty());
    // Refused for the DOCTYPE itself, not only because Qt's expansion limit ran out.
    if (xml.contains("<!DOCTYPE"))
        QVERIFY2(listing.error().message.contains(QLatin1String("DOCTYPE")),
                 qPrintable(listing.error().message));
}

void TestPropfindParser::absoluteUrlHrefsOfTheSameOrigin()
{
    const QByteArray xml =
        multistatus(selfResponse("http://127.0.0.1:8080/dav/docs/") +
                    fileResponse("D", "http://127.0.0.1:8080/dav/docs/abs%20url", 3) +
                    fileResponse("D", "HTTP://127.0.0.1:8080/dav/docs/upper", 4) +
                    fileResponse("D", "relative%20name", 5));
    const Result<PropfindListing> listing = PropfindParser::parse(xml, collection);
    QVERIFY(listing.ok());
    QVERIFY(listing->rejectedNames.isEmpty());
    QCOMPARE(listing->children.size(), 3);
    QCOMPARE(listing->children.at(0).path, QStringLiteral("abs url"));
    QCOMPARE(listing->children.at(1).path, QStringLiteral("upper"));
    QCOMPARE(listing->children.at(2).path, QStringLiteral("relative name"));
}

void TestPropfindParser::depthZeroDescribesTheItem()
{
    const QByteArray xml = multistatus(fileResponse("D", "/dav/docs/a%20file", 42, "\"e1\""));
    const Result<PropfindListing> listing =
        PropfindParser::parse(xml, QUrl(QStringLiteral("http://127.0.0.1:8080/dav/docs/a%20file")));
    QVERIFY(listing.ok());
    QVERIFY(listing->self.has_value());
    QCOMPARE(listing->self->size, 42);
    QCOMPARE(listing->self->etag, QByteArray("\"e1\""));
    QVERIFY(!listing->self->isDir());
    QVERIFY(listing->children.isEmpty());
}

void TestPropfindParser::recognisesOwnCloudFileIds_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<bool>("seen");
    // Verbatim shape of a Nextcloud Depth-0 answer (sabre/dav, oc: and nc: namespaces).
    const QByteArray nextcloud =
        "<?xml version=\"1.0\"?>\n<d:multistatus xmlns:d=\"DAV:\" "
        "xmlns:s=\"http://sabredav.org/ns\" "
        "xmlns:oc=\"http://owncloud.org/ns\" xmlns:nc=\"http://nextcloud.org/ns\"><d:response>"
        "<d:href>/dav/docs/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/>"
        "</d:resourcetype><d:getlastmodified>Tue, 24 Nov 2026 20:00:00 GMT</d:getlastmodified>"
        "<d:getetag>&quot;6923b2a0c7d1e&quot;</d:getetag><oc:fileid>128</oc:fileid></d:prop>"
        "<d:status>HTTP/1.1 200 OK</d:status></d:propstat><d:propstat><d:prop>"
        "<d:getcontentlength/></d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>"
        "</d:response></d:multistatus>";
    QTest::newRow("nextcloud") << nextcloud << true;
    QTest::newRow("other prefix")
        << QByteArray(nextcloud).replace("oc:", "x:").replace("xmlns:oc=", "xmlns:x=") << true;
    QTest::newRow("404 propstat (Apache, rclone)")
        << multistatus("<D:response><D:href>/dav/docs/</D:href><D:propstat><D:prop>"
                       "<D:resourcetype><D:collection/></D:resourcetype></D:prop><D:status>"
                       "HTTP/1.1 200 OK</D:status></D:propstat><D:propstat><D:prop>"
                       "<oc:fileid xmlns:oc=\"http://owncloud.org/ns\"/></D:prop><D:status>"
                       "HTTP/1.1 404 Not Found</D:status></D:propstat></D:response>")
        << false;
    QTest::newRow("fileid in another namespace")
        << QByteArray(nextcloud).replace("http://owncloud.org/ns", "http://example.org/ns")
        << false;
    QTest::newRow("empty fileid") << QByteArray(nextcloud).replace("<oc:fileid>128</oc:fileid>",
                                                                   "<oc:fileid/>")
                                  << false;
    QTest::newRow("apache") << apacheListing << false;
}

void TestPropfindParser::recognisesOwnCloudFileIds()
{
    QFETCH(QByteArray, xml);
    QFETCH(bool, seen);
    const Result<PropfindListing> listing = PropfindParser::parse(xml, collection);
    QVERIFY2(listing.ok(), qPrintable(listing.ok() ? QString() : listing.error().message));
    QVERIFY(listing->self.has_value());
    QCOMPARE(listing->ownCloudFileIdSeen, seen);
}

// oc:checksums as Nextcloud 32 lists them (measured: what the PUT's OC-Checksum said, kept
// verbatim, emptied by a PUT without one): only a well-formed SHA-256 counts.
void TestPropfindParser::readsSha256FromChecksums_data()
{
    QTest::addColumn<QByteArray>("checksums");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray sha = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
    QTest::newRow("sha256 alone") << "<oc:checksum>SHA256:" + sha + "</oc:checksum>" << sha;
    QTest::newRow("among others, one element")
        << "<oc:checksum>SHA1:f572d396fae9206628714fb2ce00f72e94f2258f "
           "MD5:b1946ac92492d2347c6235b4d"
           "2611184 SHA256:" +
               sha.toUpper() + "</oc:checksum>"
        << sha;
    QTest::newRow("one element each")
        << "<oc:checksum>MD5:b1946ac92492d2347c6235b4d2611184</oc:checksum><oc:checksum>sha256:" +
               sha + "</oc:checksum>"
        << sha;
    QTest::newRow("sha1 only") << QByteArray("<oc:checksum>SHA1:f572d396fae9206628714fb2ce00f72e94f"
                                             "2258f</oc:checksum>")
                               << QByteArray();
    QTest::newRow("malformed") << QByteArray("<oc:checksum>SHA256:0000</oc:checksum>")
                               << QByteArray();
    QTest::newRow("empty") << QByteArray() << QByteArray();
}

void TestPropfindParser::readsSha256FromChecksums()
{
    QFETCH(QByteArray, checksums);
    QFETCH(QByteArray, expected);
    const QByteArray xml = "<?xml version=\"1.0\"?>\n<d:multistatus xmlns:d=\"DAV:\" "
                           "xmlns:oc=\"http://owncloud.org/ns\"><d:response><d:href>/dav/docs/"
                           "</d:href><d:propstat><d:prop><d:resourcetype><d:collection/>"
                           "</d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status>"
                           "</d:propstat></d:response><d:response><d:href>/dav/docs/a.txt"
                           "</d:href><d:propstat><d:prop><d:resourcetype/><d:getetag>&quot;e"
                           "&quot;</d:getetag><oc:checksums>" +
                           checksums +
                           "</oc:checksums></d:prop><d:status>HTTP/1.1 200 OK</d:status>"
                           "</d:propstat></d:response></d:multistatus>";
    const Result<PropfindListing> listing = PropfindParser::parse(xml, collection);
    QVERIFY2(listing.ok(), qPrintable(listing.ok() ? QString() : listing.error().message));
    QCOMPARE(listing->children.size(), 1);
    QCOMPARE(listing->children.first().sha256, expected);
}

// As Nextcloud 32 answers a user inside a folder shared with them read-only (measured):
// the share itself "SGD", its members "SG"; the user's own files "RGDNVW".
void TestPropfindParser::readsFileIdsAndPermissions()
{
    const auto member = [](const char *href, const char *id, const char *permissions,
                           bool collection) {
        return QByteArray("<d:response><d:href>") + href +
               "</d:href><d:propstat><d:prop><d:resourcetype>" +
               (collection ? "<d:collection/>" : "") +
               "</d:resourcetype><d:getetag>&quot;e&quot;</d:getetag><oc:fileid>" + id +
               "</oc:fileid>" +
               (permissions ? QByteArray("<oc:permissions>") + permissions + "</oc:permissions>"
                            : QByteArray()) +
               "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>";
    };
    const QByteArray xml = "<?xml version=\"1.0\"?>\n<d:multistatus xmlns:d=\"DAV:\" "
                           "xmlns:oc=\"http://owncloud.org/ns\">" +
                           member("/dav/docs/", "31", "SGD", true) +
                           member("/dav/docs/a.txt", "00000032", "SG", false) +
                           member("/dav/docs/sub/", "33", "SG", true) +
                           member("/dav/docs/own.txt", "34", "RGDNVW", false) +
                           member("/dav/docs/none.txt", "35", nullptr, false) + "</d:multistatus>";
    const Result<PropfindListing> listing = PropfindParser::parse(xml, collection);
    QVERIFY2(listing.ok(), qPrintable(listing.ok() ? QString() : listing.error().message));
    QCOMPARE(listing->self->fileId, QByteArray("31"));
    QVERIFY(listing->self->permissions.known);
    QVERIFY(listing->self->permissions.canDelete);
    QVERIFY(!listing->self->permissions.canAddFile);
    QVERIFY(!listing->self->permissions.canAddFolder);
    QHash<QString, RemoteEntry> byPath;
    for (const RemoteEntry &entry : listing->children)
        byPath.insert(entry.path, entry);
    QCOMPARE(byPath.value("a.txt").fileId, QByteArray("00000032"));
    const RemotePermissions readOnly = byPath.value("a.txt").permissions;
    QVERIFY(readOnly.known);
    QVERIFY(!readOnly.canWrite && !readOnly.canDelete && !readOnly.canRename && !readOnly.canMove);
    QVERIFY(!byPath.value("sub").permissions.canAddFile);
    const RemotePermissions own = byPath.value("own.txt").permissions;
    QVERIFY(own.canWrite && own.canDelete && own.canRename && own.canMove);
    QVERIFY(!byPath.value("none.txt").permissions.known); // said nothing: every write is tried
    QCOMPARE(byPath.value("none.txt").fileId, QByteArray("35"));
}

// Nextcloud gives a folder's size as DAV: quota-used-bytes (RFC 4331); the "Choose folders"
// tree shows it. A file's quota is not its size; a failed propstat or garbage says nothing.
void TestPropfindParser::readsFolderSizesFromQuotaUsedBytes()
{
    const auto member = [](const char *href, const char *quota, bool collection,
                           const char *status = "200 OK") {
        return QByteArray("<d:response><d:href>") + href +
               "</d:href><d:propstat><d:prop><d:resourcetype>" +
               (collection ? "<d:collection/>" : "") +
               "</d:resourcetype><d:getcontentlength>7</d:getcontentlength></d:prop>"
               "<d:status>HTTP/1.1 200 OK</d:status></d:propstat><d:propstat><d:prop>"
               "<d:quota-used-bytes>" +
               quota + "</d:quota-used-bytes></d:prop><d:status>HTTP/1.1 " + status +
               "</d:status></d:propstat></d:response>";
    };
    const QByteArray xml = "<?xml version=\"1.0\"?>\n<d:multistatus xmlns:d=\"DAV:\">" +
                           member("/dav/docs/", "9000000000", true) +
                           member("/dav/docs/Photos/", "5368709120", true) +
                           member("/dav/docs/Empty/", "0", true) +
                           member("/dav/docs/Refused/", "12", true, "404 Not Found") +
                           member("/dav/docs/Garbage/", "lots", true) +
                           member("/dav/docs/a.txt", "99", false) + "</d:multistatus>";
    const Result<PropfindListing> listing = PropfindParser::parse(xml, collection);
    QVERIFY2(listing.ok(), qPrintable(listing.ok() ? QString() : listing.error().message));
    QCOMPARE(listing->self->treeBytes, 9000000000LL);
    QHash<QString, RemoteEntry> byPath;
    for (const RemoteEntry &entry : listing->children)
        byPath.insert(entry.path, entry);
    QCOMPARE(byPath.value("Photos").treeBytes, 5368709120LL);
    QCOMPARE(byPath.value("Photos").size, 0); // a folder's own size stays 0 for the engine
    QCOMPARE(byPath.value("Empty").treeBytes, 0);
    QCOMPARE(byPath.value("Refused").treeBytes, -1);
    QCOMPARE(byPath.value("Garbage").treeBytes, -1);
    QCOMPARE(byPath.value("a.txt").treeBytes, -1);
    QCOMPARE(byPath.value("a.txt").size, 7);
}

void TestPropfindParser::depthInfinityListsDeepMembersSafely()
{
    const QByteArray xml = multistatus(
        selfResponse() + fileResponse("D", "/dav/docs/a/b%20c/deep.txt", 3) +
        fileResponse("D", "/dav/docs/a/../../escape", 1) +
        fileResponse("D", "/dav/docs/a/%2e%2e/%2e%2e/escape2", 1) +
        fileResponse("D", "/dav/docs/a/sl%2Fash", 1) + fileResponse("D", "/dav/docs/top", 2));
    Result<PropfindListing> listing = PropfindParser::parse(
        xml, collection, PropfindParser::defaultMaxEntries, PropfindParser::Members::All);
    QVERIFY(listing.ok());
    QStringList paths;
    for (const RemoteEntry &entry : listing->children)
        paths << entry.path;
    QCOMPARE(paths, (QStringList{QStringLiteral("a/b c/deep.txt"), QStringLiteral("top")}));
    QCOMPARE(listing->rejectedNames.size(), 3);

    // A Depth-1 reading of the same reply keeps direct members only.
    listing = PropfindParser::parse(xml, collection);
    QVERIFY(listing.ok());
    QCOMPARE(listing->children.size(), 1);
    QCOMPARE(listing->children.first().path, QStringLiteral("top"));
}

void TestPropfindParser::ignoresPropertiesOfFailedPropstats()
{
    const QByteArray xml = multistatus(
        selfResponse() +
        "<D:response><D:href>/dav/docs/f</D:href>"
        "<D:propstat><D:prop><D:getcontentlength>10</D:getcontentlength></D:prop>"
        "<D:status>HTTP/1.1 200 OK</D:status></D:propstat>"
        "<D:propstat><D:prop><D:getetag>\"bogus\"</D:getetag><D:resourcetype><D:collection/>"
        "</D:resourcetype></D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>"
        "</D:response>"
        "<D:response><D:href>/dav/docs/gone</D:href><D:status>HTTP/1.1 404 Not Found</D:status>"
        "</D:response>");
    const Result<PropfindListing> listing = PropfindParser::parse(xml, collection);
    QVERIFY(listing.ok());
    QCOMPARE(listing->children.size(), 1);
    QCOMPARE(listing->children.first().size, 10);
    QVERIFY(listing->children.first().etag.isEmpty());
    QVERIFY(!listing->children.first().isDir());
}

void TestPropfindParser::enforcesEntryLimit()
{
    QByteArray responses = selfResponse();
    for (int i = 0; i < 20; ++i)
        responses += fileResponse("D", "/dav/docs/f" + QByteArray::number(i), i);
    const Result<PropfindListing> listing =
        PropfindParser::parse(multistatus(responses), collection, 10);
    QVERIFY(!listing.ok());
    QCOMPARE(listing.error().kind, ErrorKind::Corrupt);

    const Result<PropfindListing> duplicates = PropfindParser::parse(
        multistatus(selfResponse() + fileResponse("D", "/dav/docs/same", 1) +
                    fileResponse("D", "http://127.0.0.1:8080/dav/docs/same", 2)),
        collection);
    QVERIFY(duplicates.ok());
    QCOMPARE(duplicates->children.size(), 1);
    QCOMPARE(duplicates->rejectedNames.size(), 1);
}

void TestPropfindParser::parsesHugeListingQuickly()
{
    QByteArray responses = selfResponse();
    responses.reserve(100'000 * 330);
    for (int i = 0; i < 100'000; ++i)
        responses += fileResponse("D", "/dav/docs/file%20" + QByteArray::number(i) + ".txt", i,
                                  "\"etag-" + QByteArray::number(i) + "\"");
    const QByteArray xml = multistatus(responses);
    QElapsedTimer timer;
    timer.start();
    const Result<PropfindListing> listing = PropfindParser::parse(xml, collection);
    const qint64 elapsed = timer.elapsed();
    QVERIFY(listing.ok());
    QCOMPARE(listing->children.size(), 100'000);
    QCOMPARE(listing->children.last().path, QStringLiteral("file 99999.txt"));
    QCOMPARE(listing->children.last().size, 99'999);
    // Generous for a loaded debug build, more so under ASan (30 s seen on a loaded machine); a
    // quadratic parser would take many minutes.
    const qint64 budgetMs = kUnderAddressSanitizer ? 120'000 : 30'000;
    QVERIFY2(elapsed < budgetMs, qPrintable(QString::number(elapsed)));
    qInfo("100000 entries (%lld MiB) parsed in %lld ms", qint64(xml.size() >> 20), elapsed);
}

// Every href form a server may send names the same member: RFC 3986 references resolved
// against the request URL, plus the raw '#', '?' and ';' that some servers fail to encode
// (a member href never carries a query or fragment, so they are part of the name).
void TestPropfindParser::resolvesHrefsPerRfc3986_data()
{
    QTest::addColumn<QByteArray>("href");
    QTest::addColumn<QString>("name");
    QTest::newRow("relative") << QByteArray("b%20c.txt") << QStringLiteral("b c.txt");
    QTest::newRow("relative with dot") << QByteArray("./x.txt") << QStringLiteral("x.txt");
    QTest::newRow("relative via parent") << QByteArray("../docs/y.txt") << QStringLiteral("y.txt");
    QTest::newRow("absolute path with dot segments")
        << QByteArray("/dav/other/../docs/./z.txt") << QStringLiteral("z.txt");
    QTest::newRow("network path") << QByteArray("//127.0.0.1:8080/dav/docs/n.txt")
                                  << QStringLiteral("n.txt");
    QTest::newRow("absolute URL, other host")
        << QByteArray("http://LOCALHOST.example:8080/dav/docs/h.txt") << QString();
    QTest::newRow("lower-case hex")
        << QByteArray("/dav/docs/%c3%a9.txt") << QString::fromUtf8("\xC3\xA9.txt");
    QTest::newRow("encoded unreserved")
        << QByteArray("/d%61v/docs/%7Euser") << QStringLiteral("~user");
    QTest::newRow("double-encoded") << QByteArray("/dav/docs/a%2520b") << QStringLiteral("a%20b");
    QTest::newRow("single-encoded") << QByteArray("/dav/docs/a%20b") << QStringLiteral("a b");
    QTest::newRow("raw hash") << QByteArray("/dav/docs/a#b.txt") << QStringLiteral("a#b.txt");
    QTest::newRow("raw question mark")
        << QByteArray("/dav/docs/q?x.txt") << QStringLiteral("q?x.txt");
    QTest::newRow("raw semicolon")
        << QByteArray("/dav/docs/semi;colon.txt") << QStringLiteral("semi;colon.txt");
    QTest::newRow("raw all three, absolute URL")
        << QByteArray("http://127.0.0.1:8080/dav/docs/x;y?z#w") << QStringLiteral("x;y?z#w");
    QTest::newRow("raw hash, collection") << QByteArray("/dav/docs/d#1/") << QStringLiteral("d#1");
    QTest::newRow("raw non-ASCII and space") << QByteArray("/dav/docs/\xC3\xA9t\xC3\xA9 1.txt")
                                             << QString::fromUtf8("\xC3\xA9t\xC3\xA9 1.txt");
    QTest::newRow("relative with colon") << QByteArray("a:b.txt") << QStringLiteral("a:b.txt");
    QTest::newRow("raw percent sign and space")
        << QByteArray("/dav/docs/100% done.txt") << QStringLiteral("100% done.txt");
    QTest::newRow("raw percent sign")
        << QByteArray("/dav/docs/50%off%2F.txt") << QStringLiteral("50%off%2F.txt");
    QTest::newRow("raw space, escapes decoded")
        << QByteArray("/dav/docs/a b%23.txt") << QStringLiteral("a b#.txt");
}

void TestPropfindParser::resolvesHrefsPerRfc3986()
{
    QFETCH(QByteArray, href);
    QFETCH(QString, name);
    const QByteArray xml = multistatus(selfResponse() + fileResponse("D", href, 4) +
                                       fileResponse("D", "/dav/docs/ok", 1));
    const Result<PropfindListing> listing = PropfindParser::parse(xml, collection);
    QVERIFY2(listing.ok(), qPrintable(listing.ok() ? QString() : listing.error().message));
    QVERIFY(listing->self && listing->self->isDir());
    QStringList paths;
    for (const RemoteEntry &entry : listing->children)
        paths << entry.path;
    if (name.isEmpty()) { // another server: reported, never listed
        QCOMPARE(paths, QStringList{QStringLiteral("ok")});
        QCOMPARE(listing->rejectedNames.size(), 1);
        return;
    }
    QVERIFY2(listing->rejectedNames.isEmpty(),
             qPrintable(listing->rejectedNames.join(QLatin1Char('\n'))));
    QCOMPARE(paths, (QStringList{name, QStringLiteral("ok")}));
}

// An empty <D:href/> resolves to the listed collection itself: it is reported (by its
// displayname where it has one, which is then left alone), never taken for the collection,
// which would turn the folder into a file and stop the pair.
void TestPropfindParser::emptyHrefIsReportedNeverTakenForTheCollection_data()
{
    QTest::addColumn<QByteArray>("emptyHref");
    QTest::addColumn<bool>("first");
    QTest::addColumn<QString>("keep");
    QTest::newRow("before the collection") << QByteArray("") << true << QString();
    QTest::newRow("after the collection") << QByteArray("") << false << QString();
    QTest::newRow("blank") << QByteArray("  \n ") << true << QString();
    QTest::newRow("with displayname") << QByteArray("<D:displayname>lost.txt</D:displayname>")
                                      << true << QStringLiteral("lost.txt");
}

void TestPropfindParser::emptyHrefIsReportedNeverTakenForTheCollection()
{
    QFETCH(QByteArray, emptyHref);
    QFETCH(bool, first);
    QFETCH(QString, keep);
    const bool named = emptyHref.contains("displayname");
    QByteArray odd = fileResponse("D", named ? QByteArray() : emptyHref, 7);
    if (named)
        odd.replace("<D:resourcetype/>", "<D:resourcetype/>" + emptyHref);
    if (first)
        odd.replace("<D:href></D:href>", "<D:href/>");
    const QByteArray members = fileResponse("D", "/dav/docs/ok", 1);
    const QByteArray xml =
        multistatus(first ? odd + selfResponse() + members : selfResponse() + odd + members);
    const Result<PropfindListing> listing = PropfindParser::parse(xml, collection);
    QVERIFY2(listing.ok(), qPrintable(listing.ok() ? QString() : listing.error().message));
    QVERIFY(listing->self.has_value());
    QVERIFY(listing->self->isDir());
    QCOMPARE(listing->children.size(), 1);
    QCOMPARE(listing->children.first().path, QStringLiteral("ok"));
    QCOMPARE(listing->rejectedNames.size(), 1);
    QVERIFY2(listing->rejectedNames.first().contains(QLatin1String("empty href")),
             qPrintable(listing->rejectedNames.first()));
    if (named)
        QVERIFY(listing->rejectedNames.first().contains(keep));
    QCOMPARE(listing->rejectedPaths, keep.isEmpty() ? QStringList() : QStringList{keep});
}

// A member whose whole response carries a failure status: 404 says it is gone (absent), but
// 403 or 500 say nothing about it, so it is reported and left alone, never read as deleted.
void TestPropfindParser::refusedMemberIsLeftAloneGoneMemberIsAbsent_data()
{
    QTest::addColumn<QByteArray>("status");
    QTest::addColumn<bool>("reported");
    QTest::newRow("404") << QByteArray("404 Not Found") << false;
    QTest::newRow("403") << QByteArray("403 Forbidden") << true;
    QTest::newRow("500") << QByteArray("500 Internal Server Error") << true;
    QTest::newRow("garbage") << QByteArray("bogus") << true;
}

void TestPropfindParser::refusedMemberIsLeftAloneGoneMemberIsAbsent()
{
    QFETCH(QByteArray, status);
    QFETCH(bool, reported);
    const QByteArray member = "<D:response><D:href>/dav/docs/secret.txt</D:href><D:status>"
                              "HTTP/1.1 " +
                              status + "</D:status></D:response>";
    const Result<PropfindListing> listing = PropfindParser::parse(
        multistatus(selfResponse() + member + fileResponse("D", "/dav/docs/ok", 1)), collection);
    QVERIFY(listing.ok());
    QCOMPARE(listing->children.size(), 1);
    QCOMPARE(listing->rejectedNames.size(), reported ? 1 : 0);
    QCOMPARE(listing->rejectedPaths,
             reported ? QStringList{QStringLiteral("secret.txt")} : QStringList());
}

// An escape of a letter or digit ("%41") is what a server that encodes nothing sends for a
// name with "%41" in it; no encoder writes one. Neither reading is trusted: the member is
// reported and both names are left alone.
void TestPropfindParser::ambiguousEscapesAreReportedNotGuessed_data()
{
    QTest::addColumn<QByteArray>("href");
    QTest::addColumn<QStringList>("keep");
    QTest::newRow("letter") << QByteArray("/dav/docs/%41.txt")
                            << QStringList{QStringLiteral("A.txt"), QStringLiteral("%41.txt")};
    QTest::newRow("digit, lower-case hex, in a folder")
        << QByteArray("/dav/docs/v%31/")
        << QStringList{QStringLiteral("v1"), QStringLiteral("v%31")};
    QTest::newRow("encoded '%' is no escape") << QByteArray("/dav/docs/%2541.txt") << QStringList();
    QTest::newRow("non-ASCII") << QByteArray("/dav/docs/%C3%A9.txt") << QStringList();
}

void TestPropfindParser::ambiguousEscapesAreReportedNotGuessed()
{
    QFETCH(QByteArray, href);
    QFETCH(QStringList, keep);
    const Result<PropfindListing> listing =
        PropfindParser::parse(multistatus(selfResponse() + fileResponse("D", href, 2) +
                                          fileResponse("D", "/dav/docs/ok", 1)),
                              collection);
    QVERIFY(listing.ok());
    QCOMPARE(listing->rejectedPaths, keep);
    QCOMPARE(listing->rejectedNames.size(), keep.isEmpty() ? 0 : 1);
    QCOMPARE(listing->children.size(), keep.isEmpty() ? 2 : 1);
}

// One member listed twice is one item: silently when both say the same, reported (and left
// alone) when they disagree. The collection itself listed twice in agreement is no problem.
void TestPropfindParser::duplicateMembersBecomeOneItem_data()
{
    QTest::addColumn<QByteArray>("members");
    QTest::addColumn<bool>("reported");
    QTest::newRow("same member, same answer")
        << QByteArray(fileResponse("D", "/dav/docs/twice", 3, "\"e\"") +
                      fileResponse("D", "http://127.0.0.1:8080/dav/docs/twice", 3, "\"e\""))
        << false;
    QTest::newRow("same member, other size")
        << QByteArray(fileResponse("D", "/dav/docs/twice", 3, "\"e\"") +
                      fileResponse("D", "/dav/docs/twice", 4, "\"e\""))
        << true;
    QTest::newRow("same member, other etag")
        << QByteArray(fileResponse("D", "/dav/docs/twice", 3, "\"e\"") +
                      fileResponse("D", "/dav/docs/twice", 3, "\"f\""))
        << true;
    QTest::newRow("collection listed twice")
        << QByteArray(selfResponse("/dav/docs") + fileResponse("D", "/dav/docs/twice", 3)) << false;
}

void TestPropfindParser::duplicateMembersBecomeOneItem()
{
    QFETCH(QByteArray, members);
    QFETCH(bool, reported);
    const Result<PropfindListing> listing =
        PropfindParser::parse(multistatus(selfResponse() + members), collection);
    QVERIFY2(listing.ok(), qPrintable(listing.ok() ? QString() : listing.error().message));
    QVERIFY(listing->self && listing->self->isDir());
    QCOMPARE(listing->children.size(), 1);
    QCOMPARE(listing->children.first().path, QStringLiteral("twice"));
    QCOMPARE(listing->rejectedNames.size(), reported ? 1 : 0);
    QCOMPARE(listing->rejectedPaths,
             reported ? QStringList{QStringLiteral("twice")} : QStringList());
}

// resourcetype (or getcontentlength) refused per member with 404/403: a folder is never taken
// for a file. The href's trailing '/' or a content length tells; otherwise the member is
// reported and left alone.
void TestPropfindParser::failedTypePropstatIsNeverGuessedWrong_data()
{
    QTest::addColumn<QByteArray>("href");
    QTest::addColumn<QByteArray>("okProps");
    QTest::addColumn<QByteArray>("failedProps");
    QTest::addColumn<QByteArray>("failedStatus");
    QTest::addColumn<QString>("type"); // "f", "d" or "" (reported)
    QTest::newRow("folder, resourcetype 404")
        << QByteArray("/dav/docs/sub/") << QByteArray("<D:getetag>\"d\"</D:getetag>")
        << QByteArray("<D:resourcetype/>") << QByteArray("404 Not Found") << "d";
    QTest::newRow("file, resourcetype 403")
        << QByteArray("/dav/docs/f.txt") << QByteArray("<D:getcontentlength>5</D:getcontentlength>")
        << QByteArray("<D:resourcetype/>") << QByteArray("403 Forbidden") << "f";
    QTest::newRow("nothing known")
        << QByteArray("/dav/docs/what") << QByteArray("<D:getetag>\"w\"</D:getetag>")
        << QByteArray("<D:resourcetype/><D:getcontentlength/>") << QByteArray("404 Not Found")
        << "";
    QTest::newRow("folder, every property 403")
        << QByteArray("/dav/docs/locked/") << QByteArray()
        << QByteArray("<D:resourcetype/><D:getetag/>") << QByteArray("403 Forbidden") << "d";
}

void TestPropfindParser::failedTypePropstatIsNeverGuessedWrong()
{
    QFETCH(QByteArray, href);
    QFETCH(QByteArray, okProps);
    QFETCH(QByteArray, failedProps);
    QFETCH(QByteArray, failedStatus);
    QFETCH(QString, type);
    QByteArray member = "<D:response><D:href>" + href + "</D:href>";
    if (!okProps.isEmpty())
        member += "<D:propstat><D:prop>" + okProps +
                  "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>";
    member += "<D:propstat><D:prop>" + failedProps + "</D:prop><D:status>HTTP/1.1 " + failedStatus +
              "</D:status></D:propstat></D:response>";
    const Result<PropfindListing> listing = PropfindParser::parse(
        multistatus(selfResponse() + member + fileResponse("D", "/dav/docs/ok", 1)), collection);
    QVERIFY2(listing.ok(), qPrintable(listing.ok() ? QString() : listing.error().message));
    const QString name = QString::fromLatin1(href).section(QLatin1Char('/'), 3, 3);
    if (type.isEmpty()) {
        QCOMPARE(listing->children.size(), 1);
        QCOMPARE(listing->rejectedNames.size(), 1);
        QCOMPARE(listing->rejectedPaths, QStringList{name});
        return;
    }
    QVERIFY(listing->rejectedNames.isEmpty());
    QCOMPARE(listing->children.size(), 2);
    QCOMPARE(listing->children.first().path, name);
    QCOMPARE(listing->children.first().isDir(), type == QLatin1String("d"));
}

// One pure function reads every date a server sends (getlastmodified, Last-Modified,
// Retry-After): the three HTTP-date forms and ISO 8601, which some servers put in
// getlastmodified. Anything else is no date at all (never 1970).
void TestPropfindParser::parsesHttpDates_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QDateTime>("expected"); // invalid: not a date
    const QDateTime nov6(QDate(1994, 11, 6), QTime(8, 49, 37), QTimeZone::utc());
    const QDateTime dec6(QDate(2026, 12, 6), QTime(10, 37, 35), QTimeZone::utc());
    QTest::newRow("RFC 1123") << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT") << nov6;
    QTest::newRow("RFC 1123, padded") << QByteArray("  Sun, 06 Nov 1994 08:49:37 GMT\n") << nov6;
    QTest::newRow("RFC 1123, one-digit day") << QByteArray("Sun, 6 Nov 1994 08:49:37 GMT") << nov6;
    QTest::newRow("RFC 1123, UTC") << QByteArray("Sun, 06 Nov 1994 08:49:37 UTC") << nov6;
    QTest::newRow("RFC 1123, offset") << QByteArray("Sun, 06 Nov 1994 09:49:37 +0100") << nov6;
    QTest::newRow("RFC 850") << QByteArray("Sunday, 06-Nov-94 08:49:37 GMT") << nov6;
    QTest::newRow("asctime") << QByteArray("Sun Nov  6 08:49:37 1994") << nov6;
    QTest::newRow("asctime, two-digit day") << QByteArray("Sun Dec 06 10:37:35 2026") << dec6;
    QTest::newRow("ISO 8601 Z") << QByteArray("2026-12-06T10:37:35Z") << dec6;
    QTest::newRow("ISO 8601 offset") << QByteArray("2026-12-06T11:37:35+01:00") << dec6;
    QTest::newRow("ISO 8601 negative compact offset")
        << QByteArray("2026-12-06T05:37:35-0500") << dec6;
    QTest::newRow("ISO 8601 fraction")
        << QByteArray("2026-12-06T10:37:35.250Z") << dec6.addMSecs(250);
    QTest::newRow("ISO 8601 long fraction")
        << QByteArray("2026-12-06T10:37:35.123456789Z") << dec6.addMSecs(123);
    QTest::newRow("ISO 8601 lower-case t and z") << QByteArray("2026-12-06t10:37:35z") << dec6;
    QTest::newRow("ISO 8601 without zone is UTC") << QByteArray("2026-12-06T10:37:35") << dec6;
    QTest::newRow("ISO 8601 with a space") << QByteArray("2026-12-06 10:37:35Z") << dec6;
    QTest::newRow("garbage") << QByteArray("yesterday") << QDateTime();
    QTest::newRow("empty") << QByteArray() << QDateTime();
    QTest::newRow("ISO month 13") << QByteArray("2026-13-06T10:37:35Z") << QDateTime();
    QTest::newRow("ISO hour 25") << QByteArray("2026-12-06T25:37:35Z") << QDateTime();
    QTest::newRow("ISO date only") << QByteArray("2026-12-06") << QDateTime();
    QTest::newRow("ISO trailing junk") << QByteArray("2026-12-06T10:37:35Zjunk") << QDateTime();
    QTest::newRow("ISO bad offset") << QByteArray("2026-12-06T10:37:35+1") << QDateTime();
    QTest::newRow("February 31") << QByteArray("Tue, 31 Feb 2026 10:00:00 GMT") << QDateTime();
    QTest::newRow("zero date") << QByteArray("0000-00-00T00:00:00Z") << QDateTime();
}

void TestPropfindParser::parsesHttpDates()
{
    QFETCH(QByteArray, text);
    QFETCH(QDateTime, expected);
    const std::optional<QDateTime> parsed = webdav::parseHttpDate(text);
    if (!expected.isValid()) {
        QVERIFY2(!parsed.has_value(), qPrintable(parsed->toString(Qt::ISODateWithMs)));
        return;
    }
    QVERIFY(parsed.has_value());
    QCOMPARE(parsed->toMSecsSinceEpoch(), expected.toMSecsSinceEpoch());
}

// A listing's date in any accepted form becomes the entry's mtime; no usable date leaves it
// unknown (0), which the sync never writes to a file or a conflict copy's name.
void TestPropfindParser::listingDatesInEveryFormat_data()
{
    QTest::addColumn<QByteArray>("date");
    QTest::addColumn<qint64>("mtimeNs");
    const qint64 dec6 =
        QDateTime(QDate(2026, 12, 6), QTime(10, 37, 35), QTimeZone::utc()).toMSecsSinceEpoch() *
        1'000'000;
    QTest::newRow("RFC 1123") << QByteArray("Sun, 06 Dec 2026 10:37:35 GMT") << dec6;
    QTest::newRow("RFC 850") << QByteArray("Sunday, 06-Dec-26 10:37:35 GMT") << dec6;
    QTest::newRow("asctime") << QByteArray("Sun Dec  6 10:37:35 2026") << dec6;
    QTest::newRow("ISO 8601") << QByteArray("2026-12-06T10:37:35Z") << dec6;
    QTest::newRow("garbage") << QByteArray("soon") << qint64(0);
}

void TestPropfindParser::listingDatesInEveryFormat()
{
    QFETCH(QByteArray, date);
    QFETCH(qint64, mtimeNs);
    QByteArray member = fileResponse("D", "/dav/docs/dated", 2);
    member.replace("Tue, 24 Nov 2026 20:00:00 GMT", date);
    const Result<PropfindListing> listing =
        PropfindParser::parse(multistatus(selfResponse() + member), collection);
    QVERIFY(listing.ok());
    QCOMPARE(listing->children.size(), 1);
    QCOMPARE(listing->children.first().mtimeNs, mtimeNs);
}

void TestPropfindParser::parsesRetryAfter()
{
    const QDateTime now(QDate(2026, 11, 24), QTime(20, 0), QTimeZone::utc());
    QCOMPARE(webdav::parseRetryAfter("120", now), 120);
    QCOMPARE(webdav::parseRetryAfter(" 7 ", now), 7);
    QCOMPARE(webdav::parseRetryAfter("Tue, 24 Nov 2026 20:01:30 GMT", now), 90);
    QCOMPARE(webdav::parseRetryAfter("Tue, 24 Nov 2026 19:00:00 GMT", now), 0);
    QCOMPARE(webdav::parseRetryAfter("", now), -1);
    QCOMPARE(webdav::parseRetryAfter("soon", now), -1);
    QCOMPARE(webdav::parseRetryAfter("-5", now), -1);
}

void TestPropfindParser::encodesPathsPerSegment()
{
    const QUrl root(QStringLiteral("http://127.0.0.1:8080/dav/"));
    QCOMPARE(webdav::urlForPath(root, QString(), true).toEncoded(),
             QByteArray("http://127.0.0.1:8080/dav/"));
    QCOMPARE(webdav::urlForPath(root, QStringLiteral("a b/c%d#e?f"), false).toEncoded(),
             QByteArray("http://127.0.0.1:8080/dav/a%20b/c%25d%23e%3Ff"));
    QCOMPARE(webdav::urlForPath(root, QString::fromUtf8("ü/😀"), true).toEncoded(),
             QByteArray("http://127.0.0.1:8080/dav/%C3%BC/%F0%9F%98%80/"));
    // Round trip through the parser: what we encode is what we read back.
    const QUrl dir = webdav::urlForPath(root, QStringLiteral("x y"), true);
    const Result<PropfindListing> listing =
        PropfindParser::parse(multistatus(fileResponse("D", "/dav/x%20y/%23%3F%25", 1)), dir);
    QVERIFY(listing.ok());
    QCOMPARE(listing->children.size(), 1);
    QCOMPARE(listing->children.first().path, QStringLiteral("#?%"));
}

// Apache lists a path locked before it existed ("lock-null": no size, date or ETag; its GET
// answers 404) until the UNLOCK: no client may take it for an empty file.
void TestPropfindParser::lockNullMemberIsNoFile()
{
    const QByteArray lockNull =
        "<D:response><D:href>/dav/docs/new.txt</D:href><D:propstat><D:prop><D:resourcetype/>"
        "<D:lockdiscovery><D:activelock><D:locktype><D:write/></D:locktype></D:activelock>"
        "</D:lockdiscovery></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>"
        "</D:response>";
    const QByteArray xml =
        multistatus(selfResponse() + lockNull + fileResponse("D", "/dav/docs/empty.txt", 0));
    const Result<PropfindListing> listing = PropfindParser::parse(xml, collection);
    QVERIFY2(listing.ok(), qPrintable(listing.ok() ? QString() : listing.error().message));
    QVERIFY(listing->rejectedNames.isEmpty());
    QCOMPARE(listing->children.size(), 1);
    QCOMPARE(listing->children.first().path, QStringLiteral("empty.txt"));
}

QTEST_GUILESS_MAIN(TestPropfindParser)
#include "tst_propfindparser.moc"
