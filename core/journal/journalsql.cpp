#include "journal/journal.h"

#include "journal/journalstate.h"

#include <QSqlError>

namespace steadysync {

namespace {

// Primary SQLite result codes (the driver reports extended codes; the low byte is primary).
constexpr int SqliteBusy = 5;
constexpr int SqliteLocked = 6;
constexpr int SqliteCorrupt = 11;
constexpr int SqliteFull = 13;
constexpr int SqliteNotADatabase = 26;

} // namespace

Error Journal::sqlError(const QSqlQuery &query, const QString &what) const
{
    const QSqlError error = query.lastError();
    bool isNumber = false;
    const int code = error.nativeErrorCode().toInt(&isNumber);
    ErrorKind kind = ErrorKind::Permanent;
    if (isNumber) {
        switch (code & 0xff) {
        case SqliteBusy:
        case SqliteLocked:
            kind = ErrorKind::Transient;
            break;
        case SqliteFull:
            kind = ErrorKind::DiskFull;
            break;
        case SqliteCorrupt:
        case SqliteNotADatabase:
            kind = ErrorKind::Corrupt;
            break;
        default:
            break;
        }
    }
    return makeError(kind,
                     QStringLiteral("journal %1: %2: %3").arg(m_state->path, what, error.text()));
}

Result<QSqlQuery *> Journal::statement(const char *sql) const
{
    Q_ASSERT_X(QThread::currentThreadId() == m_state->thread, "Journal",
               "a Journal must be used from the thread that opened it");
    auto found = m_state->statements.find(sql);
    if (found != m_state->statements.end())
        return &found->second;
    QSqlQuery query(db());
    query.setForwardOnly(true);
    if (!query.prepare(QString::fromLatin1(sql)))
        return sqlError(query, QStringLiteral("cannot prepare \"%1\"").arg(QLatin1String(sql)));
    return &m_state->statements.emplace(sql, std::move(query)).first->second;
}

Status Journal::write(const char *sql, const QVariantList &values, const QString &what)
{
    if (m_state->transactionError)
        return *m_state->transactionError;
    Result<QSqlQuery *> prepared = statement(sql);
    Error error;
    if (prepared) {
        QSqlQuery &query = **prepared;
        for (int i = 0; i < values.size(); ++i)
            query.bindValue(i, values.at(i));
        const bool ok = query.exec();
        if (!ok)
            error = sqlError(query, what);
        query.finish();
        if (ok)
            return success();
    } else {
        error = prepared.error();
    }
    // A failed write dooms the enclosing transaction, so that a batch is never half committed.
    if (m_state->inTransaction)
        m_state->transactionError = error;
    return error;
}

bool Journal::read(const char *sql, const QVariantList &values,
                   const std::function<void(const QSqlQuery &)> &onRow) const
{
    Result<QSqlQuery *> prepared = statement(sql);
    if (!prepared) {
        m_state->readError = prepared.error();
        qWarning("%s", qPrintable(prepared.error().message));
        return false;
    }
    QSqlQuery &query = **prepared;
    for (int i = 0; i < values.size(); ++i)
        query.bindValue(i, values.at(i));
    bool ok = query.exec();
    if (ok) {
        while (query.next())
            onRow(query);
        // next() returning false is either the end or a failed step.
        ok = !query.lastError().isValid();
    }
    if (!ok) {
        m_state->readError = sqlError(query, QStringLiteral("cannot read"));
        qWarning("%s", qPrintable(m_state->readError->message));
    } else {
        m_state->readError.reset();
    }
    // An unfinished SELECT would pin this connection's snapshot and hide others' commits.
    query.finish();
    return ok;
}

Status Journal::readRows(const char *sql, const QVariantList &values,
                         const std::function<void(const QSqlQuery &)> &onRow) const
{
    if (!read(sql, values, onRow))
        return *m_state->readError;
    return success();
}

Status Journal::execute(const QString &sql, const QString &what)
{
    QSqlQuery query(db());
    if (!query.exec(sql)) {
        Error error = sqlError(query, what);
        if (m_state->inTransaction && !m_state->transactionError)
            m_state->transactionError = error;
        return error;
    }
    return success();
}

Status Journal::beginTransaction()
{
    QSqlQuery query(db());
    // IMMEDIATE takes the write lock now (waiting up to the busy timeout), so a concurrent
    // writer cannot make the commit fail later.
    if (!query.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return sqlError(query, QStringLiteral("cannot begin a transaction"));
    return success();
}

Status Journal::endTransaction(bool commit)
{
    m_state->fileCount.reset(); // a rollback takes back what was counted inside
    if (commit) {
        QSqlQuery query(db());
        if (query.exec(QStringLiteral("COMMIT")))
            return success();
        Error error = sqlError(query, QStringLiteral("cannot commit"));
        QSqlQuery(db()).exec(QStringLiteral("ROLLBACK"));
        return error;
    }
    QSqlQuery query(db());
    if (!query.exec(QStringLiteral("ROLLBACK")))
        return sqlError(query, QStringLiteral("cannot roll back"));
    return success();
}

Status Journal::atomically(const std::function<Status()> &work)
{
    Transaction transaction(*this);
    Status status = work();
    if (!status)
        return status;
    return transaction.commit();
}

Journal::Transaction::Transaction(Journal &journal) : m_journal(journal)
{
    State &state = *journal.m_state;
    if (state.inTransaction)
        return;
    m_owner = true;
    state.inTransaction = true;
    Status begun = journal.beginTransaction();
    state.transactionBegun = begun.ok();
    if (!begun)
        state.transactionError = begun.error();
}

Journal::Transaction::~Transaction()
{
    if (m_done)
        return;
    State &state = *m_journal.m_state;
    if (!m_owner) {
        if (!state.transactionError)
            state.transactionError = makeError(
                ErrorKind::Permanent,
                QStringLiteral("journal %1: an inner transaction was abandoned").arg(state.path));
        return;
    }
    if (state.transactionBegun) {
        if (Status status = m_journal.endTransaction(false); !status)
            qWarning("%s", qPrintable(status.error().message));
    }
    m_journal.settleRetryItems(false);
    state.fileCount.reset(); // counted with writes that were rolled back
    state.inTransaction = false;
    state.transactionBegun = false;
    state.transactionError.reset();
}

Status Journal::Transaction::commit()
{
    State &state = *m_journal.m_state;
    if (m_done)
        return makeError(ErrorKind::Permanent,
                         QStringLiteral("journal %1: transaction already ended").arg(state.path));
    m_done = true;
    if (!m_owner) {
        if (state.transactionError)
            return *state.transactionError;
        return success();
    }
    Status result = success();
    if (state.transactionError) {
        result = *state.transactionError;
        // The write's error is what the caller needs; a failed rollback is only logged (SQLite
        // rolls back on its own when the connection closes).
        if (state.transactionBegun) {
            if (Status rolledBack = m_journal.endTransaction(false); !rolledBack)
                qWarning("%s", qPrintable(rolledBack.error().message));
        }
    } else {
        result = m_journal.endTransaction(true);
    }
    m_journal.settleRetryItems(result.ok());
    if (!result)
        state.fileCount.reset(); // counted with writes that were rolled back
    state.inTransaction = false;
    state.transactionBegun = false;
    state.transactionError.reset();
    return result;
}

std::optional<Error> Journal::lastReadError() const
{
    return m_state->readError;
}

Status Journal::setBusyTimeout(int ms)
{
    return execute(QStringLiteral("PRAGMA busy_timeout = %1").arg(ms),
                   QStringLiteral("cannot set the busy timeout"));
}

} // namespace steadysync
