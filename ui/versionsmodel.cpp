#include "versionsmodel.h"

#include "versions/versionindex.h"
#include "versions/versionstore.h"

#include <QDateTime>
#include <QFileInfo>
#include <QHash>
#include <QLocale>

namespace steadysync {

VersionsModel::VersionsModel(QObject *parent) : QAbstractTableModel(parent) {}

VersionsSnapshot VersionsModel::read(const QString &localRoot)
{
    VersionsSnapshot snapshot;
    Result<std::unique_ptr<VersionIndex>> index = VersionIndex::openReadOnly(
        VersionStore::directory(localRoot) + QStringLiteral("/index.db"));
    if (!index) {
        if (index.error().kind != ErrorKind::NotFound) // NotFound: nothing kept yet
            snapshot.error = index.error().message;
        return snapshot;
    }
    const Result<QList<VersionEntry>> entries = (*index)->list();
    if (!entries) {
        snapshot.error = entries.error().message;
        return snapshot;
    }
    QHash<QString, int> rowOfPath;
    for (const VersionEntry &entry : *entries) { // newest first, so are the files
        auto found = rowOfPath.constFind(entry.path);
        if (found == rowOfPath.constEnd()) {
            found = rowOfPath.insert(entry.path, int(snapshot.files.size()));
            VersionedFile file;
            file.path = entry.path;
            const QFileInfo local(localRoot + QLatin1Char('/') + entry.path);
            file.existsLocally = local.exists() || local.isSymLink();
            snapshot.files.append(file);
        }
        snapshot.files[*found].versions.append(entry);
    }
    return snapshot;
}

QString VersionsModel::reasonText(VersionReason reason)
{
    switch (reason) {
    case VersionReason::Overwritten:
        return tr("Replaced by a newer version");
    case VersionReason::DeletedRemotely:
        return tr("Deleted on the server");
    case VersionReason::Conflict:
        return tr("Set aside in a conflict");
    case VersionReason::Unselected:
        return tr("Its folder was no longer synced");
    case VersionReason::RemoteOverwritten:
        return tr("The server's previous version");
    }
    return {};
}

void VersionsModel::setFiles(const QVector<VersionedFile> &files)
{
    m_files = files;
    applyFilter();
}

void VersionsModel::setSearchText(const QString &text)
{
    m_search = text.trimmed();
    applyFilter();
}

void VersionsModel::setDeletedOnly(bool deletedOnly)
{
    m_deletedOnly = deletedOnly;
    applyFilter();
}

void VersionsModel::applyFilter()
{
    beginResetModel();
    m_shown.clear();
    for (int i = 0; i < m_files.size(); ++i) {
        const VersionedFile &file = m_files[i];
        if (m_deletedOnly && file.existsLocally)
            continue;
        if (!m_search.isEmpty() && !file.path.contains(m_search, Qt::CaseInsensitive))
            continue;
        m_shown.append(i);
    }
    endResetModel();
}

const VersionedFile *VersionsModel::fileAt(int row) const
{
    return row >= 0 && row < m_shown.size() ? &m_files[m_shown[row]] : nullptr;
}

int VersionsModel::rowOf(const QString &path) const
{
    for (int row = 0; row < m_shown.size(); ++row)
        if (m_files[m_shown[row]].path == path)
            return row;
    return -1;
}

int VersionsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_shown.size());
}

int VersionsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant VersionsModel::data(const QModelIndex &index, int role) const
{
    const VersionedFile *file = fileAt(index.row());
    if (!file || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    switch (Column(index.column())) {
    case PathColumn:
        if (role == Qt::ToolTipRole && !file->existsLocally)
            return tr("%1 (no longer in the folder)").arg(file->path);
        return file->path;
    case CountColumn:
        return QLocale().toString(file->versions.size() + file->serverEntries.size());
    case LastSavedColumn:
        return QLocale().toString(QDateTime::fromMSecsSinceEpoch(file->newestMs()),
                                  QLocale::ShortFormat);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant VersionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case PathColumn:
        return tr("File");
    case CountColumn:
        return tr("Versions");
    case LastSavedColumn:
        return tr("Last kept");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace steadysync
