#pragma once

#include <QCoreApplication>
#include <QString>
#include <QUrl>

class QFormLayout;
class QLineEdit;
class QWidget;

namespace steadysync {

// The rows an S3 pair has instead of one remote URL and a user (issue 22): the endpoint
// (empty: AWS), bucket, prefix, region and access key id. The secret is the pair editor's
// password field (it goes to the keychain). They make up the pair's s3:// or s3+http(s)://
// URL, and take one apart again.
class S3PairFields
{
    Q_DECLARE_TR_FUNCTIONS(steadysync::S3PairFields)
public:
    // The line edits are children of parent; addRows() puts them in form.
    explicit S3PairFields(QWidget *parent);
    void addRows(QFormLayout *form);
    void setRowsVisible(QFormLayout *form, bool visible);

    // Fills the rows from an S3 URL (any other clears them).
    void setFrom(const QUrl &url, const QString &accessKeyId, const QString &region);
    // s3://BUCKET/PREFIX without an endpoint, else s3+http(s)://HOST:PORT/BUCKET/PREFIX.
    QUrl remoteUrl() const;
    QString accessKeyId() const;
    QString region() const;
    // Empty when the rows name a usable bucket, else what is wrong (translated).
    QString validationError() const;

    QLineEdit *endpointEdit() const { return m_endpoint; }
    QLineEdit *bucketEdit() const { return m_bucket; }
    QLineEdit *prefixEdit() const { return m_prefix; }
    QLineEdit *regionEdit() const { return m_region; }
    QLineEdit *accessKeyIdEdit() const { return m_accessKeyId; }
    QList<QLineEdit *> edits() const
    {
        return {m_endpoint, m_bucket, m_prefix, m_region, m_accessKeyId};
    }

private:
    QLineEdit *m_endpoint;
    QLineEdit *m_bucket;
    QLineEdit *m_prefix;
    QLineEdit *m_region;
    QLineEdit *m_accessKeyId;
};

} // namespace steadysync
