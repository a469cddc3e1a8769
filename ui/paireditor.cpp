#include "paireditor.h"

#include "credentialfetcher.h"
#include "remote/s3access.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
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
      m_bwDown(createSpinBox(10'000'000, tr(" KiB/s"), tr("unlimited"))),
      m_newFolderLimit(createSpinBox(10'000'000, tr(" MiB"), tr("never ask"))),
      m_chooseFolders(new QPushButton(tr("Choose Folders…"), this)),
      m_pauseOnMetered(new QCheckBox(tr("Pause on metered connections"), this)),
      m_pauseOnBatteryBelow(createSpinBox(100, tr(" %"), tr("never"))),
      m_remoteVersions(new QCheckBox(tr("Keep the server's versions"), this)),
      m_syncWindow(new QLineEdit(this)), m_bandwidthTimetable(new QLineEdit(this)),
      m_testConnection(new QPushButton(tr("Test Connection"), this)),
      m_browserLoginButton(new QPushButton(tr("Log in with Browser…"), this)),
      m_browserLogin(new BrowserLogin(this)), m_connectionResult(new QLabel(this)),
      m_passwordState(new QLabel(this)), m_tester(new ConnectionTester(this)), m_s3(this)
{
    describeInputs();

    auto *browse = new QPushButton(tr("Choose…"), this);
    connect(browse, &QPushButton::clicked, this, &PairEditor::browseLocalFolder);
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_localFolder, 1);
    folderRow->addWidget(browse);

    QHBoxLayout *testRow = createTestRow();
    layOutForm(folderRow, testRow);
    setConfig(PairConfig{});
}

// Placeholders, choices and tool tips that say what each input takes.
void PairEditor::describeInputs()
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
    m_syncWindow->setPlaceholderText(tr("always, or e.g. 22:00-06:00"));
    m_syncWindow->setToolTip(tr("Local times, with days if you like: "
                                "Mon-Fri 19:00-07:00,Sat-Sun 00:00-24:00"));
    m_bandwidthTimetable->setPlaceholderText(tr("none, or e.g. 08:00,512k 19:00,off"));
    m_bandwidthTimetable->setToolTip(
        tr("From each time on, the limit in KiB/s (M: MiB/s), UP:DOWN or one for both, off for "
           "none. Replaces the upload and download limits."));
}

// Test Connection and the browser login, with the space where their outcome appears.
QHBoxLayout *PairEditor::createTestRow()
{
    m_connectionResult->setWordWrap(true);
    m_connectionResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // The outcome appears in space kept for it: the rows below must not jump when it does.
    m_connectionResult->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_connectionResult->setMinimumHeight(3 * fontMetrics().lineSpacing());
    m_passwordState->setWordWrap(true);
    m_passwordState->setMinimumHeight(fontMetrics().lineSpacing());
    connect(m_testConnection, &QPushButton::clicked, this, &PairEditor::testConnection);
    connect(m_tester, &ConnectionTester::finished, this, &PairEditor::showConnectionOutcome);
    // An outcome shown for other input would mislead.
    for (QLineEdit *edit : {m_remoteUrl, m_user, m_password}) {
        connect(edit, &QLineEdit::textEdited, this, [this] {
            cancelConnectionTest();
            m_connectionResult->clear();
        });
    }
    m_browserLoginButton->setObjectName(QStringLiteral("browserLogin"));
    m_browserLoginButton->setToolTip(
        tr("Nextcloud: log in in your browser (two-factor authentication and single sign-on "
           "work there); Steadysync receives an app password, never your password."));
    connect(m_browserLoginButton, &QPushButton::clicked, this, &PairEditor::startBrowserLogin);
    connect(m_browserLogin, &BrowserLogin::waitingForBrowser, this,
            [this](const QUrl &page, bool opened) {
                showConnectionMessage(
                    opened ? tr("Log in and grant access in the browser window that opened.")
                           : tr("Open %1 in a browser, log in and grant access.")
                                 .arg(page.toString(QUrl::FullyEncoded)),
                    true);
            });
    connect(m_browserLogin, &BrowserLogin::granted, this, &PairEditor::takeAppPassword);
    connect(m_browserLogin, &BrowserLogin::failed, this, [this](const QString &reason) {
        m_browserLoginButton->setEnabled(true);
        showConnectionMessage(tr("The browser login failed: %1").arg(reason), false);
    });
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_testConnection, 0, Qt::AlignTop);
    testRow->addWidget(m_browserLoginButton, 0, Qt::AlignTop);
    testRow->addWidget(m_connectionResult, 1);

    return testRow;
}

void PairEditor::layOutForm(QHBoxLayout *folderRow, QHBoxLayout *testRow)
{
    auto *form = new QFormLayout(this);
    m_form = form;
    form->addRow(tr("Local folder:"), folderRow);
    addBackendKindRow(form);
    form->addRow(tr("Remote URL:"), m_remoteUrl);
    form->addRow(tr("User:"), m_user);
    addS3Rows(form);
    form->addRow(tr("Password:"), m_password);
    form->addRow(QString(), m_passwordState);
    form->addRow(QString(), testRow);
    form->addRow(tr("When both sides changed:"), m_conflictPolicy);
    form->addRow(tr("Wait after a change:"), m_debounce);
    form->addRow(tr("Check the server every:"), m_pollInterval);
    form->addRow(tr("Upload limit:"), m_bwUp);
    form->addRow(tr("Download limit:"), m_bwDown);
    // The button keeps its own width, as Test Connection does.
    auto *chooseFoldersRow = new QWidget(this);
    auto *chooseFoldersLayout = new QHBoxLayout(chooseFoldersRow);
    chooseFoldersLayout->setContentsMargins(0, 0, 0, 0);
    chooseFoldersLayout->addWidget(m_chooseFolders);
    chooseFoldersLayout->addStretch();
    m_chooseFoldersRow = chooseFoldersRow;
    form->addRow(tr("Folders to sync:"), chooseFoldersRow);
    form->addRow(tr("Ask before new folders over:"), m_newFolderLimit);
    form->addRow(QString(), m_pauseOnMetered);
    m_pauseOnBatteryBelow->setToolTip(
        tr("On battery below this charge, or in power-saver mode, the folder waits."));
    form->addRow(tr("Pause on battery below:"), m_pauseOnBatteryBelow);
    form->addRow(tr("Sync only during:"), m_syncWindow);
    form->addRow(tr("Bandwidth timetable:"), m_bandwidthTimetable);
    m_remoteVersions->setToolTip(
        tr("Before replacing or deleting a file on the server, keep the server's copy in the "
           "hidden folder .steadysync-versions there. For servers that keep no versions of "
           "their own; costs server space until the versions are pruned."));
    form->addRow(QString(), m_remoteVersions);
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
    cancelConnectionTest();
    m_browserLogin->cancel();
    m_browserLoginButton->setEnabled(true);
    m_connectionResult->clear();
    m_config = config;
    m_localFolder->setText(config.localRoot);
    m_remoteUrl->setText(config.remoteUrl.toString(QUrl::RemovePassword));
    m_user->setText(config.user);
    m_s3.setFrom(config.remoteUrl, config.user, config.region);
    m_backendKind->setCurrentIndex(
        qMax(0, m_backendKind->findData(backendKindOf(config.remoteUrl))));
    showBackendRows();
    m_password->clear();
    m_conflictPolicy->setCurrentIndex(m_conflictPolicy->findData(int(config.conflictPolicy)));
    m_debounce->setValue(int(config.debounceMs));
    m_pollInterval->setValue(int(config.pollIntervalS));
    m_bwUp->setValue(int(config.bwLimitUpKiB));
    m_bwDown->setValue(int(config.bwLimitDownKiB));
    m_newFolderLimit->setValue(int(config.newFolderLimitMiB));
    m_pauseOnMetered->setChecked(config.pauseOnMetered);
    m_remoteVersions->setChecked(config.remoteVersions);
    m_pauseOnBatteryBelow->setValue(int(config.pauseOnBatteryBelow));
    m_syncWindow->setText(config.syncWindow);
    m_bandwidthTimetable->setText(config.bandwidthTimetable);
    m_baseline = this->config();
    showStoredPasswordState(config);
}

void PairEditor::showStoredPasswordState(const PairConfig &config)
{
    const int generation = ++m_passwordGeneration;
    m_passwordState->clear();
    m_passwordState->setToolTip(QString());
    if (config.id.isEmpty() || !CredentialFetcher::needsPassword(config))
        return;
    if (qEnvironmentVariableIsSet("STEADYSYNC_PASSWORD"))
        return m_passwordState->setText(tr("The password comes from STEADYSYNC_PASSWORD."));
    CredentialFetcher::readPassword(
        config, this, [this, generation](const QString &stored, const QString &error) {
            if (generation != m_passwordGeneration)
                return; // another pair is shown meanwhile
            if (!stored.isEmpty())
                m_passwordState->setText(tr("A password is stored in the keychain. Type a new "
                                            "one only to replace it."));
            else if (error.isEmpty())
                m_passwordState->setText(tr("No password is stored in the keychain yet."));
            else
                m_passwordState->setText(tr("The keychain could not be read, so it is not "
                                            "known whether a password is stored."));
            m_passwordState->setToolTip(error);
        });
}

PairConfig PairEditor::config() const
{
    PairConfig config = m_config;
    config.localRoot = QDir::cleanPath(m_localFolder->text().trimmed());
    config.remoteUrl = QUrl(m_remoteUrl->text().trimmed());
    config.user = m_user->text().trimmed();
    takeS3Fields(config);
    config.conflictPolicy = ConflictPolicy(m_conflictPolicy->currentData().toInt());
    config.debounceMs = m_debounce->value();
    config.pollIntervalS = m_pollInterval->value();
    config.bwLimitUpKiB = m_bwUp->value();
    config.bwLimitDownKiB = m_bwDown->value();
    config.newFolderLimitMiB = m_newFolderLimit->value();
    config.pauseOnMetered = m_pauseOnMetered->isChecked();
    config.remoteVersions = m_remoteVersions->isChecked();
    config.pauseOnBatteryBelow = m_pauseOnBatteryBelow->value();
    config.syncWindow = m_syncWindow->text().trimmed();
    config.bandwidthTimetable = m_bandwidthTimetable->text().simplified();
    return config;
}

QString PairEditor::validationError() const
{
    const PairConfig pair = config();
    if (pair.localRoot.isEmpty() || !QDir::isAbsolutePath(pair.localRoot))
        return tr("Choose a local folder (an absolute path).");
    if (QString s3Error = isS3() ? m_s3.validationError() : QString(); !s3Error.isEmpty())
        return s3Error;
    const bool directory = pair.remoteUrl.scheme() == QStringLiteral("file");
    if (QString urlError = remoteUrlError(pair.remoteUrl); !urlError.isEmpty())
        return urlError;
    if (directory && QDir::cleanPath(pair.remoteUrl.toLocalFile()) == pair.localRoot)
        return tr("The remote folder must not be the local folder.");
    if (const Result<SyncWindow> window = SyncWindow::parse(pair.syncWindow); !window.ok())
        return tr("The sync window is not valid: %1").arg(window.error().message);
    if (const Result<BandwidthTimetable> table = BandwidthTimetable::parse(pair.bandwidthTimetable);
        !table.ok())
        return tr("The bandwidth timetable is not valid: %1").arg(table.error().message);
    return {};
}

QString PairEditor::remoteUrlError(const QUrl &url) const
{
    const QString scheme = url.scheme();
    const bool webdav = scheme == QStringLiteral("http") || scheme == QStringLiteral("https");
    const bool directory = scheme == QStringLiteral("file") && url.isLocalFile();
    if (url.isValid() && isS3Url(url))
        return {};
    if (!url.isValid() || !(webdav || directory))
        return tr("The remote URL must start with https://, http:// or file:///.");
    return {};
}

void PairEditor::startBrowserLogin()
{
    cancelConnectionTest();
    const QUrl url(m_remoteUrl->text().trimmed());
    if (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
        return showConnectionMessage(tr("Type the server's address (https://…) first."), false);
    m_browserLoginButton->setEnabled(false);
    showConnectionMessage(tr("Asking %1 for a browser login…").arg(url.host()), true);
    m_browserLogin->start(url);
}

// The app password goes in the form like a typed one: saving the pair stores it in the
// keychain. A server address alone becomes the account's WebDAV root.
void PairEditor::takeAppPassword(const AppPassword &granted)
{
    m_browserLoginButton->setEnabled(true);
    const QUrl typed(m_remoteUrl->text().trimmed());
    if (!typed.path().contains(QStringLiteral("/remote.php/")))
        m_remoteUrl->setText(granted.davRoot().toString());
    m_user->setText(granted.loginName);
    m_password->setText(granted.password);
    showConnectionMessage(tr("Logged in as %1 with an app password; it is stored in the "
                             "keychain when you save.")
                              .arg(granted.loginName),
                          true);
}

void PairEditor::testConnection()
{
    cancelConnectionTest();
    const PairConfig pair = config();
    if (const QString error = remoteUrlError(pair.remoteUrl); !error.isEmpty())
        return showConnectionMessage(error, false);
    m_testedUrl = pair.remoteUrl;
    m_testConnection->setEnabled(false);
    m_testConnection->setText(tr("Testing…"));
    showConnectionMessage(
        tr("Trying %1…").arg(pair.remoteUrl.toDisplayString(QUrl::RemoveUserInfo)), true);
    const QString typed = password();
    // An existing pair with nothing typed is tested with the password it already has.
    if (!typed.isEmpty() || pair.id.isEmpty() || !CredentialFetcher::needsPassword(pair) ||
        pair.user != m_config.user || pair.remoteUrl != m_config.remoteUrl)
        return startConnectionTest(pair, typed);
    m_readingPassword = true;
    const int generation = ++m_testGeneration;
    CredentialFetcher::readPassword(
        pair, this, [this, pair, generation](const QString &stored, const QString &) {
            if (generation != m_testGeneration)
                return;
            m_readingPassword = false;
            startConnectionTest(pair, stored);
        });
}

void PairEditor::startConnectionTest(const PairConfig &pair, const QString &password)
{
    BackendOptions options = pair.engineOptions().backend;
    options.password = password;
    m_tester->start(pair.remoteUrl, options, m_testTimeoutMs);
}

void PairEditor::cancelConnectionTest()
{
    ++m_testGeneration;
    m_readingPassword = false;
    m_tester->cancel();
    m_testConnection->setEnabled(true);
    m_testConnection->setText(tr("Test Connection"));
}

void PairEditor::hideEvent(QHideEvent *event)
{
    if (isTestingConnection() || m_browserLogin->isRunning()) {
        cancelConnectionTest();
        m_browserLogin->cancel();
        m_browserLoginButton->setEnabled(true);
        m_connectionResult->clear();
    }
    QWidget::hideEvent(event);
}

void PairEditor::setOptionsVisible(bool visible)
{
    for (QWidget *option : std::initializer_list<QWidget *>{
             m_conflictPolicy, m_debounce, m_pollInterval, m_bwUp, m_bwDown, m_chooseFoldersRow,
             m_newFolderLimit, m_pauseOnMetered, m_pauseOnBatteryBelow, m_remoteVersions})
        m_form->setRowVisible(option, visible);
}

void PairEditor::showConnectionOutcome(ConnectionTester::Outcome outcome, const QString &detail)
{
    showOutcomeText(outcome, detail);
    Q_EMIT connectionTested(outcome);
}

void PairEditor::showOutcomeText(ConnectionTester::Outcome outcome, const QString &detail)
{
    m_testConnection->setEnabled(true);
    m_testConnection->setText(tr("Test Connection"));
    const bool webdav = m_testedUrl.scheme() != QStringLiteral("file");
    const QString where = webdav ? m_testedUrl.toDisplayString(QUrl::RemoveUserInfo)
                                 : QDir::toNativeSeparators(m_testedUrl.toLocalFile());
    const QString server =
        m_testedUrl.adjusted(QUrl::RemoveUserInfo | QUrl::RemovePath).toDisplayString();
    QString text = isS3Url(m_testedUrl) ? s3OutcomeText(outcome, detail) : QString();
    if (!text.isEmpty()) {
        m_connectionResult->setToolTip(outcome == ConnectionTester::Outcome::Connected ? QString()
                                                                                       : detail);
        return showConnectionMessage(text, outcome == ConnectionTester::Outcome::Connected);
    }
    switch (outcome) {
    case ConnectionTester::Outcome::Connected:
        text = webdav ? tr("Connected: the server accepted the login and the WebDAV folder "
                           "exists.")
                      : tr("Connected: the folder exists and can be read.");
        return showConnectionMessage(text, true);
    case ConnectionTester::Outcome::WrongCredentials:
        text = tr("Wrong user or password: the server refused the login.");
        break;
    case ConnectionTester::Outcome::Unreachable:
        text = webdav ? tr("Server unreachable: no answer from %1. Check the address and the "
                           "network.")
                            .arg(server)
                      : tr("Folder unreachable: %1 did not answer in time.").arg(where);
        break;
    case ConnectionTester::Outcome::CertificateNotTrusted:
        text = tr("Certificate not trusted: the server's certificate is not signed by an "
                  "authority this computer trusts.");
        break;
    case ConnectionTester::Outcome::FolderNotFound:
        text = webdav ? tr("Folder not found: %1 does not exist on the server.").arg(where)
                      : tr("Folder not found: %1 does not exist or cannot be opened.").arg(where);
        break;
    case ConnectionTester::Outcome::NotACollection:
        text = webdav ? tr("Not a WebDAV collection: the server offers no WebDAV folder at %1.")
                            .arg(where)
                      : tr("Not a folder: %1 is a file.").arg(where);
        break;
    case ConnectionTester::Outcome::InvalidUrl:
        text = tr("The remote URL cannot be used: %1").arg(detail);
        break;
    case ConnectionTester::Outcome::Failed:
        text = tr("The connection test failed: %1").arg(detail);
        break;
    }
    m_connectionResult->setToolTip(detail);
    showConnectionMessage(text, false);
}

void PairEditor::showConnectionMessage(const QString &text, bool good)
{
    m_connectionResult->setStyleSheet(good ? QStringLiteral("color: #2e7d32;")
                                           : QStringLiteral("color: #c62828;"));
    m_connectionResult->setText(text);
    if (good)
        m_connectionResult->setToolTip(QString());
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
