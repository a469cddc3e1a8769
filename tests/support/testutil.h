#pragma once

#include <QByteArray>
#include <QString>

#include <functional>

namespace steadysync::test {

// Writes content to root/relativePath, creating parent directories. Fails the test on error.
void writeFile(const QString &root, const QString &relativePath, const QByteArray &content);
QByteArray readFile(const QString &path);

// Polls condition every 10 ms until it holds or timeoutMs passes (never a fixed sleep);
// returns whether it held. Processes events meanwhile.
bool waitFor(const std::function<bool()> &condition, int timeoutMs = 30'000);

} // namespace steadysync::test
