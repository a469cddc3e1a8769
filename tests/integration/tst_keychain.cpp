// Passwords in the OS keychain: CredentialStore against a real gnome-keyring (ctest runs this
// under tests/support/with-keyring.sh), `steadysync-cli login`, the password lookup of `sync`,
// and a clear, quick error when there is no Secret Service at all.
#include "clirunner.h"
#include "remote/credentialstore.h"
#include "remote/keychainqueue.h"
#include "testutil.h"
#include "webdavserver.h"

#include <QElapsedTimer>
#include <QLocalServer>
#include <QMutex>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>

using namespace steadysync;
using namespace steadysync::test;

namespace {

struct LoginOutcome
{
    int exitCode = -1;
    QString err;
};

LoginOutcome login(const QProcessEnvironment &environment, const QString &url, const QString &user,
                   const QByteArray &stdinText)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(CliRunner::program(),
                  {QStringLiteral("login"), url, QStringLiteral("--user"), user});
    process.write(stdinText);
    process.closeWriteChannel();
    LoginOutcome outcome;
    if (!process.waitForFinished(60'000)) {
        process.kill();
        process.waitForFinished();
        outcome.err = QStringLiteral("timed out");
        return outcome;
    }
    outcome.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    outcome.err = QString::fromLocal8Bit(process.readAllStandardError());
    return outcome;
}

QString describe(const CliRunner::Outcome &outcome)
{
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3")
        .arg(outcome.exitCode)
        .arg(QString::fromUtf8(outcome.out), QString::fromUtf8(outcome.err));
}

} // namespace

class TestKeychain : public QObject
{
    Q_OBJECT

private slots:
    void keysIgnoreSpellingOfTheSameRemote()
    {
        const QString alice = CredentialStore::keyFor(
            QUrl(QStringLiteral("http://127.0.0.1:8080/dav/")), QStringLiteral("alice"));
        for (const QString &same : {QStringLiteral("http://127.0.0.1:8080/dav"),
                                    QStringLiteral("HTTP://127.0.0.1:8080/dav/"),
                                    QStringLiteral("http://bob:secret@127.0.0.1:8080/dav/"),
                                    QStringLiteral("http://127.0.0.1:8080/x/../dav/?q=1#f")})
            QCOMPARE(CredentialStore::keyFor(QUrl(same), QStringLiteral("alice")), alice);
        QVERIFY(!alice.contains(QStringLiteral("secret")));
        QCOMPARE(CredentialStore::keyFor(QUrl(QStringLiteral("https://Example.org:443/a")),
                                         QStringLiteral("u")),
                 CredentialStore::keyFor(QUrl(QStringLiteral("https://example.org/a/")),
                                         QStringLiteral("u")));
        QVERIFY(alice != CredentialStore::keyFor(QUrl(QStringLiteral("http://127.0.0.1:8080/dav/")),
                                                 QStringLiteral("bob")));
        QVERIFY(alice != CredentialStore::keyFor(QUrl(QStringLiteral("http://127.0.0.1:8081/dav/")),
                                                 QStringLiteral("alice")));
        QVERIFY(alice !=
                CredentialStore::keyFor(QUrl(QStringLiteral("https://127.0.0.1:8080/dav/")),
                                        QStringLiteral("alice")));
    }

    void storesReadsOverwritesAndRemoves()
    {
        const CredentialStore store;
        const QUrl remote(QStringLiteral("https://dav.example.org/remote.php/dav/files/alice/"));
        const QString user = QStringLiteral("alice");

        Result<QString> none = store.readPassword(remote, user);
        QVERIFY(!none.ok());
        QCOMPARE(none.error().kind, ErrorKind::NotFound);

        QVERIFY2(store.storePassword(remote, user, QStringLiteral("first pässword")).ok(), "store");
        Result<QString> read = store.readPassword(remote, user);
        QVERIFY2(read.ok(), qPrintable(read.ok() ? QString() : read.error().message));
        QCOMPARE(*read, QStringLiteral("first pässword"));
        // The same remote spelt differently finds the same entry; another user does not.
        QCOMPARE(
            *store.readPassword(
                QUrl(QStringLiteral("https://DAV.example.org/remote.php/dav/files/alice")), user),
            QStringLiteral("first pässword"));
        QCOMPARE(store.readPassword(remote, QStringLiteral("bob")).error().kind,
                 ErrorKind::NotFound);

        QVERIFY(store.storePassword(remote, user, QStringLiteral("second")).ok());
        QCOMPARE(*store.readPassword(remote, user), QStringLiteral("second"));

        QVERIFY(store.removePassword(remote, user).ok());
        QCOMPARE(store.readPassword(remote, user).error().kind, ErrorKind::NotFound);
        QVERIFY(store.removePassword(remote, user).ok());
    }

    // QtKeychain is not thread-safe: jobs started from several threads at once crashed the
    // tray app (issue 15, SIGSEGV in QObject::disconnect). Hundreds of stores and reads from
    // 16 threads at once, plus asynchronous ones from the main thread, must all answer, each
    // read one of the values stored for its key, and the last store of each key must win.
    void hundredsOfConcurrentJobsAllAnswerRight()
    {
        const CredentialStore store;
        const int keys = 6;
        const int rounds = 30;
        const auto remote = [](int key) {
            return QUrl(QStringLiteral("http://127.0.0.1:%1/dav/").arg(20000 + key));
        };
        const QString user = QStringLiteral("hammer");
        QMutex mutex;
        QStringList problems;
        const auto problem = [&](const QString &what) {
            QMutexLocker lock(&mutex);
            problems.append(what);
        };
        QThreadPool pool;
        pool.setMaxThreadCount(16);
        int asyncAnswers = 0;
        QObject context;
        for (int round = 0; round < rounds; ++round) {
            for (int key = 0; key < keys; ++key) {
                const QString value = QStringLiteral("pw-%1-%2").arg(key).arg(round);
                pool.start([&, key, value] {
                    if (const Status stored = store.storePassword(remote(key), user, value);
                        !stored)
                        problem(QStringLiteral("store: ") + stored.error().message);
                    const Result<QString> read = store.readPassword(remote(key), user);
                    if (!read.ok())
                        problem(QStringLiteral("read: ") + read.error().message);
                    else if (!read->startsWith(QStringLiteral("pw-%1-").arg(key)))
                        problem(QStringLiteral("read another key's value: ") + *read);
                });
                store.readPasswordAsync(
                    remote(key), user, &context, [&](const Result<QString> &read) {
                        ++asyncAnswers;
                        if (!read.ok() && read.error().kind != ErrorKind::NotFound)
                            problem(QStringLiteral("async read: ") + read.error().message);
                    });
            }
        }
        QVERIFY(
            waitFor([&] { return pool.activeThreadCount() == 0 && asyncAnswers == keys * rounds; },
                    240'000));
        QVERIFY(pool.waitForDone(1000));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.mid(0, 5).join(QLatin1Char('\n'))));
        for (int key = 0; key < keys; ++key) {
            QVERIFY(store.storePassword(remote(key), user, QStringLiteral("final")).ok());
            QCOMPARE(*store.readPassword(remote(key), user), QStringLiteral("final"));
            QVERIFY(store.removePassword(remote(key), user).ok());
        }
        // Every job has ended and been deleted on the owner thread.
        QVERIFY(waitFor([] { return KeychainQueue::jobsAlive() == 0; }, 10'000));
    }

    void cliLoginStoresThePasswordFromStdin()
    {
        QTemporaryDir home;
        const CliRunner cli(home.path());
        const LoginOutcome stored =
            login(cli.environment(), QStringLiteral("http://127.0.0.1:9/dav/"),
                  QStringLiteral("alice"), "pw\n");
        QVERIFY2(stored.exitCode == 0, qPrintable(stored.err));
        QVERIFY(!stored.err.contains(QStringLiteral("pw\n")));
        Result<QString> read = CredentialStore().readPassword(
            QUrl(QStringLiteral("http://127.0.0.1:9/dav/")), QStringLiteral("alice"));
        QVERIFY2(read.ok(), qPrintable(read.ok() ? QString() : read.error().message));
        QCOMPARE(*read, QStringLiteral("pw"));

        // A pipe without a final newline works too, and a second login replaces the password.
        QCOMPARE(login(cli.environment(), QStringLiteral("http://127.0.0.1:9/dav"),
                       QStringLiteral("alice"), "new secret")
                     .exitCode,
                 0);
        QCOMPARE(*CredentialStore().readPassword(QUrl(QStringLiteral("http://127.0.0.1:9/dav/")),
                                                 QStringLiteral("alice")),
                 QStringLiteral("new secret"));
    }

    void cliLoginRefusesAnEmptyPasswordAndBadUrls()
    {
        QTemporaryDir home;
        const CliRunner cli(home.path());
        const LoginOutcome empty =
            login(cli.environment(), QStringLiteral("http://127.0.0.1:9/dav/"),
                  QStringLiteral("carol"), "");
        QCOMPARE(empty.exitCode, 2);
        QVERIFY2(empty.err.contains(QStringLiteral("stdin")), qPrintable(empty.err));
        QCOMPARE(login(cli.environment(), QStringLiteral("http://127.0.0.1:9/dav/"),
                       QStringLiteral("carol"), "\n")
                     .exitCode,
                 2);
        QCOMPARE(CredentialStore()
                     .readPassword(QUrl(QStringLiteral("http://127.0.0.1:9/dav/")),
                                   QStringLiteral("carol"))
                     .error()
                     .kind,
                 ErrorKind::NotFound);
        QCOMPARE(
            login(cli.environment(), QStringLiteral("file:///tmp"), QStringLiteral("carol"), "pw\n")
                .exitCode,
            2);
    }

    void withoutSecretServiceLoginFailsClearlyAndQuickly_data()
    {
        QTest::addColumn<QString>("busAddress");
        QTest::newRow("bus address pointing nowhere")
            << QStringLiteral("unix:path=/nonexistent/steadysync-bus");
        QTest::newRow("no bus, but a display") << QString();
    }

    void withoutSecretServiceLoginFailsClearlyAndQuickly()
    {
        QFETCH(QString, busAddress);
        QTemporaryDir home;
        QProcessEnvironment environment = CliRunner(home.path()).environment();
        environment.remove(QStringLiteral("XDG_RUNTIME_DIR"));
        if (busAddress.isEmpty()) {
            environment.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
            environment.insert(QStringLiteral("DISPLAY"), QStringLiteral(":97"));
        } else {
            environment.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), busAddress);
        }
        QElapsedTimer timer;
        timer.start();
        const LoginOutcome outcome = login(environment, QStringLiteral("http://127.0.0.1:9/dav/"),
                                           QStringLiteral("alice"), "pw\n");
        QCOMPARE(outcome.exitCode, 2);
        QVERIFY2(outcome.err.contains(QStringLiteral("keychain")), qPrintable(outcome.err));
        QVERIFY2(outcome.err.contains(QStringLiteral("STEADYSYNC_PASSWORD")),
                 qPrintable(outcome.err));
        QVERIFY2(timer.elapsed() < CredentialStore::DefaultTimeoutMs / 2,
                 qPrintable(QString::number(timer.elapsed())));
    }

    // A bus that accepts the connection and then never answers: the ENVIRONMENT.md case of a
    // keychain waiting for an invisible prompt. The CLI must give up, not hang.
    void aSilentKeychainTimesOut()
    {
        QTemporaryDir home;
        QLocalServer silentBus;
        QVERIFY(silentBus.listen(home.filePath(QStringLiteral("bus"))));
        QProcessEnvironment environment = CliRunner(home.path()).environment();
        environment.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                           QStringLiteral("unix:path=") + silentBus.fullServerName());
        QElapsedTimer timer;
        timer.start();
        const LoginOutcome outcome = login(environment, QStringLiteral("http://127.0.0.1:9/dav/"),
                                           QStringLiteral("alice"), "pw\n");
        QCOMPARE(outcome.exitCode, 2);
        QVERIFY2(outcome.err.contains(QStringLiteral("did not answer")), qPrintable(outcome.err));
        // It waited for the answer (a coarse timer may fire up to 5 % early) rather than failing
        // fast.
        QVERIFY(timer.elapsed() >= CredentialStore::DefaultTimeoutMs * 9 / 10);
    }

    void syncTakesThePasswordFromTheKeychain()
    {
        QString error;
        const std::unique_ptr<WebDavServer> server =
            WebDavServer::start(WebDavServer::Kind::Rclone, &error);
        QVERIFY2(server, qPrintable(error));
        QTemporaryDir home;
        QTemporaryDir folder;
        const CliRunner cli(home.path());
        const QString url = server->url().toString();
        writeFile(folder.path(), QStringLiteral("report.txt"), "from the keychain");
        const QStringList sync{QStringLiteral("sync"), folder.path(), url, QStringLiteral("--user"),
                               server->user()};

        // Nothing stored: the server refuses, exit 3 with the way out.
        QVERIFY(CredentialStore().removePassword(server->url(), server->user()).ok());
        const CliRunner::Outcome refused = cli.run(sync);
        QVERIFY2(refused.exitCode == 3, qPrintable(describe(refused)));
        QVERIFY2(refused.err.contains("steadysync-cli login " + url.toUtf8() + " --user " +
                                      server->user().toUtf8()),
                 qPrintable(describe(refused)));
        QVERIFY2(refused.err.contains("STEADYSYNC_PASSWORD"), qPrintable(describe(refused)));

        QCOMPARE(login(cli.environment(), url, server->user(), server->password().toUtf8() + '\n')
                     .exitCode,
                 0);
        const CliRunner::Outcome synced = cli.run(sync);
        QVERIFY2(synced.exitCode == 0, qPrintable(describe(synced)));
        QVERIFY(!synced.err.contains(server->password().toUtf8()));
        QCOMPARE(readFile(server->dataDirectory() + QStringLiteral("/report.txt")),
                 QByteArray("from the keychain"));

        // STEADYSYNC_PASSWORD wins over the keychain.
        QProcess process;
        QProcessEnvironment environment = cli.environment();
        environment.insert(QStringLiteral("STEADYSYNC_PASSWORD"), QStringLiteral("wrong"));
        process.setProcessEnvironment(environment);
        process.start(CliRunner::program(), sync);
        QVERIFY(process.waitForFinished(120'000));
        QCOMPARE(process.exitCode(), 3);
    }
};

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
