#pragma once

#include "pairconfig.h"

#include <QWidget>

class QComboBox;
class QLineEdit;
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

    QLineEdit *localFolderEdit() const { return m_localFolder; }
    QLineEdit *remoteUrlEdit() const { return m_remoteUrl; }
    QComboBox *conflictPolicyBox() const { return m_conflictPolicy; }

private:
    void browseLocalFolder();
    QSpinBox *createSpinBox(int maximum, const QString &suffix, const QString &zeroText = {});

    PairConfig m_config;
    QLineEdit *m_localFolder;
    QLineEdit *m_remoteUrl;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QComboBox *m_conflictPolicy;
    QSpinBox *m_debounce;
    QSpinBox *m_pollInterval;
    QSpinBox *m_bwUp;
    QSpinBox *m_bwDown;
};

} // namespace steadysync
