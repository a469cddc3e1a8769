#pragma once

#include <QString>
#include <QUrl>

#include <memory>

class QTemporaryDir;

namespace steadysync::test {

// A real S3 server for tests (issue 22): a one-node Ceph cluster with a RADOS Gateway on a
// free loopback port, started by scripts/ceph-rgw.sh in a temporary directory of its own
// (memstore: nothing is written to disk but logs), with a fixed S3 user. The destructor stops
// it and removes the directory.
class CephRgw
{
public:
    // Whether radosgw and the Ceph tools are installed (scripts/install-deps.sh); tests skip
    // with notInstalledMessage() when not.
    static bool isInstalled();
    static QString notInstalledMessage();

    // Returns once the gateway answers; nullptr and the script's output in *error otherwise.
    static std::unique_ptr<CephRgw> start(QString *error);
    ~CephRgw();

    CephRgw(const CephRgw &) = delete;
    CephRgw &operator=(const CephRgw &) = delete;

    QUrl endpoint() const { return m_endpoint; } // http://127.0.0.1:PORT
    QString accessKeyId() const { return m_accessKeyId; }
    QString secretAccessKey() const { return m_secretAccessKey; }
    // s3+http://127.0.0.1:PORT/BUCKET/PREFIX: a remote URL for a pair on this gateway.
    QUrl remoteUrl(const QString &bucket, const QString &prefix = {}) const;

    // Creates a bucket with python3-boto3, the reference client (radosgw-admin creates none).
    // False and why in *error.
    bool createBucket(const QString &bucket, QString *error) const;
    // Runs a python3 snippet with `s3` bound to a boto3 client of this gateway (a reference
    // client to check what the backend wrote); its standard output, or an empty string and
    // *error on failure.
    QString runBoto(const QString &snippet, QString *error) const;

private:
    CephRgw();
    bool launch(QString *error);
    void stop();

    std::unique_ptr<QTemporaryDir> m_directory;
    QString m_script;
    QString m_clusterDir;
    QUrl m_endpoint;
    QString m_accessKeyId;
    QString m_secretAccessKey;
    bool m_running = false;
};

} // namespace steadysync::test
