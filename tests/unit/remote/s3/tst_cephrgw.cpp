// The Ceph RGW test fixture (issue 22): a real one-node cluster answers S3 and goes away.
#include "cephrgw.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>

using namespace steadysync::test;

class TestCephRgw : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void startsServesAndStops()
    {
        if (!CephRgw::isInstalled())
            QSKIP(qPrintable(CephRgw::notInstalledMessage()));
        QElapsedTimer timer;
        timer.start();
        QString error;
        std::unique_ptr<CephRgw> rgw = CephRgw::start(&error);
        QVERIFY2(rgw, qPrintable(error));
        qInfo("Ceph RGW up in %lld ms at %s", timer.elapsed(),
              qPrintable(rgw->endpoint().toString()));
        QVERIFY2(rgw->createBucket(QStringLiteral("fixture"), &error), qPrintable(error));
        const QString body = rgw->runBoto(
            QStringLiteral("s3.put_object(Bucket='fixture', Key='a/b.txt', Body=b'hello')\n"
                           "print(s3.get_object(Bucket='fixture', Key='a/b.txt')['Body'].read()"
                           ".decode())"),
            &error);
        QCOMPARE(body.trimmed(), QStringLiteral("hello"));
        const QUrl endpoint = rgw->endpoint();
        rgw.reset();
        QTcpSocket probe;
        probe.connectToHost(endpoint.host(), static_cast<quint16>(endpoint.port()));
        QVERIFY(!probe.waitForConnected(2000));
    }
};

QTEST_GUILESS_MAIN(TestCephRgw)
#include "tst_cephrgw.moc"
