#include "versions/versionrestorer.h"

#include "fs/hasher.h"
#include "fs/reservednames.h"
#include "versions/versionstore.h"

#include <QDir>
#include <QFileInfo>

namespace steadysync::VersionRestorer {

namespace {

// The path destination has inside root, empty when it is outside (or internal).
QString relativeInside(const QString &root, const QString &destination)
{
    QString relative = QDir(root).relativeFilePath(destination);
    const QString stateDirectory = ReservedNames::stateDirectoryName();
    if (normalizedPath(relative).isEmpty() || relative == stateDirectory ||
        relative.startsWith(stateDirectory + QLatin1Char('/')))
        return {};
    return relative;
}

} // namespace

QString normalizedPath(const QString &given)
{
    QString clean = QDir::cleanPath(QDir::fromNativeSeparators(given));
    if (clean.isEmpty() || clean == QStringLiteral(".") || QDir::isAbsolutePath(clean) ||
        clean == QStringLiteral("..") || clean.startsWith(QStringLiteral("../")))
        return {};
    return clean;
}

Result<VersionEntry> choose(const VersionStore &store, const QString &path, qint64 id)
{
    if (id > 0) {
        const Result<std::optional<VersionEntry>> found = store.find(id);
        if (!found)
            return found.error();
        if (!*found || (*found)->path != path)
            return makeError(ErrorKind::NotFound,
                             QStringLiteral("%1 has no version %2").arg(path).arg(id));
        return **found;
    }
    const Result<QList<VersionEntry>> entries = store.list(path);
    if (!entries)
        return entries.error();
    for (const VersionEntry &entry : *entries)
        if (entry.path == path)
            return entry; // newest first
    return makeError(ErrorKind::NotFound, QStringLiteral("%1 has no kept version").arg(path));
}

Result<Outcome> restore(VersionStore &store, const QString &localRoot, const VersionEntry &entry,
                        const QString &destination)
{
    const QString root = QDir(localRoot).absolutePath();
    const QString absolute = QDir::cleanPath(QFileInfo(destination).absoluteFilePath());
    const QString relative = relativeInside(root, absolute);
    const QFileInfo existing(absolute);
    if (existing.exists() || existing.isSymLink()) {
        if (!existing.isFile() || existing.isSymLink())
            return makeError(ErrorKind::InvalidName,
                             QStringLiteral("%1 exists and is not a file").arg(absolute));
        if (relative.isEmpty())
            return makeError(ErrorKind::InvalidName,
                             QStringLiteral("%1 exists; choose another destination").arg(absolute));
        const Result<QByteArray> current = Hasher::sha256OfFile(absolute);
        if (current && *current == entry.sha256)
            return Outcome::AlreadyThere;
        // DESIGN §10: what a restore replaces is kept as a version first.
        const Result<VersionEntry> kept =
            store.save({absolute, relative, VersionReason::Overwritten, QStringLiteral("local"),
                        VersionStore::SaveMode::Detach});
        if (!kept)
            return kept.error();
    }
    // Inside the folder the temporary file must not be seen (and synced) by the engine.
    const QString temporary = relative.isEmpty()
                                  ? QFileInfo(absolute).path()
                                  : VersionStore::directory(root) + QStringLiteral("/tmp");
    if (Status restored = store.restore(entry, absolute, temporary); !restored)
        return restored.error();
    return Outcome::Restored;
}

} // namespace steadysync::VersionRestorer
