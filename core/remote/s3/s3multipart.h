#pragma once

#include "remote/s3/s3job.h"
#include "remote/s3/s3xml.h"

#include <QCryptographicHash>
#include <QFile>
#include <QMap>

#include <memory>

namespace steadysync::s3 {

// One multipart upload, run by (and a child of) its job: see s3multipart.cpp.
class MultipartUpload : public QObject
{
public:
    MultipartUpload(S3Job<EntryJob> *job, QString localFile, QString path, qint64 mtimeNs,
                    Precondition precondition);
    void start();

private:
    void checkPrecondition(std::function<void()> then);
    void findUnfinished();
    void listParts(int marker);
    void initiate();
    void sendParts();
    void sendPart(int number, QByteArray data, const QByteArray &md5);
    void partDone(int number, qint64 bytes);
    void complete();
    void describe();
    void fixMetadata(const RemoteEntry &entry);

    S3Job<EntryJob> *m_job;
    QFile m_file;
    QString m_path;
    qint64 m_mtimeNs;
    Precondition m_precondition;
    QString m_key;
    qint64 m_size = 0;
    qint64 m_partSize = 0;
    int m_partCount = 0;
    QByteArray m_sha256;
    QString m_uploadId;
    QMap<int, s3xml::Part> m_present; // parts the store has, by number
    QMap<int, s3xml::Part> m_sent;    // parts of this file the store has now
    QCryptographicHash m_sentHash{QCryptographicHash::Sha256};
    int m_nextPart = 1;
    int m_inFlight = 0;
    qint64 m_bytesDone = 0;
};

// Aborts uploads[index..] one after another, then ends job.
void abortEach(S3Job<RemoteJob> *job, std::shared_ptr<QList<s3xml::Upload>> uploads,
               qsizetype index);

} // namespace steadysync::s3
