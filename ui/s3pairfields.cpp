#include "s3pairfields.h"

#include "remote/s3access.h"

#include <QFormLayout>
#include <QLineEdit>
#include <QRegularExpression>
#include <QUrlQuery>

namespace steadysync {

namespace {

QString trimmedPath(QString path)
{
    while (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    return path;
}

} // namespace

S3PairFields::S3PairFields(QWidget *parent)
    : m_endpoint(new QLineEdit(parent)), m_bucket(new QLineEdit(parent)),
      m_prefix(new QLineEdit(parent)), m_region(new QLineEdit(parent)),
      m_accessKeyId(new QLineEdit(parent))
{
    m_endpoint->setPlaceholderText(tr("empty for AWS, or https://host:port"));
    m_bucket->setPlaceholderText(tr("e.g. team-files"));
    m_prefix->setPlaceholderText(tr("optional, e.g. projects/2026"));
    m_region->setPlaceholderText(tr("default us-east-1"));
    m_accessKeyId->setObjectName(QStringLiteral("s3AccessKeyId"));
    m_bucket->setObjectName(QStringLiteral("s3Bucket"));
    m_endpoint->setObjectName(QStringLiteral("s3Endpoint"));
}

void S3PairFields::addRows(QFormLayout *form)
{
    form->addRow(tr("Endpoint:"), m_endpoint);
    form->addRow(tr("Bucket:"), m_bucket);
    form->addRow(tr("Prefix:"), m_prefix);
    form->addRow(tr("Region:"), m_region);
    form->addRow(tr("Access key ID:"), m_accessKeyId);
}

void S3PairFields::setRowsVisible(QFormLayout *form, bool visible)
{
    for (QLineEdit *edit : edits())
        form->setRowVisible(edit, visible);
}

void S3PairFields::setFrom(const QUrl &url, const QString &accessKeyId, const QString &region)
{
    for (QLineEdit *edit : edits())
        edit->clear();
    if (!isS3Url(url))
        return;
    const QString path = trimmedPath(url.path());
    QString bucket = path.section(QLatin1Char('/'), 0, 0);
    QString prefix = path.section(QLatin1Char('/'), 1);
    if (url.scheme().toLower() == QLatin1String("s3")) {
        bucket = url.host();
        prefix = path;
    } else {
        QUrl endpoint;
        endpoint.setScheme(url.scheme().mid(3)); // s3+https -> https
        endpoint.setHost(url.host());
        endpoint.setPort(url.port());
        m_endpoint->setText(endpoint.toString());
    }
    m_bucket->setText(bucket);
    m_prefix->setText(prefix);
    const QString regionInUrl = QUrlQuery(url).queryItemValue(QStringLiteral("region"));
    m_region->setText(region.isEmpty() ? regionInUrl : region);
    m_accessKeyId->setText(accessKeyId);
}

QUrl S3PairFields::remoteUrl() const
{
    const QString bucket = m_bucket->text().trimmed();
    const QString prefix = trimmedPath(m_prefix->text().trimmed());
    const QString endpointText = m_endpoint->text().trimmed();
    QUrl url;
    if (endpointText.isEmpty()) {
        url.setScheme(QStringLiteral("s3"));
        url.setHost(bucket);
        url.setPath(prefix.isEmpty() ? QString() : QLatin1Char('/') + prefix);
        return url;
    }
    const QUrl endpoint = QUrl::fromUserInput(endpointText);
    url.setScheme(QStringLiteral("s3+") + endpoint.scheme().toLower());
    url.setHost(endpoint.host());
    url.setPort(endpoint.port());
    url.setPath(QLatin1Char('/') + bucket +
                (prefix.isEmpty() ? QString() : QLatin1Char('/') + prefix));
    return url;
}

QString S3PairFields::accessKeyId() const
{
    return m_accessKeyId->text().trimmed();
}

QString S3PairFields::region() const
{
    return m_region->text().trimmed();
}

QString S3PairFields::validationError() const
{
    // S3's bucket naming rules: 3-63 characters, lower case, digits, dots and hyphens.
    static const QRegularExpression bucketName(
        QStringLiteral("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"));
    if (!bucketName.match(m_bucket->text().trimmed()).hasMatch())
        return tr("Type the bucket's name (3 to 63 lower-case letters, digits, dots or hyphens).");
    const QString endpointText = m_endpoint->text().trimmed();
    if (!endpointText.isEmpty()) {
        const QUrl endpoint = QUrl::fromUserInput(endpointText);
        const QString scheme = endpoint.scheme().toLower();
        if (!endpoint.isValid() || endpoint.host().isEmpty() ||
            (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
            return tr("The endpoint must be an http:// or https:// address, or empty for AWS.");
    }
    if (accessKeyId().isEmpty())
        return tr("Type the access key ID.");
    return {};
}

} // namespace steadysync
