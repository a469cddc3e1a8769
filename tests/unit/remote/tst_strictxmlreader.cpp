// StrictXmlReader, PropfindParser's fast path (issue 21): on every document it takes it gives
// the tokens QXmlStreamReader gives; everything it does not take (malformed, or outside its
// subset) is an error, after which PropfindParser reads the document with QXmlStreamReader.
#include "remote/propfindparser.h"
#include "remote/strictxmlreader.h"

#include <QTest>
#include <QXmlStreamReader>

#include <utility>

using namespace steadysync;

namespace {

// One line per token: type, namespace and name, or text; adjacent texts merged (readers may
// cut text at different places).
template<typename Reader> QStringList tokensOf(Reader &reader)
{
    QStringList tokens;
    QString text;
    while (!reader.atEnd()) {
        const QXmlStreamReader::TokenType type = reader.readNext();
        if (type == QXmlStreamReader::Characters) {
            text += reader.text().toString();
            continue;
        }
        if (!text.isEmpty())
            tokens << QStringLiteral("text ") + std::exchange(text, QString());
        if (type == QXmlStreamReader::StartElement || type == QXmlStreamReader::EndElement)
            tokens << QStringLiteral("%1 {%2}%3")
                          .arg(type == QXmlStreamReader::StartElement ? QStringLiteral("start")
                                                                      : QStringLiteral("end"))
                          .arg(reader.namespaceUri().toString(), reader.name().toString());
        else if (type != QXmlStreamReader::Invalid)
            tokens << QString::number(int(type));
    }
    return tokens;
}

const QByteArray apacheAnswer =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<D:multistatus xmlns:D=\"DAV:\" xmlns:ns0=\"DAV:\">\n"
    "<D:response xmlns:lp1=\"DAV:\" xmlns:lp2=\"http://apache.org/dav/props/\" "
    "xmlns:g0=\"DAV:\">\n<D:href>/dav/huge/</D:href>\n<D:propstat>\n<D:prop>\n"
    "<lp1:resourcetype><D:collection/></lp1:resourcetype>\n"
    "<lp1:getlastmodified>Mon, 07 Dec 2026 03:12:03 GMT</lp1:getlastmodified>\n"
    "<lp1:getetag>\"6000-6620296ffae6f\"</lp1:getetag>\n</D:prop>\n"
    "<D:status>HTTP/1.1 200 OK</D:status>\n</D:propstat>\n<D:propstat>\n<D:prop>\n"
    "<g0:getcontentlength/>\n</D:prop>\n<D:status>HTTP/1.1 404 Not Found</D:status>\n"
    "</D:propstat>\n</D:response>\n"
    "<D:response xmlns:lp1=\"DAV:\" xmlns:lp2=\"http://apache.org/dav/props/\">\n"
    "<D:href>/dav/huge/d0001/f%c3%bc%20x.dat</D:href>\n<D:propstat>\n<D:prop>\n"
    "<lp1:resourcetype/>\n<lp1:getcontentlength>4096</lp1:getcontentlength>\n"
    "<lp1:getetag>\"1000-66202\"</lp1:getetag>\n</D:prop>\n"
    "<D:status>HTTP/1.1 200 OK</D:status>\n</D:propstat>\n</D:response>\n"
    "</D:multistatus>\n";

} // namespace

class TestStrictXmlReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void takesWhatServersSendAsQtReadsIt_data();
    void takesWhatServersSendAsQtReadsIt();
    void leavesEverythingElseToQt_data();
    void leavesEverythingElseToQt();
    void readsElementTextsAsQtDoes();
    void propfindListingIsTheSameEitherWay();
};

void TestStrictXmlReader::takesWhatServersSendAsQtReadsIt_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::newRow("Apache") << apacheAnswer;
    QTest::newRow("nginx declaration") << QByteArray(
        "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<D:multistatus xmlns:D=\"DAV:\">"
        "<D:response><D:href>/dav/a</D:href></D:response></D:multistatus>\n");
    QTest::newRow("sabre/dav, references") << QByteArray(
        "<?xml version='1.0' encoding='UTF-8'?>\n<d:multistatus xmlns:d=\"DAV:\" "
        "xmlns:s=\"http://sabredav.org/ns\" xmlns:oc=\"http://owncloud.org/ns\">"
        "<d:response><d:href>/remote.php/dav/files/u/a%20b.txt</d:href><d:propstat><d:prop>"
        "<d:getetag>&quot;5f3a&quot;</d:getetag><oc:fileid>00000042oc</oc:fileid>"
        "<d:displayname>a &amp; b &lt;c&gt; &apos;d&apos; &#233;&#x1F600;</d:displayname>"
        "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
        "</d:multistatus>");
    QTest::newRow("default namespace, no declaration")
        << QByteArray("<multistatus xmlns=\"DAV:\"><response><href>/dav/x</href>"
                      "<other xmlns=\"\">y</other></response></multistatus>");
    QTest::newRow("raw UTF-8 and attributes")
        << QByteArray("<a:m xmlns:a='DAV:' id=\"1\" a:k='v'>\tGr\xc3\xbc\xc3\x9f"
                      "e \xe2\x82\xac \xf0\x9f\x98\x80 ]] > </a:m>  \n");
    QTest::newRow("prefix redeclared deeper")
        << QByteArray("<p:a xmlns:p=\"DAV:\"><p:b xmlns:p=\"urn:x\"><p:c/></p:b><p:d/></p:a>");
}

void TestStrictXmlReader::takesWhatServersSendAsQtReadsIt()
{
    QFETCH(QByteArray, document);
    StrictXmlReader strict(document);
    QXmlStreamReader qt(document);
    const QStringList strictTokens = tokensOf(strict);
    const QStringList qtTokens = tokensOf(qt);
    QVERIFY2(!strict.hasError(), qPrintable(strict.errorString()));
    QVERIFY2(!qt.hasError(), qPrintable(qt.errorString()));
    QVERIFY(strictTokens.size() > 3);
    QCOMPARE(strictTokens, qtTokens);
}

void TestStrictXmlReader::leavesEverythingElseToQt_data()
{
    QTest::addColumn<QByteArray>("document");
    const QByteArray good = "<D:multistatus xmlns:D=\"DAV:\"><D:href>x</D:href></D:multistatus>";
    // Malformed: QXmlStreamReader refuses them too.
    QTest::newRow("mismatched end tag") << QByteArray("<D:a xmlns:D=\"DAV:\"></D:b>");
    QTest::newRow("undeclared prefix") << QByteArray("<D:a></D:a>");
    QTest::newRow("truncated") << good.left(good.size() - 5);
    QTest::newRow("cut in a tag") << good.left(20);
    QTest::newRow("text after the root") << good + "x";
    QTest::newRow("two roots") << good + good;
    QTest::newRow("undeclared entity") << QByteArray("<a>&bogus;</a>");
    QTest::newRow("control character") << QByteArray("<a>\x01</a>");
    QTest::newRow("duplicate attribute") << QByteArray("<a x='1' x='2'/>");
    QTest::newRow("same attribute by two prefixes")
        << QByteArray("<a xmlns:p='urn:x' xmlns:q='urn:x' p:k='1' q:k='2'/>");
    QTest::newRow("]]> in text") << QByteArray("<a>]]></a>");
    QTest::newRow("invalid character reference") << QByteArray("<a>&#0;</a>");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("no quotes") << QByteArray("<a x=1/>");
    // Well-formed but outside the subset: QXmlStreamReader reads them.
    QTest::newRow("comment") << QByteArray("<a><!-- c --></a>");
    QTest::newRow("CDATA") << QByteArray("<a><![CDATA[x]]></a>");
    QTest::newRow("DOCTYPE") << QByteArray("<!DOCTYPE a><a/>");
    QTest::newRow("processing instruction") << QByteArray("<a><?pi x?></a>");
    QTest::newRow("byte order mark") << QByteArray("\xef\xbb\xbf<a/>");
    QTest::newRow("CR LF") << QByteArray("<a>\r\n</a>");
    QTest::newRow("other encoding")
        << QByteArray("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xe9</a>");
    QTest::newRow("invalid UTF-8") << QByteArray("<a>\xc3\x28</a>");
    QTest::newRow("non-ASCII name") << QByteArray("<\xc3\xa9/>");
    QTest::newRow("reference beside UTF-8") << QByteArray("<a>\xc3\xa9&amp;</a>");
}

void TestStrictXmlReader::leavesEverythingElseToQt()
{
    QFETCH(QByteArray, document);
    StrictXmlReader strict(document);
    tokensOf(strict);
    QVERIFY(strict.hasError());
}

void TestStrictXmlReader::readsElementTextsAsQtDoes()
{
    const QByteArray document = "<a xmlns='DAV:'> x <b>y<c>z</c></b>w&amp;<d/></a>";
    for (const auto behaviour :
         {QXmlStreamReader::IncludeChildElements, QXmlStreamReader::SkipChildElements,
          QXmlStreamReader::ErrorOnUnexpectedElement}) {
        StrictXmlReader strict(document);
        QXmlStreamReader qt(document);
        QVERIFY(strict.readNextStartElement() && qt.readNextStartElement());
        QCOMPARE(strict.readElementText(behaviour), qt.readElementText(behaviour));
        QCOMPARE(strict.hasError(), qt.hasError());
    }
    StrictXmlReader strict(document);
    QVERIFY(strict.readNextStartElement());
    QVERIFY(strict.readNextStartElement());
    QCOMPARE(strict.name(), QLatin1String("b"));
    strict.skipCurrentElement();
    QVERIFY(strict.readNextStartElement());
    QCOMPARE(strict.name(), QLatin1String("d"));
    QVERIFY(!strict.readNextStartElement()); // </d>
    QVERIFY(!strict.readNextStartElement()); // </a>
    QVERIFY(!strict.hasError());
}

// What PropfindParser makes of Apache's answer does not depend on the reader: an answer the
// strict reader refuses (a comment added) gives the same listing through QXmlStreamReader.
void TestStrictXmlReader::propfindListingIsTheSameEitherWay()
{
    const QUrl url(QStringLiteral("http://127.0.0.1/dav/huge/"));
    const QByteArray withComment =
        QByteArray(apacheAnswer).replace("</D:multistatus>", "<!-- qt --></D:multistatus>");
    const Result<PropfindListing> fast =
        PropfindParser::parse(apacheAnswer, url, 100, PropfindParser::Members::All);
    const Result<PropfindListing> slow =
        PropfindParser::parse(withComment, url, 100, PropfindParser::Members::All);
    QVERIFY(fast.ok() && slow.ok());
    QCOMPARE(fast->children.size(), 1);
    QCOMPARE(fast->children.at(0).path, QStringLiteral("d0001/f\u00fc x.dat"));
    QCOMPARE(fast->children, slow->children);
    QCOMPARE(fast->self.has_value(), slow->self.has_value());
    QCOMPARE(fast->rejectedNames, slow->rejectedNames);
}

QTEST_GUILESS_MAIN(TestStrictXmlReader)
#include "tst_strictxmlreader.moc"
