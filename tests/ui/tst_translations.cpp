#include "translationloader.h"

#include <QCoreApplication>
#include <QFile>
#include <QTest>
#include <QXmlStreamReader>

using namespace steadysync;

// Every user-visible string is translated into German and French (SPEC §8): a .ts entry that
// is unfinished, empty or vanished from the sources fails the build's tests.
class TestTranslations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyEntryIsTranslated_data();
    void everyEntryIsTranslated();
    void embeddedTranslationsLoad_data();
    void embeddedTranslationsLoad();
};

void TestTranslations::everyEntryIsTranslated_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("de") << QStringLiteral(STEADYSYNC_SOURCE_DIR "/translations/steadysync_de.ts");
    QTest::newRow("fr") << QStringLiteral(STEADYSYNC_SOURCE_DIR "/translations/steadysync_fr.ts");
}

void TestTranslations::everyEntryIsTranslated()
{
    QFETCH(QString, file);
    QFile ts(file);
    QVERIFY2(ts.open(QIODevice::ReadOnly), qPrintable(file));
    QXmlStreamReader xml(&ts);
    int messages = 0;
    QString source;
    QStringList problems;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == QStringLiteral("message")) {
            ++messages;
            source.clear();
        } else if (xml.name() == QStringLiteral("source")) {
            source = xml.readElementText();
        } else if (xml.name() == QStringLiteral("translation")) {
            const QString type = xml.attributes().value(QStringLiteral("type")).toString();
            const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            if (!type.isEmpty())
                problems.append(QStringLiteral("%1 (%2)").arg(source, type));
            else if (text.trimmed().isEmpty() && !source.trimmed().isEmpty())
                problems.append(QStringLiteral("%1 (empty)").arg(source));
            else if (source.count(QLatin1Char('%')) != text.count(QLatin1Char('%')))
                problems.append(QStringLiteral("%1 (placeholders differ)").arg(source));
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(messages > 100);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("\n"))));
}

void TestTranslations::embeddedTranslationsLoad_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<QString>("quit");
    QTest::newRow("de") << QStringLiteral("de") << QStringLiteral("Beenden");
    QTest::newRow("fr") << QStringLiteral("fr") << QStringLiteral("Quitter");
}

void TestTranslations::embeddedTranslationsLoad()
{
    QFETCH(QString, language);
    QFETCH(QString, quit);
    TranslationLoader loader;
    QVERIFY(loader.install(QLocale(language)));
    QCOMPARE(QCoreApplication::translate("steadysync::TrayController", "Quit"), quit);
}

QTEST_MAIN(TestTranslations)

#include "tst_translations.moc"
