#include "pairstore.h"
#include "uitestenvironment.h"

#include "journal/journal.h"
#include "testutil.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

#include <csignal>

using namespace steadysync;
using steadysync::test::readFile;
using steadysync::test::waitFor;

// The real `steadysync` binary, ended by a signal as a session logout or `kill` would: it must
// leave through its event loop (exit code 0) with engines stopped and journals closed.
class TestGuiShutdown : public QObject
{
    Q_OBJECT
public:
    explicit TestGuiShutdown(test::UiTestEnvironment *environment) : m_env(environment) {}

private Q_SLOTS:
    void cleanup();
    void signalEndsCleanly_data();
    void signalEndsCleanly();

private:
    test::UiTestEnvironment *m_env;
};

void TestGuiShutdown::cleanup()
{
    QFile::remove(m_env->settingsFile());
}

void TestGuiShutdown::signalEndsCleanly_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("SIGTERM") << SIGTERM;
    QTest::newRow("SIGINT") << SIGINT;
    QTest::newRow("SIGHUP") << SIGHUP;
}

void TestGuiShutdown::signalEndsCleanly()
{
    QFETCH(int, signalNumber);
    const PairConfig pair = m_env->makePair(QStringLiteral("signal%1").arg(signalNumber));
    const QString remote = test::UiTestEnvironment::remoteDir(pair);
    test::writeFile(pair.localRoot, QStringLiteral("before.txt"), "synced before the signal\n");
    PairStore(m_env->settingsFile()).save({pair});

    QProcess app;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    app.setProcessEnvironment(environment);
    app.setProcessChannelMode(QProcess::MergedChannels);
    app.start(QStringLiteral(STEADYSYNC_GUI_BINARY));
    QVERIFY(app.waitForStarted(30'000));
    auto output = [&] {
        return QString::fromLocal8Bit(app.readAll());
    };

    // The engine runs: the file reaches the remote. A second one keeps it busy meanwhile.
    QVERIFY2(waitFor([&] { return QFile::exists(remote + QStringLiteral("/before.txt")); }, 60'000),
             qPrintable(output()));
    test::writeFile(pair.localRoot, QStringLiteral("during.txt"), QByteArray(1 << 20, 'x'));
    QVERIFY(app.state() == QProcess::Running);

    QCOMPARE(::kill(pid_t(app.processId()), signalNumber), 0);
    QVERIFY2(app.waitForFinished(60'000), "the app did not end within 60 s of the signal");
    const QString log = output();
    QVERIFY2(app.exitStatus() == QProcess::NormalExit, qPrintable(log));
    QVERIFY2(app.exitCode() == 0, qPrintable(log));
    QVERIFY2(!log.contains(QStringLiteral("still in use")), qPrintable(log));

    // Closed cleanly: the last connection folded the write-ahead log back into the database.
    const QString database = Journal::databasePath(pair.localRoot);
    QVERIFY(QFile::exists(database));
    QVERIFY2(QFileInfo(database + QStringLiteral("-wal")).size() == 0,
             "the journal's write-ahead log was left behind");
    const QString connection = QStringLiteral("check-%1").arg(signalNumber);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(database);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        QVERIFY(db.open());
        QSqlQuery integrity(db);
        QVERIFY(integrity.exec(QStringLiteral("PRAGMA integrity_check")));
        QVERIFY(integrity.next());
        QCOMPARE(integrity.value(0).toString(), QStringLiteral("ok"));
        QSqlQuery record(db);
        QVERIFY(
            record.exec(QStringLiteral("SELECT count(*) FROM records WHERE path = 'before.txt'")));
        QVERIFY(record.next());
        QCOMPARE(record.value(0).toInt(), 1);
    }
    QSqlDatabase::removeDatabase(connection);
}

int main(int argc, char **argv)
{
    test::UiTestEnvironment environment;
    QCoreApplication app(argc, argv);
    TestGuiShutdown test(&environment);
    return QTest::qExec(&test, argc, argv);
}

#include "tst_guishutdown.moc"
