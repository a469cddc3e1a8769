#include "autostartentry.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

namespace steadysync {

AutostartEntry::AutostartEntry(QString executable) : m_executable(std::move(executable))
{
    if (m_executable.isEmpty())
        m_executable = QCoreApplication::applicationFilePath();
}

QString AutostartEntry::filePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/autostart/steadysync.desktop");
}

bool AutostartEntry::isEnabled() const
{
    return QFileInfo::exists(filePath());
}

bool AutostartEntry::setEnabled(bool enabled) const
{
    const QString path = filePath();
    if (!enabled)
        return !QFileInfo::exists(path) || QFile::remove(path);
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    const QString quoted = QStringLiteral("\"%1\"").arg(m_executable);
    file.write(QStringLiteral("[Desktop Entry]\n"
                              "Type=Application\n"
                              "Name=Steadysync\n"
                              "Exec=%1\n"
                              "Icon=steadysync\n"
                              "Terminal=false\n"
                              "X-GNOME-Autostart-enabled=true\n")
                   .arg(quoted)
                   .toUtf8());
    return file.flush();
}

} // namespace steadysync
