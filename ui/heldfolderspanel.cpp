#include "heldfolderspanel.h"

#include "pairsession.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace steadysync {

HeldFoldersPanel::HeldFoldersPanel(PairSession *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_rows(new QVBoxLayout)
{
    setObjectName(QStringLiteral("heldFolders"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *title = new QLabel(tr("New large folders on the server wait for your choice:"), this);
    title->setWordWrap(true);
    layout->addWidget(title);
    layout->addLayout(m_rows);
    connect(session, &PairSession::heldBackChanged, this, &HeldFoldersPanel::showFolders);
    showFolders(session->heldBackFolders());
}

void HeldFoldersPanel::showFolders(const QStringList &folders)
{
    m_folders = folders;
    while (QLayoutItem *item = m_rows->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (const QString &folder : folders)
        m_rows->addWidget(createRow(folder));
    setVisible(!folders.isEmpty());
}

QWidget *HeldFoldersPanel::createRow(const QString &folder)
{
    auto *row = new QWidget(this);
    row->setObjectName(QStringLiteral("heldFolder:") + folder);
    auto *name = new QLabel(QStringLiteral("<b>%1</b>").arg(folder.toHtmlEscaped()), row);
    name->setTextFormat(Qt::RichText);
    auto *download = new QPushButton(tr("Download"), row);
    download->setObjectName(QStringLiteral("download"));
    download->setToolTip(tr("Sync this folder to this computer, however large it is."));
    auto *keep = new QPushButton(tr("Keep Excluded"), row);
    keep->setObjectName(QStringLiteral("keepExcluded"));
    keep->setToolTip(tr("Leave this folder on the server only. Choose Folders in the settings "
                        "can take it later."));
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(name, 1);
    layout->addWidget(download);
    layout->addWidget(keep);
    // The row goes with the engine's answer (heldBackChanged); no second click meanwhile.
    connect(download, &QPushButton::clicked, this, [this, folder, row] {
        row->setEnabled(false);
        m_session->acceptHeldFolder(folder);
    });
    connect(keep, &QPushButton::clicked, this, [this, folder, row] {
        row->setEnabled(false);
        m_session->keepHeldFolderExcluded(folder);
    });
    return row;
}

} // namespace steadysync
