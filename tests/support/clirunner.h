#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace steadysync::test {

// Runs the real steadysync-cli binary (path from $STEADYSYNC_CLI, set by ctest) with a
// private HOME and trash, so tests never touch the user's files.
class CliRunner
{
public:
    explicit CliRunner(const QString &homeDirectory);

    struct Outcome
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
        QJsonObject json() const; // stdout parsed as one JSON object
        QString describe() const; // exit code, stdout and stderr, for failure messages
    };

    Outcome run(const QStringList &arguments, int timeoutMs = 120'000) const;
    // Like run(), but keeps this thread's event loop turning while the CLI runs, for a server
    // the test serves from its own thread (HostileWebDavServer, QuirkyDavServer, FaultProxy).
    // launcher, if given, is the command the CLI runs under (e.g. setpriv ... --).
    Outcome runServing(const QStringList &arguments, const QStringList &launcher = {},
                       int timeoutMs = 120'000) const;
    // Starts a long-running command (watch); the caller owns the process.
    QProcess *start(const QStringList &arguments, QObject *parent) const;

    QProcessEnvironment environment() const { return m_environment; }
    // STEADYSYNC_PASSWORD for the commands run from now on (empty: unset).
    void setPassword(const QString &password);
    QString trashFilesDirectory() const; // the home trash's files/ for this HOME
    // As on a fresh headless account (cron, root): no ~/.local/share and no XDG_DATA_HOME.
    void removeDataHome();
    // No session bus for the commands from then on: a watch offers no D-Bus control, and a
    // sync meets the pair lock of a running watch instead of asking it (DESIGN §12).
    void removeSessionBus();
    // Runs the commands from then on in directory (by default the test's own).
    void setWorkingDirectory(const QString &directory) { m_workingDirectory = directory; }

    static QString program();

private:
    QProcessEnvironment m_environment;
    QString m_home;
    QString m_workingDirectory;
};

// relative path -> content for every file below root (directories as "path/" -> ""),
// leaving out .steadysync/.
QMap<QString, QByteArray> readTree(const QString &root);

// "label:" and one "  path = content" line per entry of readTree(root), for failure messages.
QString describeTree(const QString &label, const QString &root);

// Sets a file's mtime to now + offsetSeconds (for deterministic conflict winners).
void setMtimeOffset(const QString &path, qint64 offsetSeconds);

// Terminates a process CliRunner::start() gave (killed after 30 s) and deletes it; process is
// null afterwards. Nothing to do when it is already null.
void stopProcess(QProcess *&process);

} // namespace steadysync::test
