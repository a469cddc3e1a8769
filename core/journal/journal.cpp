#include "journal/journal.h"

#include "fs/reservednames.h"
#include "journal/journalstate.h"

#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QUrl>

#include <atomic>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace steadysync {

namespace {

// Long enough for a `status` reader or a second writer to wait out any single write batch.
constexpr int DefaultBusyTimeoutMs = 10'000;

// Permissions are best effort: filesystems such as vfat cannot store them.
void restrictMode(const QString &path, mode_t mode)
{
    const QByteArray native = QFile::encodeName(path);
    struct stat info;
    if (::stat(native.constData(), &info) != 0)
        return;
    if ((info.st_mode & 07777) != mode && ::chmod(native.constData(), mode) != 0)
        qWarning("journal: cannot set mode %o on %s: %s", unsigned(mode), native.constData(),
                 std::strerror(errno));
}

QString nextConnectionName()
{
    static std::atomic<quint64> counter{0};
    return QStringLiteral("steadysync-journal-%1").arg(++counter);
}

// Why the state folder cannot take a write, found by trying one: SQLite words a full disk and
// a read-only folder as "disk I/O error" or "attempt to write a readonly database", and root
// passes access(2) checks that a write still fails. nullopt when a write works.
std::optional<Error> probeStateFolder(const QString &stateDir)
{
    const QByteArray probe =
        QFile::encodeName(stateDir + QStringLiteral("/.write-probe-%1").arg(::getpid()));
    const int fd = ::open(probe.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int error = fd < 0 ? errno : 0;
    if (fd >= 0) {
        if (::write(fd, "x", 1) != 1 || ::fsync(fd) != 0)
            error = errno;
        ::close(fd);
        ::unlink(probe.constData());
    }
    if (error == 0 || error == ENOENT) // no folder: the caller's own message says why
        return std::nullopt;
    const QString reason = QString::fromLocal8Bit(std::strerror(error));
    if (error == ENOSPC || error == EDQUOT)
        return makeError(ErrorKind::DiskFull,
                         QStringLiteral("no space left on the disk that holds %1 (%2); free "
                                        "some space and Steadysync carries on")
                             .arg(stateDir, reason));
    if (error == EROFS || error == EACCES || error == EPERM)
        return makeError(ErrorKind::Permanent,
                         QStringLiteral("the state folder %1 is read-only (%2); Steadysync "
                                        "keeps its journal there and needs to write it")
                             .arg(stateDir, reason));
    return makeError(
        ErrorKind::Permanent,
        QStringLiteral("cannot write in the state folder %1: %2").arg(stateDir, reason));
}

// The state folder (0700) and the database file (0600), created here so that the journal is
// never world-readable, whatever SQLite's default mode and the umask; SQLite gives the -wal
// and -shm files the mode of the database file.
Status createStateFiles(const QString &path)
{
    const QString stateDir = QFileInfo(path).path();
    if (::mkdir(QFile::encodeName(stateDir).constData(), 0700) != 0 && errno != EEXIST)
        return makeError(ErrorKind::Permanent,
                         QStringLiteral("cannot create %1: %2")
                             .arg(stateDir, QString::fromLocal8Bit(std::strerror(errno))));
    restrictMode(stateDir, 0700);
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return makeError(ErrorKind::Permanent,
                         QStringLiteral("cannot open %1: %2")
                             .arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    ::close(fd);
    restrictMode(path, 0600);
    return success();
}

} // namespace

Journal::Journal(QString connectionName)
    : m_connectionName(std::move(connectionName)), m_state(std::make_unique<State>())
{}

Journal::~Journal()
{
    // Every QSqlQuery and QSqlDatabase handle must be gone before removeDatabase().
    m_state.reset();
    if (QSqlDatabase::contains(m_connectionName)) {
        {
            QSqlDatabase database = db();
            database.close();
        }
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

QString Journal::databasePath(const QString &localRoot)
{
    return ReservedNames::statePath(localRoot, QStringLiteral("journal.db"));
}

Result<std::unique_ptr<Journal>> Journal::open(const QString &localRoot)
{
    std::unique_ptr<Journal> journal(new Journal(nextConnectionName()));
    Status status = journal->initialize(localRoot);
    if (status)
        return journal;
    if (!journal->m_state->damaged) {
        if (status.error().kind == ErrorKind::RootMissing)
            return status.error();
        const QString stateDir = QFileInfo(databasePath(localRoot)).path();
        return probeStateFolder(stateDir).value_or(status.error());
    }
    // A damaged journal only knows the past: set it aside for inspection and start afresh.
    // Without records the next cycle compares both sides in full, which keeps every version
    // (equal files are recorded, different ones become conflict copies).
    const QString path = journal->m_state->path;
    journal.reset();
    Result<QString> setAside = setAsideDamaged(path);
    if (!setAside)
        return setAside.error();
    journal.reset(new Journal(nextConnectionName()));
    status = journal->initialize(localRoot);
    if (!status)
        return status.error();
    journal->m_state->recoveredFrom = *setAside;
    return journal;
}

Result<std::unique_ptr<Journal>> Journal::openReadOnlyView(const QString &localRoot)
{
    std::unique_ptr<Journal> journal(new Journal(nextConnectionName()));
    const QString path = databasePath(localRoot);
    journal->m_state->path = path;
    if (!QFileInfo(path).isFile())
        return makeError(ErrorKind::NotFound, QStringLiteral("no journal at %1").arg(path));
    {
        QSqlDatabase database =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), journal->m_connectionName);
        QUrl uri = QUrl::fromLocalFile(path);
        uri.setQuery(QStringLiteral("immutable=1"));
        database.setDatabaseName(uri.toString(QUrl::FullyEncoded));
        database.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_OPEN_URI"));
        if (!database.open())
            return makeError(ErrorKind::Permanent, QStringLiteral("journal %1: cannot open: %2")
                                                       .arg(path, database.lastError().text()));
    }
    int version = 0;
    if (!journal->read("PRAGMA user_version", {},
                       [&](const QSqlQuery &q) { version = q.value(0).toInt(); }))
        return *journal->m_state->readError;
    if (version != SchemaVersion)
        return makeError(ErrorKind::Permanent,
                         QStringLiteral("journal %1 has schema version %2, not %3: run a sync "
                                        "to bring it up to date")
                             .arg(path)
                             .arg(version)
                             .arg(SchemaVersion));
    return journal;
}

Result<QString> Journal::setAsideDamaged(const QString &path)
{
    const QString stamp =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    QString target = path + QStringLiteral(".corrupt-") + stamp;
    for (int n = 2; QFileInfo::exists(target); ++n)
        target = path + QStringLiteral(".corrupt-%1-%2").arg(stamp).arg(n);
    // The -wal and -shm files belong to the damaged database: a stale WAL must never be
    // replayed into the fresh one.
    for (const QString &suffix : {QStringLiteral("-wal"), QStringLiteral("-shm"), QString()}) {
        const QByteArray from = QFile::encodeName(path + suffix);
        if (::rename(from.constData(), QFile::encodeName(target + suffix).constData()) != 0 &&
            errno != ENOENT)
            return makeError(ErrorKind::Permanent,
                             QStringLiteral("journal %1 is damaged and cannot be set aside: %2")
                                 .arg(path + suffix, QString::fromLocal8Bit(std::strerror(errno))));
    }
    qWarning("journal: %s was damaged; set aside as %s, starting a fresh journal (full compare)",
             qPrintable(path), qPrintable(target));
    return target;
}

std::optional<QString> Journal::recoveredFrom() const
{
    return m_state->recoveredFrom;
}

QSqlDatabase Journal::db() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

Status Journal::openConnection(const QString &path)
{
    QSqlDatabase database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    database.setDatabaseName(path);
    database.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(DefaultBusyTimeoutMs));
    if (!database.open())
        return makeError(
            ErrorKind::Permanent,
            QStringLiteral("journal %1: cannot open: %2").arg(path, database.lastError().text()));
    return success();
}

// Checked before changing anything, so a newer journal is left untouched.
Status Journal::checkSchemaVersion(int *version)
{
    if (!read("PRAGMA user_version", {},
              [&](const QSqlQuery &q) { *version = q.value(0).toInt(); })) {
        m_state->damaged =
            m_state->readError->kind == ErrorKind::Corrupt; // "file is not a database"
        return *m_state->readError;
    }
    if (*version > SchemaVersion)
        return makeError(ErrorKind::Corrupt,
                         QStringLiteral("journal %1 was written by a newer Steadysync (schema "
                                        "version %2, this build knows up to %3); refusing to "
                                        "use it")
                             .arg(m_state->path)
                             .arg(*version)
                             .arg(SchemaVersion));
    return success();
}

Status Journal::configureConnection()
{
    QString journalMode;
    if (!read("PRAGMA journal_mode = WAL", {},
              [&](const QSqlQuery &q) { journalMode = q.value(0).toString(); }))
        return *m_state->readError;
    if (journalMode.compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
        return makeError(ErrorKind::Permanent,
                         QStringLiteral("journal %1: cannot switch to WAL mode (mode is %2)")
                             .arg(m_state->path, journalMode));
    // NORMAL is durable against crashes and kills in WAL mode; a power cut may lose the last
    // commits, which only makes the next cycle compare again, and spares an fsync per commit.
    return execute(QStringLiteral("PRAGMA synchronous = NORMAL"),
                   QStringLiteral("cannot set synchronous mode"));
}

Status Journal::initialize(const QString &localRoot)
{
    // Creating a missing root would hide an unmounted disk; the engine must see it missing.
    if (!QFileInfo(localRoot).isDir())
        return makeError(
            ErrorKind::RootMissing,
            QStringLiteral("sync root %1 does not exist or is not a directory").arg(localRoot));
    const QString path = databasePath(localRoot);
    m_state->path = path;
    if (Status created = createStateFiles(path); !created)
        return created;
    if (Status opened = openConnection(path); !opened)
        return opened;
    int version = 0;
    if (Status checked = checkSchemaVersion(&version); !checked)
        return checked;
    if (Status configured = configureConnection(); !configured)
        return configured;

    // quick_check finds damaged pages in O(size) without the index cross-check of
    // integrity_check, which checkIntegrity() runs on demand.
    if (Status status = runCheck("PRAGMA quick_check"); !status) {
        // Damaged: quick_check reported problems, or SQLite said corrupt; an I/O error is not.
        m_state->damaged = status.error().kind == ErrorKind::Corrupt &&
                           (!m_state->readError || m_state->readError->kind == ErrorKind::Corrupt);
        return status;
    }
    if (Status status = migrate(); !status) {
        m_state->damaged = status.error().kind == ErrorKind::Corrupt && version <= SchemaVersion;
        return status;
    }
    restrictMode(path + QStringLiteral("-wal"), 0600);
    restrictMode(path + QStringLiteral("-shm"), 0600);
    return success();
}

} // namespace steadysync
