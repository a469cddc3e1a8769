#include "reliabilityfixture.h"

#include "testutil.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace steadysync::test {

std::unique_ptr<ReliabilityFixture> ReliabilityFixture::start(QString *error)
{
    std::unique_ptr<ReliabilityFixture> fixture(new ReliabilityFixture);
    fixture->m_server = WebDavServer::start(WebDavServer::Kind::Apache, error);
    if (!fixture->m_server)
        return nullptr;
    fixture->m_proxy = std::make_unique<FaultProxy>(fixture->m_server->url());
    if (!fixture->m_proxy->listen()) {
        *error = QStringLiteral("the fault proxy cannot listen on 127.0.0.1");
        return nullptr;
    }
    fixture->m_cli = std::make_unique<CliRunner>(fixture->m_home.path());
    fixture->m_cli->setPassword(fixture->m_server->password());
    return fixture;
}

QStringList ReliabilityFixture::syncArguments(const QString &command, const QString &localRoot,
                                              const QStringList &extra) const
{
    QStringList arguments{command,
                          localRoot,
                          remoteUrl(),
                          QStringLiteral("--user"),
                          m_server->user(),
                          QStringLiteral("--debounce-ms"),
                          QStringLiteral("200"),
                          QStringLiteral("--poll-interval"),
                          QStringLiteral("1"),
                          QStringLiteral("--backoff-base-ms"),
                          QStringLiteral("500"),
                          QStringLiteral("--backoff-cap-ms"),
                          QStringLiteral("2000")};
    return arguments + extra;
}

CliRunner::Outcome ReliabilityFixture::run(const QStringList &arguments, int timeoutMs) const
{
    QProcess process;
    process.setProcessEnvironment(m_cli->environment());
    if (m_launcher.isEmpty())
        process.start(CliRunner::program(), arguments);
    else
        process.start(m_launcher.first(),
                      m_launcher.mid(1) + QStringList{CliRunner::program()} + arguments);
    CliRunner::Outcome outcome;
    if (!process.waitForStarted(timeoutMs) ||
        !waitServing([&] { return process.state() == QProcess::NotRunning; }, timeoutMs)) {
        process.kill();
        process.waitForFinished();
        outcome.err = "timed out or failed to start: " + process.errorString().toUtf8();
        return outcome;
    }
    outcome.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    outcome.out = process.readAllStandardOutput();
    outcome.err = process.readAllStandardError();
    return outcome;
}

CliRunner::Outcome ReliabilityFixture::sync(const QString &localRoot,
                                            const QStringList &extra) const
{
    return run(syncArguments(QStringLiteral("sync"), localRoot,
                             extra + QStringList{QStringLiteral("--json")}));
}

QJsonObject ReliabilityFixture::status(const QString &localRoot) const
{
    return run({QStringLiteral("status"), localRoot, QStringLiteral("--json")}).json();
}

std::function<bool()> atMostEvery(int intervalMs, std::function<bool()> condition)
{
    auto sinceLast = std::make_shared<QElapsedTimer>();
    return [=] {
        if (sinceLast->isValid() && sinceLast->elapsed() < intervalMs)
            return false;
        sinceLast->start();
        return condition();
    };
}

QHash<QByteArray, int> contentCounts(const QString &root)
{
    QHash<QByteArray, int> counts;
    const QMap<QString, QByteArray> tree = readTree(root);
    for (auto it = tree.cbegin(); it != tree.cend(); ++it) {
        if (!it.key().endsWith(QLatin1Char('/')))
            counts[it.value()] += 1;
    }
    return counts;
}

QSet<QByteArray> versionsMissing(const QSet<QByteArray> &written, const QStringList &roots)
{
    QSet<QByteArray> missing = written;
    for (const QString &root : roots) {
        if (!QFileInfo::exists(root))
            continue;
        QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System,
                        QDirIterator::Subdirectories);
        while (it.hasNext() && !missing.isEmpty()) {
            QFile file(it.next());
            if (file.open(QIODevice::ReadOnly))
                missing.remove(file.readAll());
        }
    }
    return missing;
}

QStringList partialNames(const QString &root)
{
    QStringList found;
    const QMap<QString, QByteArray> tree = readTree(root);
    for (auto it = tree.cbegin(); it != tree.cend(); ++it) {
        const QString name = it.key().section(QLatin1Char('/'), -1);
        if (name.startsWith(QStringLiteral(".steadysync-part-")) ||
            name.startsWith(QStringLiteral(".davfs.tmp")) || name.endsWith(QStringLiteral(".part")))
            found.append(it.key());
    }
    return found;
}

QString journalIntegrity(const QString &localRoot)
{
    const QString connection = QUuid::createUuid().toString();
    QString result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(localRoot + QStringLiteral("/.steadysync/journal.db"));
        if (!db.open())
            result = QStringLiteral("cannot open: ") + db.lastError().text();
        else {
            QSqlQuery query(db);
            if (!query.exec(QStringLiteral("PRAGMA integrity_check")))
                result = query.lastError().text();
            while (query.next())
                result += query.value(0).toString();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return result;
}

} // namespace steadysync::test
