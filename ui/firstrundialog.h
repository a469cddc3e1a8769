#pragma once

#include "pairconfig.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QRadioButton;

namespace steadysync {

class PairEditor;
class RemoteFolderCreator;

// Offered on the first start with no pair: the default pair of DESIGN §8 (two folders on this
// computer), or a server: URL, user, password, Test Connection, and "Create the Folder" when
// the test finds the server folder missing.
class FirstRunDialog : public QDialog
{
    Q_OBJECT
public:
    explicit FirstRunDialog(const PairConfig &defaultPair, QWidget *parent = nullptr);

    // The default pair, or the server pair as typed (no id yet).
    PairConfig chosenPair() const;
    // The password typed for the server (empty for the default pair).
    QString password() const;

    QRadioButton *defaultChoice() const { return m_useDefault; }
    QRadioButton *serverChoice() const { return m_useServer; }
    PairEditor *serverEditor() const { return m_server; }
    QPushButton *createFolderButton() const { return m_createFolder; }
    QLabel *messageLabel() const { return m_message; }

    // With the server chosen, only a usable form closes the dialog.
    void accept() override;

    // Creates the pair's local folder, and its remote one when that is a folder on this
    // computer; false with a message when one cannot be made.
    static bool createFolders(const PairConfig &pair, QString *error);

private:
    QWidget *createServerPage();
    void createRemoteFolder();

    PairConfig m_defaultPair;
    QRadioButton *m_useDefault;
    QRadioButton *m_useServer;
    QWidget *m_serverPage = nullptr;
    PairEditor *m_server = nullptr;
    QPushButton *m_createFolder = nullptr;
    QLabel *m_message;
    RemoteFolderCreator *m_creator;
};

} // namespace steadysync
