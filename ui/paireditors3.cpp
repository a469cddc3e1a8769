// The pair editor's S3 part (issue 22): the choice of backend, the S3 rows, and how a
// connection test of an S3 pair is worded.
#include "paireditor.h"

#include "remote/s3access.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace steadysync {

void PairEditor::addBackendKindRow(QFormLayout *form)
{
    m_backendKind = new QComboBox(this);
    m_backendKind->setObjectName(QStringLiteral("backendKind"));
    m_backendKind->addItem(tr("WebDAV (Nextcloud, ownCloud, …)"), QStringLiteral("webdav"));
    m_backendKind->addItem(tr("Local or network folder"), QStringLiteral("local"));
    m_backendKind->addItem(tr("S3 object storage"), QStringLiteral("s3"));
    form->addRow(tr("Server type:"), m_backendKind);
    connect(m_backendKind, &QComboBox::currentIndexChanged, this, [this] {
        cancelConnectionTest();
        m_connectionResult->clear();
        showBackendRows();
    });
}

void PairEditor::addS3Rows(QFormLayout *form)
{
    m_s3.addRows(form);
    for (QLineEdit *edit : m_s3.edits()) {
        connect(edit, &QLineEdit::textEdited, this, [this] {
            cancelConnectionTest();
            m_connectionResult->clear();
        });
    }
}

bool PairEditor::isS3() const
{
    return m_backendKind && m_backendKind->currentData().toString() == QLatin1String("s3");
}

// S3 shows its rows instead of the URL and user; the password row asks for the secret key.
// A local folder keeps the rows as they were (user and password are ignored there).
void PairEditor::showBackendRows()
{
    const bool s3 = isS3();
    const bool local = m_backendKind->currentData().toString() == QLatin1String("local");
    m_form->setRowVisible(m_remoteUrl, !s3);
    m_form->setRowVisible(m_user, !s3);
    m_s3.setRowsVisible(m_form, s3);
    m_browserLoginButton->setVisible(!s3);
    if (auto *label = qobject_cast<QLabel *>(m_form->labelForField(m_password)))
        label->setText(s3 ? tr("Secret access key:") : tr("Password:"));
    m_remoteUrl->setPlaceholderText(local ? tr("file:///mnt/nas/shared")
                                          : tr("https://server/remote.php/dav/files/me/"));
}

void PairEditor::takeS3Fields(PairConfig &config) const
{
    if (!isS3()) {
        config.region.clear();
        return;
    }
    config.remoteUrl = m_s3.remoteUrl();
    config.user = m_s3.accessKeyId();
    config.region = m_s3.region();
}

// Empty for an outcome worded as for any remote.
QString PairEditor::s3OutcomeText(ConnectionTester::Outcome outcome, const QString &detail) const
{
    const QString bucket = m_s3.bucketEdit()->text().trimmed();
    const QString endpoint = m_s3.endpointEdit()->text().trimmed().isEmpty()
                                 ? QStringLiteral("AWS S3")
                                 : m_s3.endpointEdit()->text().trimmed();
    switch (outcome) {
    case ConnectionTester::Outcome::Connected:
        return tr("Connected: the store accepted the keys and the bucket %1 can be listed.")
            .arg(bucket);
    case ConnectionTester::Outcome::WrongCredentials:
        return tr("Keys refused: the store does not accept this access key ID and secret "
                  "access key.");
    case ConnectionTester::Outcome::Unreachable:
        return tr("Store unreachable: no answer from %1. Check the endpoint and the network.")
            .arg(endpoint);
    case ConnectionTester::Outcome::FolderNotFound:
    case ConnectionTester::Outcome::NotACollection:
        return tr("Bucket not found: %1 does not exist on %2 (or these keys may not see it).")
            .arg(bucket, endpoint);
    case ConnectionTester::Outcome::InvalidUrl:
        return tr("These S3 settings cannot be used: %1").arg(detail);
    default:
        return {};
    }
}

} // namespace steadysync
