#include "firstrundialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace steadysync {

FirstRunDialog::FirstRunDialog(const PairConfig &pair, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Welcome to Steadysync"));
    auto *layout = new QVBoxLayout(this);
    auto *text = new QLabel(
        tr("<p>No folder is set up for syncing yet.</p>"
           "<p>Steadysync can start with a default pair: the folder <b>%1</b> kept in sync with "
           "<b>%2</b> on this computer. You can add a server or change folders in the settings "
           "at any time.</p>")
            .arg(pair.localRoot.toHtmlEscaped(), pair.remoteUrl.toLocalFile().toHtmlEscaped()),
        this);
    text->setWordWrap(true);
    layout->addWidget(text);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(tr("Use Default Folders"), QDialogButtonBox::AcceptRole);
    buttons->addButton(tr("Set Up Later"), QDialogButtonBox::RejectRole);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

bool FirstRunDialog::createFolders(const PairConfig &pair, QString *error)
{
    for (const QString &folder : {pair.localRoot, pair.remoteUrl.toLocalFile()}) {
        if (!QDir().mkpath(folder)) {
            *error = tr("Cannot create the folder %1.").arg(folder);
            return false;
        }
    }
    return true;
}

} // namespace steadysync
