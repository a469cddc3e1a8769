#include "clirunner.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QTest>
#include <QTimer>

#include <fcntl.h>
#include <sys/stat.h>

namespace steadysync::test {

CliRunner::CliRunner(const QString &homeDirectory)
    : m_environment(QProcessEnvironment::systemEnvironment()), m_home(homeDirectory)
{
    m_environment.insert(QStringLiteral("HOME"), homeDirectory);
    m_environment.insert(QStringLiteral("XDG_DATA_HOME"),
                         homeDirectory + QStringLiteral("/.local/share"));
    m_environment.insert(QStringLiteral("XDG_CONFIG_HOME"),
                         homeDirectory + QStringLiteral("/.config"));
    m_environment.remove(QStringLiteral("STEADYSYNC_PASSWORD"));
    QDir().mkpath(homeDirectory + QStringLiteral("/.local/share"));
}

void CliRunner::setPassword(const QString &password)
{
    if (password.isEmpty())
        m_environment.remove(QStringLiteral("STEADYSYNC_PASSWORD"));
    else
        m_environment.insert(QStringLiteral("STEADYSYNC_PASSWORD"), password);
}

QString CliRunner::program()
{
    const QString fromEnvironment = qEnvironmentVariable("STEADYSYNC_CLI");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    return QStringLiteral("steadysync-cli");
}

QString CliRunner::trashFilesDirectory() const
{
    return m_home + QStringLiteral("/.local/share/Trash/files");
}

void CliRunner::removeDataHome()
{
    m_environment.remove(QStringLiteral("XDG_DATA_HOME"));
    QDir(m_home + QStringLiteral("/.local")).removeRecursively();
}

void CliRunner::removeSessionBus()
{
    m_environment.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    m_environment.remove(QStringLiteral("XDG_RUNTIME_DIR"));
}

QJsonObject CliRunner::Outcome::json() const
{
    return QJsonDocument::fromJson(out.trimmed()).object();
}

CliRunner::Outcome CliRunner::run(const QStringList &arguments, int timeoutMs) const
{
    QProcess process;
    process.setProcessEnvironment(m_environment);
    process.setWorkingDirectory(m_workingDirectory);
    process.start(program(), arguments);
    Outcome outcome;
    if (!process.waitForStarted(timeoutMs) || !process.waitForFinished(timeoutMs)) {
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

CliRunner::Outcome CliRunner::runServing(const QStringList &arguments, const QStringList &launcher,
                                         int timeoutMs) const
{
    QProcess process;
    process.setProcessEnvironment(m_environment);
    process.setWorkingDirectory(m_workingDirectory);
    if (launcher.isEmpty())
        process.start(program(), arguments);
    else
        process.start(launcher.first(), launcher.mid(1) + QStringList{program()} + arguments);
    // An event loop turning all the time, not polls with sleeps in between: a proxy served
    // here must relay at full speed.
    const QDeadlineTimer deadline(timeoutMs);
    const bool started = process.waitForStarted(timeoutMs);
    while (started && process.state() != QProcess::NotRunning && !deadline.hasExpired()) {
        QEventLoop loop;
        QTimer::singleShot(10, &loop, &QEventLoop::quit);
        loop.exec();
    }
    Outcome outcome;
    if (!started || process.state() != QProcess::NotRunning) {
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

QString CliRunner::Outcome::describe() const
{
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3")
        .arg(exitCode)
        .arg(QString::fromUtf8(out), QString::fromUtf8(err).left(4000));
}

QProcess *CliRunner::start(const QStringList &arguments, QObject *parent) const
{
    auto *process = new QProcess(parent);
    process->setProcessEnvironment(m_environment);
    process->setWorkingDirectory(m_workingDirectory);
    process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process->start(program(), arguments);
    process->waitForStarted();
    return process;
}

QMap<QString, QByteArray> readTree(const QString &root)
{
    QMap<QString, QByteArray> tree;
    QDirIterator it(root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    const QDir base(root);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString relative = base.relativeFilePath(path);
        if (relative == QStringLiteral(".steadysync") ||
            relative.startsWith(QStringLiteral(".steadysync/")))
            continue;
        // Apache mod_dav_fs keeps the state of locks on new paths in a .DAV folder beside
        // them, on its disk only: WebDAV never shows it, so no client syncs it.
        const QString name = it.fileName();
        if (name == QLatin1String(".DAV") || relative.startsWith(QLatin1String(".DAV/")) ||
            relative.contains(QLatin1String("/.DAV/")))
            continue;
        if (it.fileInfo().isDir()) {
            tree.insert(relative + QLatin1Char('/'), QByteArray());
            continue;
        }
        QFile file(path);
        file.open(QIODevice::ReadOnly);
        tree.insert(relative, file.readAll());
    }
    return tree;
}

QString describeTree(const QString &label, const QString &root)
{
    QString text = label + QStringLiteral(":\n");
    const QMap<QString, QByteArray> tree = readTree(root);
    for (auto it = tree.cbegin(); it != tree.cend(); ++it)
        text += QStringLiteral("  %1 = %2\n").arg(it.key(), QString::fromUtf8(it.value()));
    return text;
}

void setMtimeOffset(const QString &path, qint64 offsetSeconds)
{
    const qint64 when = QDateTime::currentSecsSinceEpoch() + offsetSeconds;
    struct timespec times[2];
    times[0].tv_sec = when;
    times[0].tv_nsec = 0;
    times[1] = times[0];
    ::utimensat(AT_FDCWD, QFile::encodeName(path).constData(), times, 0);
}

void stopProcess(QProcess *&process)
{
    if (process && process->state() != QProcess::NotRunning) {
        process->terminate();
        if (!process->waitForFinished(30'000))
            process->kill();
    }
    delete process;
    process = nullptr;
}

} // namespace steadysync::test
