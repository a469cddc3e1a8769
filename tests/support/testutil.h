#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <functional>

namespace steadysync::test {

// Writes content to root/relativePath, creating parent directories. Fails the test on error.
void writeFile(const QString &root, const QString &relativePath, const QByteArray &content);
QByteArray readFile(const QString &path);

// Polls condition every 10 ms until it holds or timeoutMs passes (never a fixed sleep);
// returns whether it held. Processes events meanwhile.
bool waitFor(const std::function<bool()> &condition, int timeoutMs = 30'000);

// Runs a command line tool (mount, dd, setpriv, …) to its end (30 s at most); true when it
// exited 0. *output gets its stdout and stderr, trimmed.
bool runTool(const QString &program, const QStringList &arguments, QString *output = nullptr);

// A process's own memory (RssAnon: its heap and stacks, not the libraries and files it maps),
// in bytes; pid 0 is this process. -1 where /proc does not tell.
qint64 anonymousResidentBytes(qint64 pid = 0);

} // namespace steadysync::test
