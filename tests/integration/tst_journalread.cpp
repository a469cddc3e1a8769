// A journal whose records cannot be read must never pass for one that never synced (issue 16,
// item 4): the cycle stops with the journal's error instead of comparing both sides without
// their history, which turns every edit into a conflict. Driven through the real
// steadysync-cli with a file:// remote.
#include "clirunner.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <memory>

using namespace steadysync::test;

class TestJournalRead : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void unreadableRecordsStopTheCycle();

private:
    CliRunner::Outcome sync() const
    {
        return m_cli->run({QStringLiteral("sync"), m_local->path(), m_remoteUrl});
    }
    bool writeFile(const QTemporaryDir &root, const QString &name, const QByteArray &content)
    {
        QFile file(root.filePath(name));
        return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
               file.write(content) == content.size();
    }
    // Makes every read of the records table fail ("no such table"), as a damaged page would.
    static QString hideRecordsTable(const QString &databasePath);

    std::unique_ptr<QTemporaryDir> m_home, m_local, m_remote;
    std::unique_ptr<CliRunner> m_cli;
    QString m_remoteUrl;
};

void TestJournalRead::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    m_local = std::make_unique<QTemporaryDir>();
    m_remote = std::make_unique<QTemporaryDir>();
    QVERIFY(m_home->isValid() && m_local->isValid() && m_remote->isValid());
    m_cli = std::make_unique<CliRunner>(m_home->path());
    m_remoteUrl = QUrl::fromLocalFile(m_remote->path()).toString();
}

QString TestJournalRead::hideRecordsTable(const QString &databasePath)
{
    const QString connection = QStringLiteral("tst_journalread");
    QString error;
    {
        QSqlDatabase database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        database.setDatabaseName(databasePath);
        if (!database.open()) {
            error = database.lastError().text();
        } else {
            QSqlQuery query(database);
            if (!query.exec(QStringLiteral("ALTER TABLE records RENAME TO records_unreadable")))
                error = query.lastError().text();
        }
        database.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return error;
}

void TestJournalRead::unreadableRecordsStopTheCycle()
{
    QVERIFY(writeFile(*m_local, QStringLiteral("a.txt"), "synced"));
    const CliRunner::Outcome first = sync();
    QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
    QCOMPARE(readTree(m_remote->path()).value(QStringLiteral("a.txt")), QByteArray("synced"));

    // Only the local side changes: with its history this is a plain upload.
    QVERIFY(writeFile(*m_local, QStringLiteral("a.txt"), "edited here"));
    const QString hidden =
        hideRecordsTable(m_local->filePath(QStringLiteral(".steadysync/journal.db")));
    QVERIFY2(hidden.isEmpty(), qPrintable(hidden));

    const CliRunner::Outcome second = sync();
    QVERIFY2(second.exitCode != 0, qPrintable(second.describe()));
    QVERIFY2(second.err.contains("records"), qPrintable(second.describe()));
    // Nothing was compared without its history: no conflict copy on either side, both files
    // as they were.
    const QMap<QString, QByteArray> local = readTree(m_local->path());
    const QMap<QString, QByteArray> remote = readTree(m_remote->path());
    QVERIFY2(local.size() == 1 && local.value(QStringLiteral("a.txt")) == "edited here",
             qPrintable(describeTree(QStringLiteral("local"), m_local->path())));
    QVERIFY2(remote.size() == 1 && remote.value(QStringLiteral("a.txt")) == "synced",
             qPrintable(describeTree(QStringLiteral("remote"), m_remote->path())));
}

QTEST_GUILESS_MAIN(TestJournalRead)
#include "tst_journalread.moc"
