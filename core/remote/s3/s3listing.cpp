// list() and listTree() of S3Backend: ListObjectsV2 under a folder's prefix, per folder (with
// delimiter "/") or flat (everything below it; folders derived from the keys' prefixes).
#include "remote/s3/s3operations.h"
#include "remote/s3/s3steps.h"

#include <QSet>

namespace steadysync::s3 {

namespace {

// A relative path the sync can take: segments neither empty nor "." or "..", no NUL.
bool isAcceptablePath(const QString &path)
{
    if (path.isEmpty() || path.contains(QChar(0)))
        return false;
    for (const QString &segment : path.split(QLatin1Char('/')))
        if (segment.isEmpty() || segment == QLatin1String(".") || segment == QLatin1String(".."))
            return false;
    return true;
}

class ListingBuilder
{
public:
    explicit ListingBuilder(QString directory) : m_directory(std::move(directory)) {}

    // relative: below the listed folder; a trailing '/' names a folder (marker or prefix).
    void add(const QString &relative, const s3xml::ObjectSummary *object, bool tree)
    {
        const bool folder = relative.endsWith(QLatin1Char('/'));
        const QString name = folder ? relative.chopped(1) : relative;
        if (relative.isEmpty())
            return; // the folder's own marker
        if (!isAcceptablePath(name) || (!tree && name.contains(QLatin1Char('/'))))
            return reject(relative, name);
        if (tree)
            addParents(name);
        if (folder)
            return addFolder(name);
        RemoteEntry entry;
        entry.path = joinPath(m_directory, name);
        entry.size = object->size;
        entry.etag = object->etag;
        // Seconds, as a HEAD's Last-Modified gives them: one file, one mtime.
        entry.mtimeNs = object->lastModified.isValid()
                            ? object->lastModified.toSecsSinceEpoch() * 1'000'000'000
                            : 0;
        m_files.insert(entry.path);
        m_entries.append(entry);
    }

    QVector<RemoteEntry> takeEntries()
    {
        // A name both file and folder ("a" and "a/b"): the file wins, the folder is refused.
        QVector<RemoteEntry> entries;
        for (RemoteEntry &entry : m_entries) {
            if (entry.isDir() && m_files.contains(entry.path)) {
                m_rejected.append(
                    QStringLiteral("%1/: a folder named like a file").arg(entry.path));
                continue;
            }
            entries.append(std::move(entry));
        }
        return entries;
    }
    QStringList rejected() const { return m_rejected; }
    QStringList rejectedPaths() const { return m_rejectedPaths; }

private:
    // What lies where the refused name would be must not be read as deleted: its first
    // segment, or the listed folder itself when that segment is empty ("a//b").
    void reject(const QString &relative, const QString &name)
    {
        m_rejected.append(QStringLiteral("%1: not a usable name").arg(relative));
        const qsizetype slash = name.indexOf(QLatin1Char('/'));
        const QString first = slash < 0 ? name : name.left(slash);
        if (first == QLatin1String(".") || first == QLatin1String(".."))
            return;
        const QString path = first.isEmpty() ? m_directory : joinPath(m_directory, first);
        if (!path.isEmpty() && !m_rejectedPaths.contains(path))
            m_rejectedPaths.append(path);
    }
    void addFolder(const QString &name)
    {
        const QString path = joinPath(m_directory, name);
        if (m_folders.contains(path))
            return;
        m_folders.insert(path);
        RemoteEntry entry;
        entry.path = path;
        entry.type = ItemType::Directory;
        m_entries.append(entry);
    }
    void addParents(const QString &name)
    {
        for (qsizetype slash = name.indexOf(QLatin1Char('/')); slash > 0;
             slash = name.indexOf(QLatin1Char('/'), slash + 1))
            addFolder(name.left(slash));
    }

    QString m_directory;
    QVector<RemoteEntry> m_entries;
    QSet<QString> m_folders;
    QSet<QString> m_files;
    QStringList m_rejected;
    QStringList m_rejectedPaths;
};

} // namespace

ListJob *listFolder(QObject *parent, S3Session *session, const QString &directory, bool tree)
{
    return startS3Job<ListJob>(parent, session, [directory, tree](S3Job<ListJob> *job) {
        const S3Endpoint &endpoint = job->session()->endpoint();
        const QString prefix =
            directory.isEmpty() ? endpoint.keyPrefix() : endpoint.keyFor(directory) + '/';
        listAll(job, prefix, !tree, [job, directory, prefix, tree](const s3xml::ListPage &page) {
            ListingBuilder builder(directory);
            for (const s3xml::ObjectSummary &object : page.objects)
                if (object.key.startsWith(prefix))
                    builder.add(object.key.mid(prefix.size()), &object, tree);
            for (const QString &common : page.commonPrefixes)
                if (common.startsWith(prefix))
                    builder.add(common.mid(prefix.size()), nullptr, tree);
            QVector<RemoteEntry> entries = builder.takeEntries();
            job->succeed(std::move(entries), builder.rejected(), builder.rejectedPaths());
        });
    });
}

} // namespace steadysync::s3
