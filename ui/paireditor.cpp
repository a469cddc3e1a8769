#include "paireditor.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace steadysync {

PairEditor::PairEditor(QWidget *parent)
    : QWidget(parent), m_localFolder(new QLineEdit(this)), m_remoteUrl(new QLineEdit(this)),
      m_user(new QLineEdit(this)), m_password(new QLineEdit(this)),
      m_conflictPolicy(new QComboBox(this)), m_debounce(createSpinBox(600'000, tr(" ms"))),
      m_pollInterval(createSpinBox(86'400, tr(" s"))),
      m_bwUp(createSpinBox(10'000'000, tr(" KiB/s"), tr("unlimited"))),
      m_bwDown(createSpinBox(10'000'000, tr(" KiB/s"), tr("unlimited")))
{
    m_remoteUrl->setPlaceholderText(
        tr("https://server/remote.php/dav/files/me/ or file:///mnt/nas"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("stored in the system keychain, never in a file"));
    m_conflictPolicy->addItem(tr("Keep both versions"), int(ConflictPolicy::KeepBoth));
    m_conflictPolicy->addItem(tr("Ask me"), int(ConflictPolicy::Ask));
    m_conflictPolicy->addItem(tr("This computer wins (keep a copy)"),
                              int(ConflictPolicy::LocalWins));
    m_conflictPolicy->addItem(tr("Server wins (keep a copy)"), int(ConflictPolicy::RemoteWins));
    m_pollInterval->setMinimum(1);

    auto *browse = new QPushButton(tr("Choose…"), this);
    connect(browse, &QPushButton::clicked, this, &PairEditor::browseLocalFolder);
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_localFolder, 1);
    folderRow->addWidget(browse);

    auto *form = new QFormLayout(this);
    form->addRow(tr("Local folder:"), folderRow);
    form->addRow(tr("Remote URL:"), m_remoteUrl);
    form->addRow(tr("User:"), m_user);
    form->addRow(tr("Password:"), m_password);
    form->addRow(tr("When both sides changed:"), m_conflictPolicy);
    form->addRow(tr("Wait after a change:"), m_debounce);
    form->addRow(tr("Check the server every:"), m_pollInterval);
    form->addRow(tr("Upload limit:"), m_bwUp);
    form->addRow(tr("Download limit:"), m_bwDown);
    setConfig(PairConfig{});
}

QSpinBox *PairEditor::createSpinBox(int maximum, const QString &suffix, const QString &zeroText)
{
    auto *box = new QSpinBox(this);
    box->setRange(0, maximum);
    box->setSuffix(suffix);
    box->setSpecialValueText(zeroText);
    return box;
}

void PairEditor::setConfig(const PairConfig &config)
{
    m_config = config;
    m_localFolder->setText(config.localRoot);
    m_remoteUrl->setText(config.remoteUrl.toString(QUrl::RemovePassword));
    m_user->setText(config.user);
    m_password->clear();
    m_conflictPolicy->setCurrentIndex(m_conflictPolicy->findData(int(config.conflictPolicy)));
    m_debounce->setValue(int(config.debounceMs));
    m_pollInterval->setValue(int(config.pollIntervalS));
    m_bwUp->setValue(int(config.bwLimitUpKiB));
    m_bwDown->setValue(int(config.bwLimitDownKiB));
}

PairConfig PairEditor::config() const
{
    PairConfig config = m_config;
    config.localRoot = QDir::cleanPath(m_localFolder->text().trimmed());
    config.remoteUrl = QUrl(m_remoteUrl->text().trimmed());
    config.user = m_user->text().trimmed();
    config.conflictPolicy = ConflictPolicy(m_conflictPolicy->currentData().toInt());
    config.debounceMs = m_debounce->value();
    config.pollIntervalS = m_pollInterval->value();
    config.bwLimitUpKiB = m_bwUp->value();
    config.bwLimitDownKiB = m_bwDown->value();
    return config;
}

QString PairEditor::validationError() const
{
    const PairConfig pair = config();
    if (pair.localRoot.isEmpty() || !QDir::isAbsolutePath(pair.localRoot))
        return tr("Choose a local folder (an absolute path).");
    const QString scheme = pair.remoteUrl.scheme();
    const bool webdav = scheme == QStringLiteral("http") || scheme == QStringLiteral("https");
    const bool directory = scheme == QStringLiteral("file") && pair.remoteUrl.isLocalFile();
    if (!pair.remoteUrl.isValid() || !(webdav || directory))
        return tr("The remote URL must start with https://, http:// or file:///.");
    if (directory && QDir::cleanPath(pair.remoteUrl.toLocalFile()) == pair.localRoot)
        return tr("The remote folder must not be the local folder.");
    return {};
}

QString PairEditor::password() const
{
    return m_password->text();
}

void PairEditor::browseLocalFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("Choose the Folder to Sync"),
        m_localFolder->text().isEmpty() ? QDir::homePath() : m_localFolder->text());
    if (!folder.isEmpty())
        m_localFolder->setText(folder);
}

} // namespace steadysync
