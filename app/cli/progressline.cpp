#include "progressline.h"

#include <cstdio>
#include <unistd.h>

namespace steadysync::cli {

ProgressLine::ProgressLine(bool enabled) : m_enabled(enabled && ::isatty(STDERR_FILENO))
{
    m_elapsed.start();
}

QString ProgressLine::formatBytes(qint64 bytes)
{
    const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = double(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    return QString::number(value, 'f', unit == 0 ? 0 : 1) + QLatin1Char(' ') +
           QLatin1String(units[unit]);
}

void ProgressLine::update(const StatusSnapshot &status)
{
    if (!m_enabled || status.filesTotal == 0)
        return;
    const double seconds = qMax(0.001, double(m_elapsed.elapsed()) / 1000.0);
    const QString line = QStringLiteral("\r\033[K%1/%2 files, %3, %4/s")
                             .arg(status.filesDone)
                             .arg(status.filesTotal)
                             .arg(formatBytes(status.bytesDone))
                             .arg(formatBytes(qint64(double(status.bytesDone) / seconds)));
    std::fputs(line.toLocal8Bit().constData(), stderr);
    std::fflush(stderr);
    m_drawn = true;
}

void ProgressLine::clear()
{
    if (m_drawn)
        std::fputs("\r\033[K", stderr);
    m_drawn = false;
}

} // namespace steadysync::cli
