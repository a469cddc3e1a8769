#include "memoryrelease.h"

#include <QFile>

#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace steadysync {

qint64 residentBytes()
{
    // statm: size resident shared text lib data dt, in pages.
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    if (fields.size() < 2)
        return 0;
    return fields.at(1).toLongLong() * sysconf(_SC_PAGESIZE);
}

MemoryRelease releaseFreedMemory()
{
    MemoryRelease release;
    release.residentBefore = residentBytes();
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
    release.residentAfter = residentBytes();
    return release;
}

} // namespace steadysync
