// Engine: selective sync changes made while the engine runs (the app's "Choose folders").
#include "sync/engine.h"
#include "sync/folderselection.h"
#include "threadaffinity.h"

namespace steadysync {

void Engine::loadIgnoreRules()
{
    m_ignore = IgnoreRules::forRoot(m_options.localRoot, m_options.excludes);
    for (const QString &folder : FolderSelection::excludedFolders(*m_journal))
        m_ignore.addExcludedFolder(folder);
    m_runner->clearTreeCache(); // it was walked with the previous ignore rules
}

void Engine::changeFolderSelection(const SelectionChange &change)
{
    assertOwnThread(this);
    if (!m_journal) {
        Q_EMIT folderSelectionChanged({}, tr("the pair is not running"));
        return;
    }
    m_pendingSelections.append(change);
    applyPendingSelections();
}

// A running cycle may be writing into a folder being left out: the change waits for its end
// (onCycleFinished() calls again), so that nothing downloaded after the local copy went.
void Engine::applyPendingSelections()
{
    if (m_runner->isRunning() || m_pendingSelections.isEmpty() || !m_journal)
        return;
    const QVector<SelectionChange> changes = std::exchange(m_pendingSelections, {});
    for (const SelectionChange &change : changes) {
        const Result<SelectionOutcome> outcome =
            applySelectionChange(m_options.localRoot, *m_journal, change);
        Q_EMIT folderSelectionChanged(outcome.ok() ? *outcome : SelectionOutcome{},
                                      outcome.ok() ? QString() : outcome.error().message);
    }
    loadIgnoreRules();
    m_lastRemoteView.reset(); // walked with the previous selection
    if (m_watcher) {
        m_watcher->stop();
        startLocalWatcher(); // a folder taken again is watched from now on
    }
    Q_EMIT heldBackChanged(FolderSelection::heldBackFolders(*m_journal));
    if (m_mode == Mode::Watching)
        requestCycle({}, true);
}

} // namespace steadysync
