#include "cephrgw.h"

#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>

namespace steadysync::test {

namespace {

// Two consecutive free ports: the gateway's and the monitor's (port + 1).
quint16 pickFreePortPair()
{
    for (int attempt = 0; attempt < 20; ++attempt) {
        QTcpServer first;
        if (!first.listen(QHostAddress::LocalHost, 0))
            return 0;
        const quint16 port = first.serverPort();
        if (port == 65535)
            continue;
        QTcpServer second;
        if (second.listen(QHostAddress::LocalHost, static_cast<quint16>(port + 1)))
            return port;
    }
    return 0;
}

QString findProgram(const QString &name)
{
    QString path = QStandardPaths::findExecutable(name);
    if (path.isEmpty())
        path = QStandardPaths::findExecutable(
            name, {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")});
    return path;
}

QString scriptPath()
{
    return QStringLiteral(STEADYSYNC_SOURCE_DIR "/scripts/ceph-rgw.sh");
}

} // namespace

CephRgw::CephRgw() : m_directory(std::make_unique<QTemporaryDir>()), m_script(scriptPath()) {}

CephRgw::~CephRgw()
{
    stop();
}

bool CephRgw::isInstalled()
{
    for (const char *program : {"radosgw", "radosgw-admin", "ceph-mon", "ceph-osd", "ceph"})
        if (findProgram(QString::fromLatin1(program)).isEmpty())
            return false;
    return true;
}

QString CephRgw::notInstalledMessage()
{
    return QStringLiteral("Ceph RADOS Gateway not installed (radosgw, ceph-mon, ceph-osd, "
                          "ceph-common: scripts/install-deps.sh); S3 tests skipped");
}

std::unique_ptr<CephRgw> CephRgw::start(QString *error)
{
    std::unique_ptr<CephRgw> rgw(new CephRgw);
    if (!rgw->m_directory->isValid()) {
        *error = QStringLiteral("no temporary directory");
        return nullptr;
    }
    // A port taken between the probe and the gateway's bind: try again on another.
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (rgw->launch(error))
            return rgw;
        rgw->stop();
    }
    return nullptr;
}

bool CephRgw::launch(QString *error)
{
    const quint16 port = pickFreePortPair();
    if (port == 0) {
        *error = QStringLiteral("no free port pair on 127.0.0.1");
        return false;
    }
    const QString dir = m_directory->path() + QStringLiteral("/cluster-%1").arg(port);
    QProcess process;
    process.start(QStringLiteral("bash"),
                  {m_script, QStringLiteral("start"), dir, QString::number(port)});
    m_running = true;
    if (!process.waitForFinished(60'000) || process.exitCode() != 0) {
        process.kill();
        process.waitForFinished();
        *error = QStringLiteral("scripts/ceph-rgw.sh start failed: ") +
                 QString::fromLocal8Bit(process.readAllStandardError().right(4000));
        m_clusterDir = dir;
        return false;
    }
    m_clusterDir = dir;
    const QStringList lines = QString::fromLocal8Bit(process.readAllStandardOutput()).split('\n');
    for (const QString &line : lines) {
        const QString value = line.section(QLatin1Char('='), 1);
        if (line.startsWith(QLatin1String("endpoint=")))
            m_endpoint = QUrl(value);
        else if (line.startsWith(QLatin1String("access_key=")))
            m_accessKeyId = value;
        else if (line.startsWith(QLatin1String("secret_key=")))
            m_secretAccessKey = value;
    }
    return m_endpoint.isValid() && !m_accessKeyId.isEmpty();
}

void CephRgw::stop()
{
    if (!m_running || m_clusterDir.isEmpty())
        return;
    QProcess::execute(QStringLiteral("bash"), {m_script, QStringLiteral("stop"), m_clusterDir});
    m_running = false;
}

QUrl CephRgw::remoteUrl(const QString &bucket, const QString &prefix) const
{
    QUrl url;
    url.setScheme(QStringLiteral("s3+http"));
    url.setHost(m_endpoint.host());
    url.setPort(m_endpoint.port());
    url.setPath(QLatin1Char('/') + bucket +
                (prefix.isEmpty() ? QString() : QLatin1Char('/') + prefix));
    return url;
}

QString CephRgw::runBoto(const QString &snippet, QString *error) const
{
    const QString program =
        QStringLiteral("import boto3, sys\n"
                       "from botocore.config import Config\n"
                       "s3 = boto3.client('s3', endpoint_url='%1', aws_access_key_id='%2',"
                       " aws_secret_access_key='%3', region_name='us-east-1',"
                       " config=Config(s3={'addressing_style': 'path'}))\n")
            .arg(m_endpoint.toString(), m_accessKeyId, m_secretAccessKey) +
        snippet + QLatin1Char('\n');
    QProcess process;
    process.start(QStringLiteral("python3"), {QStringLiteral("-c"), program});
    if (!process.waitForFinished(60'000) || process.exitCode() != 0) {
        process.kill();
        process.waitForFinished();
        *error = QStringLiteral("boto3: ") + QString::fromLocal8Bit(process.readAllStandardError());
        return {};
    }
    return QString::fromUtf8(process.readAllStandardOutput());
}

bool CephRgw::createBucket(const QString &bucket, QString *error) const
{
    error->clear();
    runBoto(QStringLiteral("s3.create_bucket(Bucket='%1')").arg(bucket), error);
    return error->isEmpty();
}

} // namespace steadysync::test
