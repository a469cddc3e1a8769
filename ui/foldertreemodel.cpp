#include "foldertreemodel.h"

#include "sync/folderselection.h"

#include <QCollator>
#include <QIcon>
#include <QLocale>

#include <algorithm>

namespace steadysync {

struct FolderTreeModel::Node
{
    QString path; // relative to the remote root; "" for the root
    QString name;
    Node *parent = nullptr;
    std::vector<std::unique_ptr<Node>> children; // folders only, by name
    bool listed = false;
    bool listing = false;
    qint64 treeBytes = -1; // the server's count (quota-used-bytes), -1 unknown
    qint64 fileBytes = 0;  // the files directly in it, once listed
    QString error;         // of the last listing that failed

    int row() const
    {
        if (!parent)
            return 0;
        for (std::size_t i = 0; i < parent->children.size(); ++i) {
            if (parent->children[i].get() == this)
                return int(i);
        }
        return 0;
    }
};

namespace {

bool isBelowAny(const QString &path, const QStringList &folders, bool orSame)
{
    return std::any_of(folders.cbegin(), folders.cend(), [&](const QString &folder) {
        return (orSame || folder != path) && isSameOrBelow(path, folder);
    });
}

bool hasAnyBelow(const QString &path, const QStringList &folders)
{
    return std::any_of(folders.cbegin(), folders.cend(), [&](const QString &folder) {
        return folder != path && (path.isEmpty() || isSameOrBelow(folder, path));
    });
}

void removeSameOrBelow(QStringList *folders, const QString &path)
{
    folders->erase(
        std::remove_if(folders->begin(), folders->end(),
                       [&](const QString &folder) { return isSameOrBelow(folder, path); }),
        folders->end());
}

} // namespace

FolderTreeModel::FolderTreeModel(std::unique_ptr<RemoteBackend> backend, QObject *parent)
    : QAbstractItemModel(parent), m_backend(std::move(backend)), m_root(std::make_unique<Node>())
{}

FolderTreeModel::~FolderTreeModel()
{
    // A backend may end its jobs as it goes (WebDAV aborts its requests): while the tree is
    // still whole, and unheard.
    m_closing = true;
    m_backend.reset();
}

void FolderTreeModel::setSelection(const QStringList &excluded, const QStringList &heldBack)
{
    m_initialExcluded = FolderSelection::withExcluded({}, excluded);
    m_excluded = m_initialExcluded;
    m_heldBack = heldBack;
    m_accepted.clear();
}

void FolderTreeModel::start()
{
    list(m_root.get());
}

void FolderTreeModel::list(Node *node)
{
    if (node->listed || node->listing)
        return;
    node->listing = true;
    ++m_pendingListings;
    ListJob *job = m_backend->list(node->path);
    const QString path = node->path;
    connect(job, &RemoteJob::finished, this,
            [this, path](RemoteJob *finished) { onListed(path, finished); });
}

void FolderTreeModel::onListed(const QString &path, RemoteJob *job)
{
    --m_pendingListings;
    if (m_closing)
        return;
    Node *node = findNode(path);
    if (!node)
        return;
    node->listing = false;
    if (!job->succeeded()) {
        node->error = job->error()->message;
        Q_EMIT folderListed(path, node->error);
        return;
    }
    node->error.clear();
    insertChildren(node, static_cast<ListJob *>(job)->entries());
    Q_EMIT folderListed(path, QString());
    Q_EMIT selectionChanged();
}

void FolderTreeModel::insertChildren(Node *node, const QVector<RemoteEntry> &entries)
{
    QVector<RemoteEntry> folders;
    node->fileBytes = 0;
    for (const RemoteEntry &entry : entries) {
        if (entry.isDir())
            folders.append(entry);
        else
            node->fileBytes += entry.size;
    }
    QCollator collator;
    collator.setNumericMode(true);
    collator.setCaseSensitivity(Qt::CaseInsensitive);
    const auto nameOf = [](const RemoteEntry &entry) {
        return entry.path.section('/', -1);
    };
    std::sort(folders.begin(), folders.end(), [&](const RemoteEntry &a, const RemoteEntry &b) {
        return collator.compare(nameOf(a), nameOf(b)) < 0;
    });
    node->listed = true;
    if (!folders.isEmpty()) {
        beginInsertRows(indexOfNode(node), 0, int(folders.size()) - 1);
        for (const RemoteEntry &entry : std::as_const(folders)) {
            auto child = std::make_unique<Node>();
            child->path = node->path.isEmpty() ? nameOf(entry)
                                               : node->path + QLatin1Char('/') + nameOf(entry);
            child->name = nameOf(entry);
            child->parent = node;
            child->treeBytes = entry.treeBytes;
            node->children.push_back(std::move(child));
        }
        endInsertRows();
    }
    refreshAll(m_root.get()); // a new size changes those of the folders above
}

FolderTreeModel::Node *FolderTreeModel::findNode(const QString &path) const
{
    Node *node = m_root.get();
    if (path.isEmpty())
        return node;
    for (const QString &name : path.split(QLatin1Char('/'))) {
        const auto found = std::find_if(node->children.cbegin(), node->children.cend(),
                                        [&name](const auto &child) { return child->name == name; });
        if (found == node->children.cend())
            return nullptr;
        node = found->get();
    }
    return node;
}

QModelIndex FolderTreeModel::indexOf(const QString &path) const
{
    const Node *node = findNode(path);
    return node ? indexOfNode(node) : QModelIndex();
}

FolderTreeModel::Node *FolderTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex FolderTreeModel::indexOfNode(const Node *node, int column) const
{
    if (node == m_root.get())
        return {};
    return createIndex(node->row(), column, const_cast<Node *>(node));
}

QModelIndex FolderTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    const Node *node = nodeOf(parent);
    if (row < 0 || row >= int(node->children.size()) || column < 0 || column >= ColumnCount)
        return {};
    return createIndex(row, column, node->children[std::size_t(row)].get());
}

QModelIndex FolderTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOfNode(nodeOf(child)->parent);
}

int FolderTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int FolderTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool FolderTreeModel::hasChildren(const QModelIndex &parent) const
{
    const Node *node = nodeOf(parent);
    return !node->listed || !node->children.empty(); // unknown until listed
}

bool FolderTreeModel::canFetchMore(const QModelIndex &parent) const
{
    const Node *node = nodeOf(parent);
    return !node->listed && !node->listing;
}

void FolderTreeModel::fetchMore(const QModelIndex &parent)
{
    list(nodeOf(parent));
}

qint64 FolderTreeModel::sizeOf(const Node *node, bool *complete, bool *known) const
{
    *known = node->treeBytes >= 0 || node->listed;
    *complete = node->treeBytes >= 0;
    if (node->treeBytes >= 0 || !node->listed)
        return qMax<qint64>(0, node->treeBytes);
    qint64 bytes = node->fileBytes;
    *complete = true;
    for (const auto &child : node->children) {
        bool childComplete = false;
        bool childKnown = false;
        bytes += sizeOf(child.get(), &childComplete, &childKnown);
        *complete = *complete && childComplete;
    }
    return bytes;
}

QString FolderTreeModel::formatSize(qint64 bytes, bool complete, bool known)
{
    if (!known)
        return QStringLiteral("—");
    const QString size = QLocale().formattedDataSize(bytes);
    return complete ? size : tr("at least %1").arg(size);
}

qint64 FolderTreeModel::selectedBytes(bool *complete) const
{
    *complete = true;
    return selectedBytesOf(m_root.get(), complete);
}

qint64 FolderTreeModel::selectedBytesOf(const Node *node, bool *complete) const
{
    const Qt::CheckState state =
        node == m_root.get() ? Qt::PartiallyChecked : checkStateOf(node->path);
    if (state == Qt::Unchecked)
        return 0;
    if (state == Qt::Checked) {
        bool whole = false;
        bool known = false;
        const qint64 bytes = sizeOf(node, &whole, &known);
        *complete = *complete && whole;
        return bytes;
    }
    if (!node->listed) {
        *complete = false;
        return 0;
    }
    qint64 bytes = node->fileBytes;
    for (const auto &child : node->children)
        bytes += selectedBytesOf(child.get(), complete);
    return bytes;
}

QStringList FolderTreeModel::blockingFolders() const
{
    QStringList folders = m_excluded;
    for (const QString &held : m_heldBack) {
        if (!m_accepted.contains(held))
            folders.append(held);
    }
    return folders;
}

Qt::CheckState FolderTreeModel::checkStateOf(const QString &path) const
{
    const QStringList blocking = blockingFolders();
    if (isBelowAny(path, blocking, true))
        return Qt::Unchecked;
    return hasAnyBelow(path, blocking) ? Qt::PartiallyChecked : Qt::Checked;
}

QVariant FolderTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node *node = nodeOf(index);
    const bool held = m_heldBack.contains(node->path) && !m_accepted.contains(node->path);
    const bool sizeShown = index.column() == SizeColumn && role == Qt::DisplayRole;
    if (role == BytesRole || role == SizeCompleteRole || sizeShown)
        return sizeData(node, role);
    if (role == PathRole)
        return node->path;
    if (role == Qt::ToolTipRole)
        return toolTipOf(node, held);
    if (index.column() == SizeColumn)
        return role == Qt::TextAlignmentRole ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                                             : QVariant();
    if (role == Qt::DisplayRole)
        return held ? tr("%1 (new, waiting for your choice)").arg(node->name) : node->name;
    if (role == Qt::CheckStateRole)
        return checkStateOf(node->path);
    if (role == Qt::DecorationRole)
        return QIcon::fromTheme(QStringLiteral("folder"));
    return {};
}

QVariant FolderTreeModel::sizeData(const Node *node, int role) const
{
    bool complete = false;
    bool known = false;
    const qint64 bytes = sizeOf(node, &complete, &known); // walks what is listed below
    if (role == BytesRole)
        return known ? QVariant(bytes) : QVariant();
    return role == SizeCompleteRole ? QVariant(complete)
                                    : QVariant(formatSize(bytes, complete, known));
}

QVariant FolderTreeModel::toolTipOf(const Node *node, bool held)
{
    if (!node->error.isEmpty())
        return tr("This folder could not be listed: %1").arg(node->error);
    return held ? tr("New on the server and large: held back until you choose") : QVariant();
}

Qt::ItemFlags FolderTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    // Three states shown, two chosen. Not Qt::ItemIsAutoTristate: it would derive a folder's
    // state from the rows listed so far, and miss exclusions deeper than that.
    if (index.column() == NameColumn)
        flags |= Qt::ItemIsUserCheckable;
    return flags;
}

bool FolderTreeModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || role != Qt::CheckStateRole || index.column() != NameColumn)
        return false;
    const Node *node = nodeOf(index);
    // A click on a partly checked folder checks it, as file managers and Nextcloud do.
    if (Qt::CheckState(value.toInt()) == Qt::Unchecked &&
        checkStateOf(node->path) != Qt::PartiallyChecked)
        uncheck(node);
    else
        check(node);
    refreshAll(m_root.get());
    Q_EMIT selectionChanged();
    return true;
}

void FolderTreeModel::uncheck(const Node *node)
{
    removeSameOrBelow(&m_accepted, node->path);
    if (!m_heldBack.contains(node->path)) // a held folder just waits again
        m_excluded = FolderSelection::withExcluded(m_excluded, {node->path});
}

// Includes node and everything below it. A folder it lies in that was left out is taken
// again, without its other subfolders (they stay left out: only node was asked for).
void FolderTreeModel::check(const Node *node)
{
    removeSameOrBelow(&m_excluded, node->path);
    for (const QString &held : std::as_const(m_heldBack)) {
        if (isSameOrBelow(held, node->path) && !m_accepted.contains(held))
            m_accepted.append(held);
    }
    for (const Node *above = node->parent; above && above != m_root.get(); above = above->parent) {
        const bool excluded = m_excluded.removeAll(above->path) > 0;
        const bool held = m_heldBack.contains(above->path) && !m_accepted.contains(above->path);
        if (!excluded && !held)
            continue;
        if (held)
            m_accepted.append(above->path);
        // Every folder between above and node keeps only the branch that leads to node.
        for (const Node *level = node; level != above; level = level->parent) {
            for (const auto &sibling : level->parent->children) {
                if (sibling.get() != level && !isBelowAny(sibling->path, blockingFolders(), true))
                    m_excluded.append(sibling->path);
            }
        }
    }
    m_excluded = FolderSelection::withExcluded({}, m_excluded);
}

void FolderTreeModel::refreshAll(const Node *node)
{
    if (!node->children.empty())
        Q_EMIT dataChanged(indexOfNode(node->children.front().get(), NameColumn),
                           indexOfNode(node->children.back().get(), SizeColumn));
    for (const auto &child : node->children)
        refreshAll(child.get());
}

SelectionChange FolderTreeModel::change() const
{
    SelectionChange change;
    for (const QString &folder : m_initialExcluded) {
        if (!isBelowAny(folder, m_excluded, true))
            change.include.append(folder);
    }
    change.include += m_accepted;
    for (const QString &folder : m_excluded) {
        if (!m_initialExcluded.contains(folder))
            change.exclude.append(folder);
    }
    return change;
}

QVariant FolderTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == NameColumn ? tr("Folder") : tr("Size");
}

} // namespace steadysync
