#pragma once

#include "browserlogin.h"
#include "pairconfig.h"
#include "remote/connectiontester.h"
#include "s3pairfields.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace steadysync {

// The form for one pair's settings: folders, account and options.
class PairEditor : public QWidget
{
    Q_OBJECT
public:
    explicit PairEditor(QWidget *parent = nullptr);

    void setConfig(const PairConfig &config);
    PairConfig config() const;
    // Empty when the form describes a usable pair, else what is wrong.
    QString validationError() const;
    // What the user typed as a new password (empty = keep the stored one).
    QString password() const;
    // The form differs from the pair last given to setConfig(), or a new password is typed.
    bool isModified() const { return config() != m_baseline || !password().isEmpty(); }
    // Shows the pair as last given to setConfig() again.
    void discardChanges() { setConfig(m_config); }

    // Tries the remote URL, user and password as typed (nothing is stored) and shows the
    // outcome in connectionResultLabel(). Does not block: the button is busy until it is done.
    void testConnection();
    void cancelConnectionTest();
    void setConnectionTestTimeout(int milliseconds) { m_testTimeoutMs = milliseconds; }
    bool isTestingConnection() const { return m_tester->isRunning() || m_readingPassword; }

    QLineEdit *localFolderEdit() const { return m_localFolder; }
    QLineEdit *remoteUrlEdit() const { return m_remoteUrl; }
    QLineEdit *userEdit() const { return m_user; }
    QLineEdit *passwordEdit() const { return m_password; }
    QComboBox *conflictPolicyBox() const { return m_conflictPolicy; }
    // The kind of remote: "webdav", "local" or "s3" as item data. S3 shows its own rows
    // (s3Fields()) instead of the remote URL and user; the password is then the secret key.
    QComboBox *backendKindBox() const { return m_backendKind; }
    const S3PairFields &s3Fields() const { return m_s3; }
    QPushButton *testConnectionButton() const { return m_testConnection; }
    // Nextcloud's browser login: fills in the user and an app password (BrowserLogin).
    QPushButton *browserLoginButton() const { return m_browserLoginButton; }
    QLabel *connectionResultLabel() const { return m_connectionResult; }
    // Says whether the keychain holds a password for the pair, never the password itself.
    QLabel *passwordStateLabel() const { return m_passwordState; }
    // "Choose Folders…" (selective sync; the settings dialog opens the tree) and the size
    // above which a new remote folder waits for the user.
    QPushButton *chooseFoldersButton() const { return m_chooseFolders; }
    QSpinBox *newFolderLimitBox() const { return m_newFolderLimit; }
    // Schedules: the sync window and the bandwidth timetable, as specs (SyncWindow,
    // BandwidthTimetable); validationError() says what is wrong with them.
    QLineEdit *syncWindowEdit() const { return m_syncWindow; }
    QLineEdit *bandwidthTimetableEdit() const { return m_bandwidthTimetable; }
    // Hides the rows beyond folders and account (the first run asks only for those).
    void setOptionsVisible(bool visible);

Q_SIGNALS:
    // A connection test ended with outcome (shown in connectionResultLabel()).
    void connectionTested(steadysync::ConnectionTester::Outcome outcome);

protected:
    // A closed dialog drops a connection test still running.
    void hideEvent(QHideEvent *event) override;

private:
    void browseLocalFolder();
    QString remoteUrlError(const QUrl &url) const;
    void startConnectionTest(const PairConfig &pair, const QString &password);
    void showConnectionOutcome(ConnectionTester::Outcome outcome, const QString &detail);
    void showOutcomeText(ConnectionTester::Outcome outcome, const QString &detail);
    void showConnectionMessage(const QString &text, bool good);
    void showStoredPasswordState(const PairConfig &config);
    void startBrowserLogin();
    void takeAppPassword(const AppPassword &granted);
    QSpinBox *createSpinBox(int maximum, const QString &suffix, const QString &zeroText = {});
    // S3 pairs (issue 22): the backend choice and S3's rows (paireditors3.cpp).
    void addBackendKindRow(QFormLayout *form);
    void addS3Rows(QFormLayout *form);
    bool isS3() const;
    void showBackendRows();
    void takeS3Fields(PairConfig &config) const;
    QString s3OutcomeText(ConnectionTester::Outcome outcome, const QString &detail) const;
    void describeInputs();
    QHBoxLayout *createTestRow();
    void layOutForm(QHBoxLayout *folderRow, QHBoxLayout *testRow);

    QFormLayout *m_form = nullptr;
    QComboBox *m_backendKind = nullptr;
    PairConfig m_config;
    PairConfig m_baseline; // config() right after setConfig(): what "unsaved" is measured from
    QLineEdit *m_localFolder;
    QLineEdit *m_remoteUrl;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QComboBox *m_conflictPolicy;
    QSpinBox *m_debounce;
    QSpinBox *m_pollInterval;
    QSpinBox *m_bwUp;
    QSpinBox *m_bwDown;
    QSpinBox *m_newFolderLimit;
    QPushButton *m_chooseFolders;
    QWidget *m_chooseFoldersRow = nullptr;
    QCheckBox *m_pauseOnMetered;
    QSpinBox *m_pauseOnBatteryBelow;
    QCheckBox *m_remoteVersions;
    QLineEdit *m_syncWindow;
    QLineEdit *m_bandwidthTimetable;
    QPushButton *m_testConnection;
    QPushButton *m_browserLoginButton;
    BrowserLogin *m_browserLogin;
    QLabel *m_connectionResult;
    QLabel *m_passwordState;
    ConnectionTester *m_tester;
    QUrl m_testedUrl;
    int m_testTimeoutMs = 15'000;
    bool m_readingPassword = false;
    int m_testGeneration = 0;     // tells a stale keychain answer from the current test's
    int m_passwordGeneration = 0; // the same for the stored-password line
    S3PairFields m_s3;            // its line edits are this widget's children
};

} // namespace steadysync
