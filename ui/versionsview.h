#pragma once

#include "remote/nextcloudhistory.h"
#include "result.h"
#include "versionfacts.h"
#include "versionsmodel.h"

#include <QDialog>

#include <functional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTreeWidget;

namespace steadysync {

class VersionPanel;

// The Versions view of one pair (DESIGN §10): the files its version store keeps, searchable
// and narrowed to deleted files on request; each file's versions over time with the conflict
// dialog's preview; Restore (to its path, keeping what it replaces as a version) and
// Restore to… (elsewhere). The store is read and written on worker threads: its index read
// read-only, a restore through the same core code as `steadysync-cli versions restore`,
// which waits for the store's lock while the engine saves a version.
class VersionsView : public QDialog
{
    Q_OBJECT
public:
    // Asks where "Restore to…" writes; an empty answer cancels. Replaceable for tests.
    using DestinationChooser = std::function<QString(QWidget *parent, const QString &suggested)>;

    VersionsView(const QString &pairName, const QString &localRoot, QWidget *parent = nullptr);

    void setDestinationChooser(DestinationChooser chooser) { m_chooser = std::move(chooser); }
    // Brings a version kept on the server into the local store (the running pair's engine
    // does it, with the pair's credentials); done runs on this thread. Without one, the view
    // says how to restore such a version on the command line.
    using KeptVersionFetcher = std::function<void(
        const VersionEntry &entry, std::function<void(const Result<VersionEntry> &)> done)>;
    void setKeptVersionFetcher(KeptVersionFetcher fetcher) { m_fetcher = std::move(fetcher); }
    // Speaks to the pair's server about what it keeps of its own accord (Nextcloud's versions
    // and trash; nullptr for other servers); called on worker threads. Without one, only the
    // versions kept by Steadysync are listed.
    using ServerHistorySource = std::function<std::unique_ptr<NextcloudHistory>()>;
    void setServerHistorySource(ServerHistorySource source);
    static ServerHistorySource serverHistorySourceFor(const QUrl &remote,
                                                      const BackendOptions &options);
    bool serverHistoryLoaded() const { return m_serverLoaded; }
    // Narrows the list to path and selects it once the store is read.
    void showFile(const QString &path);
    // Re-reads the store (asynchronously).
    void reload();

    QString localRoot() const { return m_localRoot; }
    bool loaded() const { return m_loaded; }
    bool previewLoaded() const { return m_previewLoaded; }
    bool restoring() const { return m_restoring; }
    QString currentFilePath() const;
    VersionsModel *filesModel() const { return m_model; }
    QTableView *fileList() const { return m_files; }
    QTreeWidget *versionList() const { return m_versions; }
    QLineEdit *searchBox() const { return m_search; }
    QCheckBox *deletedOnlyBox() const { return m_deletedOnly; }
    VersionPanel *previewPanel() const { return m_preview; }
    QPushButton *restoreButton() const { return m_restore; }
    QPushButton *restoreToButton() const { return m_restoreTo; }
    QLabel *statusLabel() const { return m_status; }

Q_SIGNALS:
    // A restore wrote into the pair's folder (the caller may sync soon).
    void restoredInFolder(const QString &path);
    void restoreFinished(bool ok);
    void loadedChanged();
    void serverHistoryLoadedChanged();

private:
    QWidget *createLists();
    void connectControls();
    void onLoaded(int generation, const VersionsSnapshot &snapshot);
    void selectWantedFile();
    void showVersionsOfCurrentFile();
    void onVersionChosen();
    void onPreviewLoaded(int generation, const VersionFacts &facts, const QString &currentText);
    const VersionEntry *currentVersion() const;
    void restoreTo(const QString &destination);
    void restoreFromStore(const VersionEntry &entry, const QString &destination);
    void onRestored(const QString &destination, const QString &error);
    void updateButtons();
    // What the server keeps (versionsviewserver.cpp).
    void loadServerHistory(int generation);
    void onServerHistoryLoaded(int generation, const QList<ServerHistoryEntry> &entries,
                               const QString &error);
    void addServerRows();
    const ServerHistoryEntry *currentServerEntry() const;
    void showServerFacts(const ServerHistoryEntry &entry);
    void restoreServerEntry(const ServerHistoryEntry &entry, const QString &destination);

    QString m_localRoot;
    DestinationChooser m_chooser;
    KeptVersionFetcher m_fetcher;
    ServerHistorySource m_serverSource;
    QVector<VersionedFile> m_localFiles; // the store's files as last read
    QString m_serverPath;                // the file the view was opened for, else ""
    bool m_serverLoaded = false;
    VersionsModel *m_model;
    QLineEdit *m_search;
    QCheckBox *m_deletedOnly;
    QTableView *m_files = nullptr;
    QTreeWidget *m_versions = nullptr;
    VersionPanel *m_preview;
    QPushButton *m_restore;
    QPushButton *m_restoreTo;
    QLabel *m_status;
    QString m_wantedPath;
    VersionedFile m_current; // the file whose versions are listed
    int m_loadGeneration = 0;
    int m_previewGeneration = 0;
    bool m_loaded = false;
    bool m_previewLoaded = false;
    bool m_restoring = false;
};

} // namespace steadysync
