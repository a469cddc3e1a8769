// The Versions view's part for what the server keeps of its own accord (issue 19 item 8):
// Nextcloud's earlier versions of a file and its trash, listed beside the versions Steadysync
// kept and restored through the same core code as `versions restore --id server-…`.
#include "offguithread.h"
#include "versionpanel.h"
#include "versionsview.h"

#include "versions/serverhistoryrestore.h"
#include "versions/versionrestorer.h"
#include "versions/versionstore.h"

#include <QDateTime>
#include <QDir>
#include <QLabel>
#include <QLocale>
#include <QTreeWidget>

namespace steadysync {

namespace {

constexpr int maxFilesAsked = 50;

using Listing = std::pair<QList<ServerHistoryEntry>, QString>; // entries, error

Listing listServerHistory(NextcloudHistory &history, const QString &path)
{
    const Result<ServerHistoryFeatures> features = history.features();
    if (!features)
        return {{}, features.error().message};
    QList<ServerHistoryEntry> entries;
    if (features->versions) {
        int leftOut = 0;
        const Result<QList<ServerHistoryEntry>> versions =
            path.isEmpty() ? history.versionsIn(path, maxFilesAsked, &leftOut)
                           : history.versionsOf(path);
        if (!versions && versions.error().kind != ErrorKind::NotFound)
            return {{}, versions.error().message};
        if (versions)
            entries += *versions;
    }
    if (features->trash) {
        const Result<QList<ServerHistoryEntry>> trashed = history.trash();
        if (!trashed)
            return {entries, trashed.error().message};
        entries += *trashed;
    }
    return {entries, QString()};
}

} // namespace

void VersionsView::setServerHistorySource(ServerHistorySource source)
{
    m_serverSource = std::move(source);
    if (m_loaded)
        loadServerHistory(m_loadGeneration);
}

VersionsView::ServerHistorySource
VersionsView::serverHistorySourceFor(const QUrl &remote, const BackendOptions &options)
{
    if (!NextcloudHistory::forRemote(remote, options))
        return {}; // no Nextcloud: nothing to ask
    return [remote, options] {
        return NextcloudHistory::forRemote(remote, options);
    };
}

void VersionsView::loadServerHistory(int generation)
{
    m_serverLoaded = false;
    if (!m_serverSource) {
        m_serverLoaded = true;
        Q_EMIT serverHistoryLoadedChanged();
        return;
    }
    const ServerHistorySource source = m_serverSource;
    const QString path = m_serverPath;
    runOffGuiThread(
        this,
        [source, path] {
            const std::unique_ptr<NextcloudHistory> history = source();
            return history ? listServerHistory(*history, path) : Listing();
        },
        [this, generation](const Listing &listing) {
            onServerHistoryLoaded(generation, listing.first, listing.second);
        });
}

void VersionsView::onServerHistoryLoaded(int generation, const QList<ServerHistoryEntry> &entries,
                                         const QString &error)
{
    if (generation != m_loadGeneration)
        return;
    QVector<VersionedFile> files = m_localFiles;
    VersionsModel::addServerHistory(files, entries, m_localRoot);
    if (!entries.isEmpty()) {
        m_model->setFiles(files);
        if (files.size() > m_localFiles.size() || !m_localFiles.isEmpty())
            m_status->clear();
        selectWantedFile();
    }
    if (!error.isEmpty())
        m_status->setText(tr("What the server keeps could not be listed: %1").arg(error));
    m_serverLoaded = true;
    Q_EMIT serverHistoryLoadedChanged();
}

void VersionsView::addServerRows()
{
    const QLocale locale;
    for (int i = 0; i < m_current.serverEntries.size(); ++i) {
        const ServerHistoryEntry &entry = m_current.serverEntries[i];
        auto *item = new QTreeWidgetItem(
            m_versions,
            {locale.toString(QDateTime::fromMSecsSinceEpoch(entry.timeMs), QLocale::ShortFormat),
             VersionsModel::serverReasonText(entry),
             entry.size < 0 ? QString() : locale.formattedDataSize(entry.size), tr("Server")});
        item->setData(0, Qt::UserRole, -1 - i); // server rows: negative
    }
}

const ServerHistoryEntry *VersionsView::currentServerEntry() const
{
    const QTreeWidgetItem *item = m_versions->currentItem();
    const int i = item ? -1 - item->data(0, Qt::UserRole).toInt() : -1;
    return i >= 0 && i < m_current.serverEntries.size() ? &m_current.serverEntries[i] : nullptr;
}

// Its content stays on the server until restored: the preview tells size and time only.
void VersionsView::showServerFacts(const ServerHistoryEntry &entry)
{
    VersionFacts facts;
    facts.exists = true;
    facts.size = std::max<qint64>(entry.size, 0);
    facts.modified = QDateTime::fromMSecsSinceEpoch(entry.timeMs);
    m_preview->showFacts(facts, QString());
    m_previewLoaded = true;
}

void VersionsView::restoreServerEntry(const ServerHistoryEntry &entry, const QString &destination)
{
    if (!m_serverSource)
        return;
    m_restoring = true;
    updateButtons();
    m_status->setText(tr("Restoring %1 from the server…").arg(entry.path));
    const QString root = m_localRoot;
    const ServerHistorySource source = m_serverSource;
    // Its own place: for a trashed file, the server's restore where the place is free.
    const bool ownPlace =
        QDir::cleanPath(destination) == QDir::cleanPath(root + QLatin1Char('/') + entry.path);
    const QString target = ownPlace ? QString() : destination;
    using RestoreAnswer = std::pair<QString, QString>; // where, error
    runOffGuiThread(
        this,
        [root, source, entry, target]() -> RestoreAnswer {
            const std::unique_ptr<NextcloudHistory> history = source();
            Result<std::unique_ptr<VersionStore>> store = VersionStore::open(root);
            if (!history || !store)
                return {target, store ? QStringLiteral("no server") : store.error().message};
            const Result<ServerHistoryRestore::Outcome> outcome =
                ServerHistoryRestore::restore(*history, **store, root, entry, target);
            if (!outcome)
                return {target, outcome.error().message};
            return {outcome->destination, QString()};
        },
        [this](const RestoreAnswer &done) { onRestored(done.first, done.second); });
}

} // namespace steadysync
