#pragma once

#include "remote/remotebackend.h"
#include "sync/selectionchange.h"

#include <QAbstractItemModel>
#include <QStringList>

#include <memory>
#include <vector>

namespace steadysync {

// The remote folders of a pair as a tree with tri-state checkboxes (selective sync), filled
// lazily: a folder is listed (one Depth-1 listing through the pair's RemoteBackend, never
// blocking the caller) when a view expands it, and its rows appear then. Sizes come from the
// server's quota-used-bytes where it gives them (RemoteEntry::treeBytes), else from the files
// listed so far ("at least" while folders below are not listed, "—" before any listing).
// The check state follows the selection: a folder is unchecked when it (or a folder it lies
// in) is excluded or held back as new, partly checked when something below it is, else
// checked. Unchecking excludes a folder; checking one includes it and everything below.
class FolderTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, SizeColumn, ColumnCount };
    enum Role { PathRole = Qt::UserRole + 1, BytesRole, SizeCompleteRole };

    explicit FolderTreeModel(std::unique_ptr<RemoteBackend> backend, QObject *parent = nullptr);
    ~FolderTreeModel() override;

    // The selection as the journal holds it (FolderSelection); call before start().
    void setSelection(const QStringList &excluded, const QStringList &heldBack);
    // Lists the remote root.
    void start();

    QStringList excludedFolders() const { return m_excluded; }
    // What saving the tree changes, compared with setSelection().
    SelectionChange change() const;
    // The bytes the selection takes: known sizes of the checked folders and the root's files;
    // *complete is false when some checked folder's size is not known yet.
    qint64 selectedBytes(bool *complete) const;
    // Listings still running.
    int pendingListings() const { return m_pendingListings; }
    QModelIndex indexOf(const QString &path) const;
    static QString formatSize(qint64 bytes, bool complete, bool known);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // A listing ended (path "" is the root); error is empty when it worked.
    void folderListed(const QString &path, const QString &error);
    // The check states or the sizes changed: selectedBytes() may have too.
    void selectionChanged();

private:
    struct Node;
    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOfNode(const Node *node, int column = NameColumn) const;
    Node *findNode(const QString &path) const;
    void list(Node *node);
    void onListed(const QString &path, RemoteJob *job);
    void insertChildren(Node *node, const QVector<RemoteEntry> &entries);
    // Bytes below node and whether that is all of it; false in known when nothing is.
    qint64 sizeOf(const Node *node, bool *complete, bool *known) const;
    // data() for BytesRole, SizeCompleteRole and the size column's text.
    QVariant sizeData(const Node *node, int role) const;
    static QVariant toolTipOf(const Node *node, bool held);
    qint64 selectedBytesOf(const Node *node, bool *complete) const;
    Qt::CheckState checkStateOf(const QString &path) const;
    QStringList blockingFolders() const; // excluded, and held back but not accepted
    void check(const Node *node);
    void uncheck(const Node *node);
    void refreshAll(const Node *node);

    std::unique_ptr<RemoteBackend> m_backend;
    std::unique_ptr<Node> m_root;
    QStringList m_initialExcluded;
    QStringList m_excluded;
    QStringList m_heldBack;
    QStringList m_accepted; // held-back folders the user checked
    int m_pendingListings = 0;
    bool m_closing = false;
};

} // namespace steadysync
