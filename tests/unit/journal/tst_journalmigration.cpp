// Schema 6 (issue 16 item 6): the markers that schema 5 kept inside the data become named
// fields. A journal written by a schema-5 build, with a row for every marker, is migrated, and
// the reconciler then sees each path exactly as it saw the marked row before.
#include "journal/journal.h"
#include "sync/reconcilerstate.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace steadysync;
using reconcile::State;

namespace {

constexpr qint64 RemoteMtimeNs = 1'700'000'000'000'000'000; // whole seconds: no ETag, nginx-like
const QByteArray Sha(64, 'a');
const QByteArray Etag("\"etag-1\"");

// The records table as a schema-5 build created it (schemas 1, 4 and 5 put together).
constexpr const char *RecordsV5 =
    "CREATE TABLE records (path TEXT NOT NULL PRIMARY KEY, type INTEGER NOT NULL,"
    " local_size INTEGER NOT NULL, local_mtime_ns INTEGER NOT NULL,"
    " local_inode INTEGER NOT NULL, sha256 BLOB NOT NULL, remote_signature BLOB NOT NULL,"
    " remote_size INTEGER NOT NULL, remote_mtime_ns INTEGER NOT NULL,"
    " remote_id BLOB NOT NULL DEFAULT x'', local_ctime_ns INTEGER NOT NULL DEFAULT 0)"
    " WITHOUT ROWID";

// A marker row of schema 5: sha256 and remote_signature as SQL expressions (BLOBs, as the
// journal binds QByteArrays).
struct V5Row
{
    const char *path;
    qint64 localSize;
    QByteArray sha256Sql;
    QByteArray signatureSql;
};

QByteArray blob(const QByteArray &text)
{
    return "CAST('" + text + "' AS BLOB)";
}

const V5Row V5Rows[] = {
    {"plain", 10, blob(Sha), blob(Etag)},
    {"unsettled", 10, blob(Sha), blob("10-1700000000000000000~unsettled")},
    {"unproven", 10, blob(Sha), blob(Etag + "~unproven~unsettled")},
    {"rewritten", 10, blob(Sha), blob("~changed-since-verified")},
    {"rewritten-unproven", 10, blob(Sha), blob("~changed-since-unproven-upload")},
    {"keep-local", 0, blob("resolved-keep-local"), blob(Etag)},
    {"merged", -1, blob(Sha), blob(Etag)},
};

Status runSql(const QString &file, const QStringList &statements)
{
    const QString name = QStringLiteral("v5-writer");
    Status status = success();
    {
        QSqlDatabase database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        database.setDatabaseName(file);
        if (!database.open())
            return makeError(ErrorKind::Permanent, database.lastError().text());
        QSqlQuery query(database);
        for (const QString &sql : statements) {
            if (!query.exec(sql)) {
                status = makeError(ErrorKind::Permanent, sql + ": " + query.lastError().text());
                break;
            }
        }
        database.close();
    }
    QSqlDatabase::removeDatabase(name);
    return status;
}

// A schema-5 journal: a fresh journal with its records table put back as schema 5 had it.
Status writeV5Journal(const QString &root)
{
    if (Result<std::unique_ptr<Journal>> fresh = Journal::open(root); !fresh)
        return fresh.error();
    QStringList statements{QStringLiteral("DROP TABLE records"), QString::fromLatin1(RecordsV5)};
    for (const V5Row &row : V5Rows)
        statements << QStringLiteral("INSERT INTO records VALUES ('%1', 0, %2, 5, 7, %3, %4, 10,"
                                     " %5, x'', 9)")
                          .arg(QLatin1String(row.path))
                          .arg(row.localSize)
                          .arg(QString::fromLatin1(row.sha256Sql),
                               QString::fromLatin1(row.signatureSql))
                          .arg(RemoteMtimeNs);
    statements << QStringLiteral("PRAGMA user_version = 5");
    return runSql(Journal::databasePath(root), statements);
}

LocalEntry localAsSynced()
{
    LocalEntry local;
    local.size = 10;
    local.mtimeNs = 5;
    local.inode = 7;
    local.ctimeNs = 9;
    local.sha256 = Sha;
    return local;
}

RemoteEntry remoteListed(const QByteArray &etag)
{
    RemoteEntry remote;
    remote.size = 10;
    remote.mtimeNs = RemoteMtimeNs;
    remote.etag = etag;
    return remote;
}

} // namespace

class TestJournalMigration : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void markersBecomeNamedFields();
    void reconcilerSeesMigratedRowsAsBefore_data();
    void reconcilerSeesMigratedRowsAsBefore();

private:
    QTemporaryDir m_root;
    std::unique_ptr<Journal> m_journal;
    JournalSnapshot m_records;
};

void TestJournalMigration::init()
{
    QVERIFY(m_root.isValid());
    m_journal.reset();
    QFile::remove(Journal::databasePath(m_root.path()));
    const Status written = writeV5Journal(m_root.path());
    QVERIFY2(written.ok(), written.ok() ? "" : qPrintable(written.error().message));
    Result<std::unique_ptr<Journal>> journal = Journal::open(m_root.path());
    QVERIFY2(journal.ok(), journal.ok() ? "" : qPrintable(journal.error().message));
    m_journal = std::move(journal).value();
    Result<JournalSnapshot> records = m_journal->readRecordsUnder(QString());
    QVERIFY(records.ok());
    m_records = *records;
    QCOMPARE(m_records.size(), qsizetype(std::size(V5Rows)));
}

void TestJournalMigration::markersBecomeNamedFields()
{
    const JournalRecord plain = m_records.value("plain");
    QCOMPARE(plain.remoteSignature, Etag);
    QCOMPARE(plain.remoteCheck, RemoteCheck::Settled);
    QVERIFY(!plain.remoteRewritten);
    QVERIFY(plain.localStatKnown);
    QCOMPARE(plain.resolution, LocalResolution::None);
    QCOMPARE(plain.sha256, Sha);

    const JournalRecord unsettled = m_records.value("unsettled");
    QCOMPARE(unsettled.remoteSignature, remoteListed({}).signature());
    QCOMPARE(unsettled.remoteCheck, RemoteCheck::Unsettled);

    const JournalRecord unproven = m_records.value("unproven");
    QCOMPARE(unproven.remoteSignature, Etag);
    QCOMPARE(unproven.remoteCheck, RemoteCheck::Unproven);
    QVERIFY(!unproven.remoteRewritten);

    const JournalRecord rewritten = m_records.value("rewritten");
    QVERIFY(rewritten.remoteRewritten);
    QCOMPARE(rewritten.remoteSignature, QByteArray());
    QCOMPARE(rewritten.remoteCheck, RemoteCheck::Settled);

    const JournalRecord rewrittenUnproven = m_records.value("rewritten-unproven");
    QVERIFY(rewrittenUnproven.remoteRewritten);
    QCOMPARE(rewrittenUnproven.remoteCheck, RemoteCheck::Unproven);

    const JournalRecord keepLocal = m_records.value("keep-local");
    QCOMPARE(keepLocal.resolution, LocalResolution::KeepLocal);
    QCOMPARE(keepLocal.sha256, QByteArray());

    const JournalRecord merged = m_records.value("merged");
    QVERIFY(!merged.localStatKnown);
    QCOMPARE(merged.localSize, 0);
    QCOMPARE(merged.sha256, Sha);

    // The migrated fields survive a write and a read.
    QVERIFY(m_journal->putRecord(rewrittenUnproven).ok());
    QVERIFY(m_journal->putRecord(merged).ok());
    QCOMPARE(m_journal->readRecord("rewritten-unproven").value(), rewrittenUnproven);
    QCOMPARE(m_journal->readRecord("merged").value(), merged);
}

// Each row against the listing and the local file that a schema-5 build compared it with, and
// the states that build decided (reconcilerstate.cpp before schema 6).
void TestJournalMigration::reconcilerSeesMigratedRowsAsBefore_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("listedEtag");
    QTest::addColumn<int>("localState");
    QTest::addColumn<int>("remoteState");

    QTest::newRow("plain: both unchanged")
        << "plain" << Etag << int(State::Unchanged) << int(State::Unchanged);
    QTest::newRow("unsettled: content decides")
        << "unsettled" << QByteArray() << int(State::Unchanged) << int(State::Unverified);
    QTest::newRow("unproven: content decides")
        << "unproven" << Etag << int(State::Unchanged) << int(State::Unverified);
    QTest::newRow("rewritten: a remote change whatever the listing")
        << "rewritten" << Etag << int(State::Unchanged) << int(State::Changed);
    QTest::newRow("rewritten unproven: a remote change")
        << "rewritten-unproven" << Etag << int(State::Unchanged) << int(State::Changed);
    QTest::newRow("kept local: the local version goes up")
        << "keep-local" << Etag << int(State::Changed) << int(State::Unchanged);
    QTest::newRow("merged: local stat unknown, content as recorded")
        << "merged" << Etag << int(State::MetadataOnly) << int(State::Unchanged);
}

void TestJournalMigration::reconcilerSeesMigratedRowsAsBefore()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, listedEtag);
    QFETCH(int, localState);
    QFETCH(int, remoteState);
    const JournalRecord record = m_records.value(path);
    QCOMPARE(record.path, path);
    LocalEntry local = localAsSynced();
    local.path = path;
    RemoteEntry remote = remoteListed(listedEtag);
    remote.path = path;
    QCOMPARE(int(reconcile::localState(&local, &record)), localState);
    QCOMPARE(int(reconcile::remoteState(&remote, &record)), remoteState);
}

QTEST_GUILESS_MAIN(TestJournalMigration)
#include "tst_journalmigration.moc"
