#pragma once

// Internal to core/journal: the state behind a Journal and the helpers its files share.

#include "journal/journal.h"

#include <QHash>
#include <QSqlQuery>
#include <QStringList>
#include <QThread>
#include <QVariant>

#include <optional>
#include <unordered_map>
#include <utility>

namespace steadysync {

struct Journal::State
{
    QString path;
    Qt::HANDLE thread = QThread::currentThreadId();
    // Prepared once per connection; keyed by the address of the SQL constants above.
    std::unordered_map<const char *, QSqlQuery> statements;
    bool inTransaction = false;
    bool transactionBegun = false;
    std::optional<Error> transactionError; // first failure inside the open transaction
    std::optional<Error> readError;
    bool damaged = false;                 // open() found the file damaged, not just unusable
    std::optional<QString> recoveredFrom; // where open() set a damaged journal aside
    // trackedFileCount() counts every record (the status shown every 2 s while watching):
    // kept until this connection writes records or another one commits (data_version).
    struct FileCount
    {
        qint64 dataVersion = 0;
        qint64 files = 0;
    };
    std::optional<FileCount> fileCount;
    quint64 recordChanges = 0; // Journal::recordChanges()
    // Retry items not (yet) in the database: a failure must not be forgotten because the disk
    // was full when it happened (DESIGN §5). Kept until a write of them commits.
    QHash<QString, RetryItem> unsavedRetryItems;
    QStringList retryItemsInTransaction; // written inside the open transaction, not committed
};

namespace JournalValues {

// The driver binds a null QString/QByteArray as SQL NULL; the columns are NOT NULL.
inline QVariant text(const QString &value)
{
    return value.isNull() ? QVariant(QString(QLatin1String(""))) : QVariant(value);
}

inline QVariant bytes(const QByteArray &value)
{
    return value.isNull() ? QVariant(QByteArray("")) : QVariant(value);
}

// Reads a row's columns, in order, into fields (each converted to its field's type): a struct
// is filled in the order of its SELECT.
template<typename... Fields> void readColumns(const QSqlQuery &row, Fields &...fields)
{
    int column = 0;
    ((fields = row.value(column++).template value<Fields>()), ...);
}

// For the reads that cannot report errors: the value, or an empty one (the error is kept
// for lastReadError()).
template<typename T> T valueOrEmpty(Result<T> result)
{
    return result ? std::move(result).value() : T{};
}

} // namespace JournalValues

} // namespace steadysync
