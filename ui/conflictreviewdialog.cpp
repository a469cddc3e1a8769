#include "conflictreviewdialog.h"

#include "pairsession.h"
#include "versionpanel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QThreadPool>
#include <QVBoxLayout>

namespace steadysync {

ConflictReviewDialog::ConflictReviewDialog(PairSession *session,
                                           const QVector<ConflictRecord> &conflicts,
                                           QWidget *parent)
    : QDialog(parent), m_session(session), m_conflicts(conflicts), m_title(new QLabel(this)),
      m_localPanel(new VersionPanel(tr("Version on this computer"), this)),
      m_remotePanel(new VersionPanel(tr("Version from the server"), this)),
      m_applyToAll(new QCheckBox(this)), m_details(new QCheckBox(tr("Show Details"), this)),
      m_keepLocal(new QPushButton(tr("Keep This Computer's"), this)),
      m_keepRemote(new QPushButton(tr("Keep the Server's"), this)),
      m_keepBoth(new QPushButton(tr("Keep Both"), this)),
      m_versions(new QPushButton(tr("Show Versions"), this))
{
    qRegisterMetaType<VersionFacts>();
    setWindowTitle(tr("Review Conflicts"));
    m_title->setWordWrap(true);
    m_keepLocal->setToolTip(tr("Keep the version on this computer; the server's version goes "
                               "to the trash."));
    m_keepRemote->setToolTip(tr("Keep the server's version; the version on this computer goes "
                                "to the trash."));
    m_keepBoth->setToolTip(tr("Keep both: the server's version stays as a separate conflict "
                              "copy, synced like any file."));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    auto *panels = new QHBoxLayout;
    panels->addWidget(m_localPanel);
    panels->addWidget(m_remotePanel);
    layout->addLayout(panels, 1);
    m_details->setToolTip(tr("Show the checksum (SHA-256) of each version"));
    auto *detailsRow = new QHBoxLayout;
    detailsRow->addWidget(m_details);
    detailsRow->addStretch();
    detailsRow->addWidget(m_versions);
    layout->addLayout(detailsRow);
    m_versions->setAutoDefault(false);
    connect(m_versions, &QPushButton::clicked, this,
            [this] { Q_EMIT versionsRequested(currentPath()); });
    connect(m_details, &QCheckBox::toggled, this, [this](bool shown) {
        m_localPanel->setDetailsVisible(shown);
        m_remotePanel->setDetailsVisible(shown);
    });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_applyToAll);
    buttons->addStretch();
    buttons->addWidget(m_keepLocal);
    buttons->addWidget(m_keepRemote);
    buttons->addWidget(m_keepBoth);
    layout->addLayout(buttons);
    connect(m_keepLocal, &QPushButton::clicked, this,
            [this] { choose(ConflictChoice::KeepLocal); });
    connect(m_keepRemote, &QPushButton::clicked, this,
            [this] { choose(ConflictChoice::KeepRemote); });
    connect(m_keepBoth, &QPushButton::clicked, this, [this] { choose(ConflictChoice::KeepBoth); });
    // Enter keeps both: the choice that discards nothing. A QDialog otherwise makes the first
    // auto-default button (this computer's version) the default.
    for (QPushButton *button : {m_keepLocal, m_keepRemote})
        button->setAutoDefault(false);
    m_keepBoth->setDefault(true);
    resize(900, 560);
    showConflict(0);
}

QString ConflictReviewDialog::currentPath() const
{
    return m_index < m_conflicts.size() ? m_conflicts[m_index].path : QString();
}

void ConflictReviewDialog::showConflict(int index)
{
    m_index = index;
    if (m_index >= m_conflicts.size())
        return;
    const ConflictRecord &conflict = m_conflicts[m_index];
    m_title->setText(tr("Conflict %1 of %2: <b>%3</b> was changed both on this computer and "
                        "on the server.")
                         .arg(m_index + 1)
                         .arg(m_conflicts.size())
                         .arg(conflict.path.toHtmlEscaped()));
    const int remaining = int(m_conflicts.size()) - m_index;
    m_applyToAll->setText(tr("Apply to all remaining conflicts (%1)").arg(remaining));
    m_applyToAll->setEnabled(remaining > 1);
    m_localPanel->showLoading(conflict.localCopy);
    m_remotePanel->showLoading(conflict.remoteCopy);
    loadFacts();
}

void ConflictReviewDialog::loadFacts()
{
    m_factsLoaded = false;
    const int generation = ++m_generation;
    const QString root = m_session->config().localRoot + QLatin1Char('/');
    const QString localPath = root + m_conflicts[m_index].localCopy;
    const QString remotePath = root + m_conflicts[m_index].remoteCopy;
    QPointer<ConflictReviewDialog> self(this);
    QThreadPool::globalInstance()->start([self, generation, localPath, remotePath] {
        const VersionFacts local = VersionFacts::gather(localPath);
        const VersionFacts remote = VersionFacts::gather(remotePath);
        if (self)
            QMetaObject::invokeMethod(
                self,
                [self, generation, local, remote] {
                    if (self)
                        self->onFactsLoaded(generation, local, remote);
                },
                Qt::QueuedConnection);
    });
}

void ConflictReviewDialog::onFactsLoaded(int generation, const VersionFacts &local,
                                         const VersionFacts &remote)
{
    if (generation != m_generation)
        return;
    m_localPanel->showFacts(local, remote.text);
    m_remotePanel->showFacts(remote, local.text);
    m_factsLoaded = true;
}

void ConflictReviewDialog::choose(ConflictChoice choice)
{
    const int last = m_applyToAll->isChecked() ? int(m_conflicts.size()) - 1 : m_index;
    for (int i = m_index; i <= last; ++i)
        m_session->resolveConflict(m_conflicts[i].path, choice);
    if (last + 1 >= m_conflicts.size())
        return accept();
    m_applyToAll->setChecked(false);
    showConflict(last + 1);
}

} // namespace steadysync
