#include "uitestenvironment.h"

#include <QDir>
#include <QFile>

namespace steadysync::test {

UiTestEnvironment::UiTestEnvironment()
{
    const QString home = m_home.path();
    qputenv("HOME", home.toUtf8());
    qputenv("XDG_CONFIG_HOME", (home + QStringLiteral("/.config")).toUtf8());
    qputenv("XDG_DATA_HOME", (home + QStringLiteral("/.local/share")).toUtf8());
    qputenv("XDG_CACHE_HOME", (home + QStringLiteral("/.cache")).toUtf8());
    qputenv("XDG_RUNTIME_DIR", (home + QStringLiteral("/runtime")).toUtf8());
    QDir(home).mkpath(QStringLiteral("runtime"));
    QDir(home).mkpath(QStringLiteral(".local/share")); // else Qt finds no home trash
    QDir(home).mkpath(QStringLiteral(".config"));
    QFile::setPermissions(home + QStringLiteral("/runtime"),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

QString UiTestEnvironment::settingsFile() const
{
    return home() + QStringLiteral("/.config/steadysync/steadysync.ini");
}

PairConfig UiTestEnvironment::makePair(const QString &name, ConflictPolicy policy) const
{
    PairConfig pair;
    pair.id = name;
    pair.localRoot = home() + QStringLiteral("/local-") + name;
    pair.remoteUrl = QUrl::fromLocalFile(home() + QStringLiteral("/remote-") + name);
    pair.conflictPolicy = policy;
    pair.debounceMs = 100;
    pair.pollIntervalS = 1;
    QDir().mkpath(pair.localRoot);
    QDir().mkpath(remoteDir(pair));
    return pair;
}

} // namespace steadysync::test
