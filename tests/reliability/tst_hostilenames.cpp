// Hostile file names through Apache (DESIGN §4 "names that cannot be stored on one side are
// reported per file, never dropped silently"): NFC and NFD twins, emoji, URL-special
// characters, a leading dash, 255-byte names and names Windows rejects each either reach the
// other client unchanged or are reported; the local file is never lost and nothing is
// duplicated by a second round.
#include "reliabilityfixture.h"
#include "scenariorecord.h"
#include "testutil.h"

#include <QFile>
#include <QTest>

using namespace steadysync::test;

namespace {

QStringList hostileNames()
{
    const QString nfc = QString::fromUtf8("caf\xC3\xA9.txt");
    const QString nfd = QString::fromUtf8("cafe\xCC\x81.txt");
    QString longUtf8;
    for (int i = 0; i < 127; ++i)
        longUtf8 += QChar(0x00E9); // two bytes each in UTF-8
    longUtf8 += QLatin1Char('x');  // 255 bytes
    return {nfc,
            nfd,
            QString::fromUtf8("\xF0\x9F\x98\x80 smile \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD.txt"),
            QStringLiteral("100% done.txt"),
            QStringLiteral("%41%42.txt"),
            QStringLiteral("%2e%2e"),
            QStringLiteral("#hash.txt"),
            QStringLiteral("what?.txt"),
            QStringLiteral("-leading-dash.txt"),
            QStringLiteral("--help"),
            QStringLiteral("semi;colon&amp;.txt"),
            QStringLiteral("plus+sign=equals.txt"),
            QStringLiteral("two  spaces .txt"),
            QString(251, QLatin1Char('n')) + QStringLiteral(".txt"),
            longUtf8,
            QStringLiteral("con.txt"),
            QStringLiteral("aux"),
            QStringLiteral("NUL.txt"),
            QStringLiteral("a<b>.txt"),
            QStringLiteral("col:on.txt"),
            QStringLiteral("pi|pe.txt"),
            QStringLiteral("star*.txt"),
            QStringLiteral("quo\"te.txt"),
            QStringLiteral("back\\slash.txt"),
            QStringLiteral("trailing-dot."),
            QStringLiteral("trailing-space "),
            QStringLiteral("dir #?%/inner %.txt")};
}

} // namespace

class TestHostileNames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hostileNamesAreSyncedOrReported();
};

void TestHostileNames::hostileNamesAreSyncedOrReported()
{
    ScenarioRecord record(QStringLiteral("g-names"),
                          QStringLiteral("Hostile names through Apache"));
    QString error;
    auto fixture = ReliabilityFixture::start(&error);
    QVERIFY2(fixture, qPrintable(error));
    QTemporaryDir a, b;
    const QStringList names = hostileNames();
    for (int i = 0; i < names.size(); ++i) {
        QVERIFY2(QFile::encodeName(names[i].section(QLatin1Char('/'), -1)).size() <= 255,
                 qPrintable(names[i]));
        writeFile(a.path(), names[i], "content " + QByteArray::number(i));
    }
    const CliRunner::Outcome up = fixture->sync(a.path());
    const CliRunner::Outcome down = fixture->sync(b.path());
    record.addRun();
    QVERIFY2(up.exitCode == 0 || up.exitCode == 1, up.err.constData());
    QVERIFY2(down.exitCode == 0 || down.exitCode == 1, down.err.constData());

    QStringList synced, reported, lost;
    for (int i = 0; i < names.size(); ++i) {
        const QByteArray content = "content " + QByteArray::number(i);
        const bool kept = readFile(a.path() + QLatin1Char('/') + names[i]) == content;
        const bool arrived =
            readFile(b.path() + QLatin1Char('/') + names[i]) == content &&
            readFile(fixture->serverDirectory() + QLatin1Char('/') + names[i]) == content;
        const QByteArray leaf = names[i].section(QLatin1Char('/'), -1).toUtf8();
        const bool mentioned =
            up.err.contains(leaf) || up.err.contains(names[i].toUtf8()) || down.err.contains(leaf);
        if (!kept || (!arrived && !mentioned))
            lost.append(names[i]);
        else if (arrived)
            synced.append(names[i]);
        else
            reported.append(names[i]);
    }
    // A second round changes nothing: no twin is mistaken for a change or a conflict.
    const QMap<QString, QByteArray> before = readTree(a.path());
    const CliRunner::Outcome again = fixture->sync(a.path());
    record.addRun();
    QCOMPARE(readTree(a.path()), before);
    QCOMPARE(again.json().value(QStringLiteral("uploaded")).toInt(), 0);
    QCOMPARE(again.json().value(QStringLiteral("conflicts")).toInt(), 0);

    record.addFaults(names.size());
    record.addOperations(2 * names.size());
    record.addVersionsLost(lost.size());
    record.setNotes(QStringLiteral("%1 names synced unchanged, %2 reported%3")
                        .arg(synced.size())
                        .arg(reported.size())
                        .arg(reported.isEmpty()
                                 ? QString()
                                 : QStringLiteral(": ") + reported.join(QStringLiteral(", "))));
    QVERIFY2(lost.isEmpty(), qPrintable(QStringLiteral("neither synced nor reported: ") +
                                        lost.join(QStringLiteral(" | "))));
    record.complete();
}

QTEST_GUILESS_MAIN(TestHostileNames)
#include "tst_hostilenames.moc"
