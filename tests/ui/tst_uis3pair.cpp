// S3 pairs in the app (issue 22, deliverable 6): the pair editor's server type, S3's rows and
// the URL they make, their fit in English, German and French, and Test Connection against a
// real Ceph RADOS Gateway (refused keys, a missing bucket, an unreachable endpoint).
#include "autostartentry.h"
#include "paireditor.h"
#include "pairmanager.h"
#include "settingsdialog.h"
#include "textfit.h"
#include "translationloader.h"
#include "uitestenvironment.h"

#include "cephrgw.h"
#include "testutil.h"

#include <QApplication>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync;
using steadysync::test::waitFor;

namespace {

void chooseS3(PairEditor &editor)
{
    QComboBox *kind = editor.backendKindBox();
    kind->setCurrentIndex(kind->findData(QStringLiteral("s3")));
}

void fillS3(PairEditor &editor, const QString &endpoint, const QString &bucket,
            const QString &prefix, const QString &keyId)
{
    editor.localFolderEdit()->setText(QStringLiteral("/home/user/Team"));
    chooseS3(editor);
    editor.s3Fields().endpointEdit()->setText(endpoint);
    editor.s3Fields().bucketEdit()->setText(bucket);
    editor.s3Fields().prefixEdit()->setText(prefix);
    editor.s3Fields().accessKeyIdEdit()->setText(keyId);
}

} // namespace

class TestUiS3Pair : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void s3RowsReplaceUrlAndUser();
    void customEndpointMakesAnS3HttpUrl();
    void noEndpointMeansAws();
    void anS3PairShowsAgainUnchanged();
    void badSettingsAreNamed();
    void s3RowsFitInEveryLanguage_data();
    void s3RowsFitInEveryLanguage();
    void testConnectionTellsKeysBucketAndEndpointApart();

private:
    QTemporaryDir m_home;
};

void TestUiS3Pair::s3RowsReplaceUrlAndUser()
{
    PairEditor editor;
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    QVERIFY(editor.remoteUrlEdit()->isVisible());
    QVERIFY(!editor.s3Fields().bucketEdit()->isVisible());
    chooseS3(editor);
    QVERIFY(!editor.remoteUrlEdit()->isVisible());
    QVERIFY(!editor.userEdit()->isVisible());
    for (QLineEdit *edit : editor.s3Fields().edits())
        QVERIFY(edit->isVisible());
    QVERIFY(!editor.browserLoginButton()->isVisible());
    auto *form = editor.findChild<QFormLayout *>();
    auto *label = qobject_cast<QLabel *>(form->labelForField(editor.passwordEdit()));
    QVERIFY(label);
    QCOMPARE(label->text(), QStringLiteral("Secret access key:"));
}

void TestUiS3Pair::customEndpointMakesAnS3HttpUrl()
{
    PairEditor editor;
    fillS3(editor, QStringLiteral("http://127.0.0.1:7480"), QStringLiteral("team-files"),
           QStringLiteral("/projects/2026/"), QStringLiteral("AKIDEXAMPLE"));
    editor.s3Fields().regionEdit()->setText(QStringLiteral("eu-central-1"));
    QVERIFY2(editor.validationError().isEmpty(), qPrintable(editor.validationError()));
    const PairConfig pair = editor.config();
    QCOMPARE(pair.remoteUrl,
             QUrl(QStringLiteral("s3+http://127.0.0.1:7480/team-files/projects/2026")));
    QCOMPARE(pair.user, QStringLiteral("AKIDEXAMPLE"));
    QCOMPARE(pair.region, QStringLiteral("eu-central-1"));
    QCOMPARE(pair.engineOptions().backend.region, QStringLiteral("eu-central-1"));
}

void TestUiS3Pair::noEndpointMeansAws()
{
    PairEditor editor;
    fillS3(editor, {}, QStringLiteral("team-files"), QStringLiteral("projects"),
           QStringLiteral("AKID"));
    QVERIFY2(editor.validationError().isEmpty(), qPrintable(editor.validationError()));
    QCOMPARE(editor.config().remoteUrl, QUrl(QStringLiteral("s3://team-files/projects")));
}

void TestUiS3Pair::anS3PairShowsAgainUnchanged()
{
    PairConfig pair;
    pair.id = QStringLiteral("team");
    pair.localRoot = QStringLiteral("/home/user/Team");
    pair.remoteUrl = QUrl(QStringLiteral("s3+https://s3.example.com:8443/team-files/projects"));
    pair.user = QStringLiteral("AKID");
    pair.region = QStringLiteral("eu-west-3");
    PairEditor editor;
    editor.setConfig(pair);
    QCOMPARE(editor.backendKindBox()->currentData().toString(), QStringLiteral("s3"));
    QCOMPARE(editor.s3Fields().endpointEdit()->text(),
             QStringLiteral("https://s3.example.com:8443"));
    QCOMPARE(editor.s3Fields().bucketEdit()->text(), QStringLiteral("team-files"));
    QCOMPARE(editor.s3Fields().prefixEdit()->text(), QStringLiteral("projects"));
    QCOMPARE(editor.s3Fields().regionEdit()->text(), QStringLiteral("eu-west-3"));
    QCOMPARE(editor.s3Fields().accessKeyIdEdit()->text(), QStringLiteral("AKID"));
    QVERIFY(!editor.isModified());
    QCOMPARE(editor.config(), pair);

    // A WebDAV pair shows as before.
    pair.remoteUrl = QUrl(QStringLiteral("https://cloud.example.org/dav/"));
    pair.region.clear();
    editor.setConfig(pair);
    QCOMPARE(editor.backendKindBox()->currentData().toString(), QStringLiteral("webdav"));
    QCOMPARE(editor.config(), pair);
}

void TestUiS3Pair::badSettingsAreNamed()
{
    PairEditor editor;
    fillS3(editor, QStringLiteral("http://127.0.0.1:7480"), QStringLiteral("Team_Files"), {},
           QStringLiteral("AKID"));
    QVERIFY(editor.validationError().contains(QStringLiteral("bucket")));
    editor.s3Fields().bucketEdit()->setText(QStringLiteral("team-files"));
    editor.s3Fields().endpointEdit()->setText(QStringLiteral("ftp://host"));
    QVERIFY(editor.validationError().contains(QStringLiteral("endpoint")));
    editor.s3Fields().endpointEdit()->clear();
    editor.s3Fields().accessKeyIdEdit()->clear();
    QVERIFY(editor.validationError().contains(QStringLiteral("access key ID")));
}

void TestUiS3Pair::s3RowsFitInEveryLanguage_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("English") << QStringLiteral("en");
    QTest::newRow("German") << QStringLiteral("de");
    QTest::newRow("French") << QStringLiteral("fr");
}

void TestUiS3Pair::s3RowsFitInEveryLanguage()
{
    QFETCH(QString, language);
    const QLocale locale(language);
    QLocale::setDefault(locale);
    TranslationLoader translations;
    QCOMPARE(translations.install(locale), language != QStringLiteral("en"));
    // The settings dialog at its default size, as tst_uifinish shows every window.
    PairManager noPairs{PairStore(m_home.path() + QStringLiteral("/pairs.conf"))};
    const AutostartEntry autostart;
    SettingsDialog settings(&noPairs, autostart);
    fillS3(*settings.editor(), {}, QStringLiteral("team-files"), {}, QStringLiteral("AKID"));
    settings.show();
    QVERIFY(QTest::qWaitForWindowExposed(&settings));
    QCoreApplication::processEvents();
    const QStringList problems = test::clippedTexts(&settings);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    QLocale::setDefault(QLocale::c());
}

void TestUiS3Pair::testConnectionTellsKeysBucketAndEndpointApart()
{
    if (!test::CephRgw::isInstalled())
        QSKIP(qPrintable(test::CephRgw::notInstalledMessage()));
    QString error;
    const std::unique_ptr<test::CephRgw> rgw = test::CephRgw::start(&error);
    QVERIFY2(rgw, qPrintable(error));
    QVERIFY2(rgw->createBucket(QStringLiteral("team-files"), &error), qPrintable(error));
    QTcpServer probe; // a port nothing listens on once it is closed
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 unused = probe.serverPort();
    probe.close();

    PairEditor editor;
    editor.setConnectionTestTimeout(10'000);
    const auto test = [&](const QString &endpoint, const QString &bucket, const QString &secret) {
        fillS3(editor, endpoint, bucket, QStringLiteral("projects"), rgw->accessKeyId());
        editor.passwordEdit()->setText(secret);
        QSignalSpy tested(&editor, &PairEditor::connectionTested);
        editor.testConnection();
        if (!waitFor([&] { return tested.count() == 1; }, 60'000))
            return QStringLiteral("(still testing)");
        return editor.connectionResultLabel()->text();
    };
    const QString endpoint = rgw->endpoint().toString();
    QString shown = test(endpoint, QStringLiteral("team-files"), rgw->secretAccessKey());
    QVERIFY2(shown.startsWith(QStringLiteral("Connected")), qPrintable(shown));
    shown = test(endpoint, QStringLiteral("team-files"), QStringLiteral("wrong-secret"));
    QVERIFY2(shown.startsWith(QStringLiteral("Keys refused")), qPrintable(shown));
    shown = test(endpoint, QStringLiteral("no-such-bucket"), rgw->secretAccessKey());
    QVERIFY2(shown.startsWith(QStringLiteral("Bucket not found")), qPrintable(shown));
    shown = test(QStringLiteral("http://127.0.0.1:%1").arg(unused), QStringLiteral("team-files"),
                 rgw->secretAccessKey());
    QVERIFY2(shown.startsWith(QStringLiteral("Store unreachable")), qPrintable(shown));
}

int main(int argc, char **argv)
{
    test::UiTestEnvironment environment;
    QApplication app(argc, argv);
    TestUiS3Pair test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_uis3pair.moc"
