#include "translationloader.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace steadysync;

namespace {

const QStringList translationFiles{
    QStringLiteral(STEADYSYNC_SOURCE_DIR "/translations/steadysync_de.ts"),
    QStringLiteral(STEADYSYNC_SOURCE_DIR "/translations/steadysync_fr.ts")};

struct TranslationCheck
{
    bool readable = false;
    QString xmlError;
    int messages = 0;
    QStringList problems; // "source (why)" for every entry a user would see untranslated
};

TranslationCheck checkTranslations(const QString &file)
{
    TranslationCheck check;
    QFile ts(file);
    if (!ts.open(QIODevice::ReadOnly))
        return check;
    check.readable = true;
    QXmlStreamReader xml(&ts);
    QString source;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == QStringLiteral("message")) {
            ++check.messages;
            source.clear();
        } else if (xml.name() == QStringLiteral("source")) {
            source = xml.readElementText();
        } else if (xml.name() == QStringLiteral("translation")) {
            const QString type = xml.attributes().value(QStringLiteral("type")).toString();
            const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            if (!type.isEmpty())
                check.problems.append(QStringLiteral("%1 (%2)").arg(source, type));
            else if (text.trimmed().isEmpty() && !source.trimmed().isEmpty())
                check.problems.append(QStringLiteral("%1 (empty)").arg(source));
            else if (source.count(QLatin1Char('%')) != text.count(QLatin1Char('%')))
                check.problems.append(QStringLiteral("%1 (placeholders differ)").arg(source));
        }
    }
    if (xml.hasError())
        check.xmlError = xml.errorString();
    return check;
}

} // namespace

// Every user-visible string is translated into German and French (DESIGN §8): a .ts entry that
// is unfinished, empty or vanished from the sources fails the build's tests, and so does a
// tr() string in the sources that no .ts file has yet.
class TestTranslations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyEntryIsTranslated_data();
    void everyEntryIsTranslated();
    void everySourceStringHasAnEntry();
    void embeddedTranslationsLoad_data();
    void embeddedTranslationsLoad();
};

void TestTranslations::everyEntryIsTranslated_data()
{
    QTest::addColumn<QString>("file");
    for (const QString &file : translationFiles)
        QTest::newRow(qPrintable(file.section(QLatin1Char('/'), -1))) << file;
}

void TestTranslations::everyEntryIsTranslated()
{
    QFETCH(QString, file);
    const TranslationCheck check = checkTranslations(file);
    QVERIFY2(check.readable, qPrintable(file));
    QVERIFY2(check.xmlError.isEmpty(), qPrintable(check.xmlError));
    QVERIFY(check.messages > 100);
    QVERIFY2(check.problems.isEmpty(), qPrintable(check.problems.join(QStringLiteral("\n"))));
}

// lupdate merges the sources the build extracts from (ui/CMakeLists.txt) into copies of the
// .ts files: a string missing from them comes back unfinished, a string gone from the
// sources comes back vanished.
void TestTranslations::everySourceStringHasAnEntry()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QStringList copies;
    for (const QString &file : translationFiles) {
        copies.append(dir.filePath(file.section(QLatin1Char('/'), -1)));
        QVERIFY(QFile::copy(file, copies.constLast()));
    }
    QProcess lupdate;
    lupdate.setProcessChannelMode(QProcess::MergedChannels);
    lupdate.start(QStringLiteral(STEADYSYNC_LUPDATE),
                  QStringList{QStringLiteral("-silent"), QStringLiteral("-locations"),
                              QStringLiteral("none"), QStringLiteral("@" STEADYSYNC_LUPDATE_LIST),
                              QStringLiteral("-ts")} +
                      copies);
    QVERIFY2(lupdate.waitForFinished(60'000), qPrintable(lupdate.errorString()));
    const QString output = QString::fromLocal8Bit(lupdate.readAll());
    QVERIFY2(lupdate.exitStatus() == QProcess::NormalExit && lupdate.exitCode() == 0,
             qPrintable(output));
    for (qsizetype i = 0; i < copies.size(); ++i) {
        const TranslationCheck merged = checkTranslations(copies.at(i));
        QVERIFY2(merged.xmlError.isEmpty(), qPrintable(merged.xmlError));
        QVERIFY2(merged.problems.isEmpty(),
                 qPrintable(translationFiles.at(i) + QStringLiteral(" lacks:\n") +
                            merged.problems.join(QStringLiteral("\n"))));
        QCOMPARE(merged.messages, checkTranslations(translationFiles.at(i)).messages);
    }
}

void TestTranslations::embeddedTranslationsLoad_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<QString>("quit");
    QTest::addColumn<QString>("paused");
    QTest::newRow("de") << QStringLiteral("de") << QStringLiteral("Beenden")
                        << QStringLiteral("pausiert");
    QTest::newRow("fr") << QStringLiteral("fr") << QStringLiteral("Quitter")
                        << QStringLiteral("en pause");
}

void TestTranslations::embeddedTranslationsLoad()
{
    QFETCH(QString, language);
    QFETCH(QString, quit);
    QFETCH(QString, paused);
    TranslationLoader loader;
    QVERIFY(loader.install(QLocale(language)));
    QCOMPARE(QCoreApplication::translate("steadysync::TrayController", "Quit"), quit);
    // The engine's messages reach the dashboard as they are, so the core is translated too.
    QCOMPARE(QCoreApplication::translate("steadysync::Engine", "paused"), paused);
}

QTEST_MAIN(TestTranslations)

#include "tst_translations.moc"
