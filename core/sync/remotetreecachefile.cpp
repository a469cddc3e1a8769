#include "sync/remotetreecachefile.h"

#include <QDataStream>
#include <QFile>
#include <QSaveFile>

namespace steadysync::RemoteTreeCacheFile {

namespace {

constexpr quint32 magic = 0x53535443; // "SSTC"
constexpr quint32 formatVersion = 1;

quint8 permissionBits(const RemotePermissions &p)
{
    return quint8(p.known | p.canWrite << 1 | p.canDelete << 2 | p.canRename << 3 | p.canMove << 4 |
                  p.canAddFile << 5 | p.canAddFolder << 6);
}

RemotePermissions permissionsOf(quint8 bits)
{
    RemotePermissions p;
    p.known = bits & 1;
    p.canWrite = bits & 2;
    p.canDelete = bits & 4;
    p.canRename = bits & 8;
    p.canMove = bits & 16;
    p.canAddFile = bits & 32;
    p.canAddFolder = bits & 64;
    return p;
}

void write(QDataStream &out, const RemoteEntry &entry)
{
    out << entry.path << qint32(entry.type) << entry.size << entry.mtimeNs << entry.etag
        << entry.sha256 << entry.fileId << permissionBits(entry.permissions) << entry.treeBytes;
}

RemoteEntry readEntry(QDataStream &in)
{
    RemoteEntry entry;
    qint32 type = 0;
    quint8 permissions = 0;
    in >> entry.path >> type >> entry.size >> entry.mtimeNs >> entry.etag >> entry.sha256 >>
        entry.fileId >> permissions >> entry.treeBytes;
    entry.type = ItemType(type);
    entry.permissions = permissionsOf(permissions);
    return entry;
}

} // namespace

Status save(const QString &filePath, const Key &key, const RemoteTreeCache &cache)
{
    QSaveFile file(filePath);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(ErrorKind::Permanent, file.errorString());
    QDataStream out(&file);
    out.setVersion(QDataStream::Qt_6_4);
    out << magic << formatVersion << key.remoteUrl << key.ignoreDefinition << cache.rootEtag()
        << cache.lastFullWalkMs().value_or(-1) << qint64(cache.entries().size());
    for (const RemoteEntry &entry : cache.entries())
        write(out, entry);
    out << qint64(cache.rejected().size());
    for (auto it = cache.rejected().cbegin(); it != cache.rejected().cend(); ++it)
        out << it.key() << it->names << it->paths;
    if (out.status() != QDataStream::Ok || !file.commit())
        return makeError(ErrorKind::Permanent, file.errorString());
    return success();
}

bool load(const QString &filePath, const Key &key, RemoteTreeCache *cache)
{
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    QDataStream in(&file);
    in.setVersion(QDataStream::Qt_6_4);
    quint32 fileMagic = 0, version = 0;
    QString url, ignore;
    QByteArray rootEtag;
    qint64 lastFull = -1, count = 0;
    in >> fileMagic >> version >> url >> ignore >> rootEtag >> lastFull >> count;
    if (in.status() != QDataStream::Ok || fileMagic != magic || version != formatVersion ||
        url != key.remoteUrl || ignore != key.ignoreDefinition || count < 0)
        return false;
    RemoteSnapshot entries;
    // A damaged count must not ask for more memory than the file could describe.
    entries.reserve(qMin(count, file.size() / 8));
    for (qint64 i = 0; i < count && in.status() == QDataStream::Ok; ++i) {
        RemoteEntry entry = readEntry(in);
        entries.insert(entry.path, entry);
    }
    qint64 rejectedCount = 0;
    in >> rejectedCount;
    QHash<QString, RejectedMembers> rejected;
    for (qint64 i = 0; i < rejectedCount && in.status() == QDataStream::Ok; ++i) {
        QString directory;
        RejectedMembers members;
        in >> directory >> members.names >> members.paths;
        rejected.insert(directory, members);
    }
    if (in.status() != QDataStream::Ok || !in.atEnd())
        return false;
    cache->update({QString()}, entries, rejected,
                  lastFull < 0 ? std::nullopt : std::optional<qint64>(lastFull));
    cache->setRootEtag(rootEtag);
    return true;
}

void remove(const QString &filePath)
{
    QFile::remove(filePath);
}

} // namespace steadysync::RemoteTreeCacheFile
