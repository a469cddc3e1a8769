#include "firstrundialog.h"

#include "credentialfetcher.h"
#include "paireditor.h"
#include "remotefoldercreator.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace steadysync {

namespace {

// A path in running text, kept on one line: a word joiner after each '/' and '-' forbids the
// line breaks that cut "/home/anne-marie/Steadysync" into two things.
QString unbrokenPath(const QString &path)
{
    QString html = path.toHtmlEscaped();
    html.replace(QLatin1Char('/'), QStringLiteral("/\u2060"));
    html.replace(QLatin1Char('-'), QStringLiteral("-\u2060"));
    return html;
}

// Wide enough for the server form's hints ("https://server/remote.php/dav/files/me/ or
// file:///mnt/nas") in English, German and French.
constexpr int MinimumWidthInCharacters = 88;

} // namespace

FirstRunDialog::FirstRunDialog(const PairConfig &defaultPair, QWidget *parent)
    : QDialog(parent), m_defaultPair(defaultPair),
      m_useDefault(new QRadioButton(tr("Two folders on this computer"), this)),
      m_useServer(new QRadioButton(tr("A server (WebDAV, such as Nextcloud)"), this)),
      m_message(new QLabel(this)), m_creator(new RemoteFolderCreator(this))
{
    setWindowTitle(tr("Welcome to Steadysync"));
    setMinimumWidth(MinimumWidthInCharacters * fontMetrics().averageCharWidth());
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("No folder is set up for syncing yet. What should the folder "
                                "<b>%1</b> be kept in sync with?")
                                 .arg(unbrokenPath(defaultPair.localRoot)),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    layout->addWidget(m_useServer);
    layout->addWidget(createServerPage());
    layout->addWidget(m_useDefault);
    auto *defaultText = new QLabel(
        tr("The folder <b>%1</b> on this computer. You can add a server or change folders in "
           "the settings at any time.")
            .arg(unbrokenPath(defaultPair.remoteUrl.toLocalFile())),
        this);
    defaultText->setWordWrap(true);
    defaultText->setContentsMargins(24, 0, 0, 0);
    layout->addWidget(defaultText);
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #c62828;"));
    layout->addWidget(m_message);
    layout->addStretch();

    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(tr("Start Syncing"), QDialogButtonBox::AcceptRole);
    buttons->addButton(tr("Set Up Later"), QDialogButtonBox::RejectRole);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &FirstRunDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_useServer, &QRadioButton::toggled, m_serverPage, &QWidget::setEnabled);
    m_useDefault->setChecked(true);
    m_serverPage->setEnabled(false);
    // The width set above replaces the layout's own minimum, and a window with word-wrapped
    // text opens narrower than its rows (Qt's guess): the server form's buttons were clipped
    // in German and French.
    setMinimumWidth(qMax(minimumWidth(), layout->minimumSize().width()));
}

QWidget *FirstRunDialog::createServerPage()
{
    m_serverPage = new QWidget(this);
    auto *layout = new QVBoxLayout(m_serverPage);
    layout->setContentsMargins(24, 0, 0, 0);
    m_server = new PairEditor(m_serverPage);
    m_server->setOptionsVisible(false);
    PairConfig server;
    server.id.clear();
    server.localRoot = m_defaultPair.localRoot;
    m_server->setConfig(server);
    layout->addWidget(m_server);
    m_createFolder = new QPushButton(tr("Create the Folder on the Server"), m_serverPage);
    m_createFolder->setEnabled(false);
    layout->addWidget(m_createFolder, 0, Qt::AlignLeft);
    connect(m_server, &PairEditor::connectionTested, this,
            [this](ConnectionTester::Outcome outcome) {
                m_createFolder->setEnabled(outcome == ConnectionTester::Outcome::FolderNotFound);
            });
    connect(m_server->remoteUrlEdit(), &QLineEdit::textEdited, this,
            [this] { m_createFolder->setEnabled(false); });
    connect(m_createFolder, &QPushButton::clicked, this, &FirstRunDialog::createRemoteFolder);
    connect(m_creator, &RemoteFolderCreator::finished, this, [this](const QString &error) {
        m_message->setText(error.isEmpty() ? QString()
                                           : tr("The folder could not be created: %1").arg(error));
        if (error.isEmpty())
            m_server->testConnection(); // shows that it is there now
    });
    return m_serverPage;
}

void FirstRunDialog::createRemoteFolder()
{
    m_createFolder->setEnabled(false);
    const PairConfig pair = m_server->config();
    BackendOptions options = pair.engineOptions().backend;
    options.password = m_server->password();
    m_creator->start(pair.remoteUrl, options);
}

PairConfig FirstRunDialog::chosenPair() const
{
    return m_useServer->isChecked() ? m_server->config() : m_defaultPair;
}

QString FirstRunDialog::password() const
{
    return m_useServer->isChecked() ? m_server->password() : QString();
}

void FirstRunDialog::accept()
{
    if (m_useServer->isChecked()) {
        if (const QString error = m_server->validationError(); !error.isEmpty()) {
            m_message->setText(error);
            return;
        }
    }
    QDialog::accept();
}

bool FirstRunDialog::createFolders(const PairConfig &pair, QString *error)
{
    QStringList folders{pair.localRoot};
    if (pair.remoteUrl.isLocalFile())
        folders.append(pair.remoteUrl.toLocalFile());
    for (const QString &folder : folders) {
        if (!QDir().mkpath(folder)) {
            *error = tr("Cannot create the folder %1.").arg(folder);
            return false;
        }
    }
    return true;
}

} // namespace steadysync
