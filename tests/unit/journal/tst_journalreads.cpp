// The journal's reads that say when they failed (Journal::read*()): a read that fails must
// never look like "never synced" or "nothing queued", while the plain reads keep returning
// empty values (and the items held in memory) for the callers that cannot stop.
#include "journal/journal.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace steadysync;

class TestJournalReads : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup() { m_journal.reset(); }
    void readsReturnWhatIsRecorded();
    void failedReadsAreErrorsNotEmptyValues();
    void retryItemsInMemorySurviveAFailedRead();

private:
    // Renames a table from another connection, so that every read of it fails.
    QString hideTable(const QString &table) const;

    std::unique_ptr<QTemporaryDir> m_root;
    std::unique_ptr<Journal> m_journal;
};

void TestJournalReads::init()
{
    m_root = std::make_unique<QTemporaryDir>();
    QVERIFY(m_root->isValid());
    Result<std::unique_ptr<Journal>> opened = Journal::open(m_root->path());
    QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().message));
    m_journal = std::move(opened).value();
    JournalRecord record;
    record.path = QStringLiteral("dir/a.txt");
    record.sha256 = QByteArray(64, 'a');
    QVERIFY(m_journal->putRecord(record).ok());
    QVERIFY(m_journal->putUnconfirmedUpload(record.path, record.sha256).ok());
    RetryItem item;
    item.path = QStringLiteral("dir/b.txt");
    item.attempts = 3;
    QVERIFY(m_journal->putRetryItem(item).ok());
}

QString TestJournalReads::hideTable(const QString &table) const
{
    const QString connection = QStringLiteral("tst_journalreads");
    QString error;
    {
        QSqlDatabase database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        database.setDatabaseName(Journal::databasePath(m_root->path()));
        QSqlQuery query(database);
        if (!database.open())
            error = database.lastError().text();
        else if (!query.exec(QStringLiteral("ALTER TABLE %1 RENAME TO %1_hidden").arg(table)))
            error = query.lastError().text();
    }
    QSqlDatabase::removeDatabase(connection);
    return error;
}

void TestJournalReads::readsReturnWhatIsRecorded()
{
    const Result<JournalSnapshot> all = m_journal->readRecordsUnder(QString());
    QVERIFY(all.ok());
    QCOMPARE(all->keys(), QStringList{QStringLiteral("dir/a.txt")});
    const Result<JournalSnapshot> other = m_journal->readRecordsUnder(QStringLiteral("elsewhere"));
    QVERIFY(other.ok() && other->isEmpty());
    const Result<std::optional<JournalRecord>> record =
        m_journal->readRecord(QStringLiteral("dir/a.txt"));
    QVERIFY(record.ok() && record->has_value());
    QCOMPARE((*record)->sha256, QByteArray(64, 'a'));
    const Result<QByteArray> sent = m_journal->readUnconfirmedUpload(QStringLiteral("dir/a.txt"));
    QVERIFY(sent.ok());
    QCOMPARE(*sent, QByteArray(64, 'a'));
    const Result<QVector<RetryItem>> queue = m_journal->readRetryItems();
    QVERIFY(queue.ok() && queue->size() == 1);
    QCOMPARE(queue->first().attempts, 3);
    const Result<std::optional<RetryItem>> missing =
        m_journal->readRetryItem(QStringLiteral("none"));
    QVERIFY(missing.ok() && !missing->has_value());
}

void TestJournalReads::failedReadsAreErrorsNotEmptyValues()
{
    for (const char *table : {"records", "unconfirmed_uploads", "retry_queue"}) {
        const QString hidden = hideTable(QLatin1String(table));
        QVERIFY2(hidden.isEmpty(), qPrintable(hidden));
    }
    const Result<JournalSnapshot> all = m_journal->readRecordsUnder(QString());
    QVERIFY(!all.ok());
    QVERIFY2(all.error().message.contains(QLatin1String("records")),
             qPrintable(all.error().message));
    QVERIFY(!m_journal->readRecordsUnder(QStringLiteral("dir")).ok());
    QVERIFY(!m_journal->readRecord(QStringLiteral("dir/a.txt")).ok());
    QVERIFY(!m_journal->readUnconfirmedUpload(QStringLiteral("dir/a.txt")).ok());
    QVERIFY(!m_journal->readRetryItems().ok());
    QVERIFY(!m_journal->readRetryItem(QStringLiteral("dir/b.txt")).ok());
    // The plain reads: empty, with the reason kept.
    QVERIFY(m_journal->records().isEmpty());
    QVERIFY(m_journal->lastReadError().has_value());
    QVERIFY(!m_journal->record(QStringLiteral("dir/a.txt")).has_value());
    QVERIFY(m_journal->retryItems().isEmpty());
}

void TestJournalReads::retryItemsInMemorySurviveAFailedRead()
{
    QVERIFY(hideTable(QStringLiteral("retry_queue")).isEmpty());
    RetryItem item;
    item.path = QStringLiteral("dir/c.txt");
    item.attempts = 1;
    QVERIFY(!m_journal->putRetryItem(item).ok()); // cannot be written: held in memory
    QCOMPARE(m_journal->unsavedRetryItemCount(), 1);
    QVERIFY(!m_journal->readRetryItems().ok());
    const Result<std::optional<RetryItem>> held = m_journal->readRetryItem(item.path);
    QVERIFY(held.ok() && held->has_value());
    QCOMPARE(**held, item);
    QCOMPARE(m_journal->retryItems(), QVector<RetryItem>{item});
}

QTEST_GUILESS_MAIN(TestJournalReads)
#include "tst_journalreads.moc"
