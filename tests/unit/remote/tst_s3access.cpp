// S3 pairs' settings: which access key id, secret, region and endpoint a pair uses, from its
// own settings, STEADYSYNC_PASSWORD/the keychain and the AWS environment variables (issue 22,
// deliverable 1), and the command line that sets them.
#include "commandline.h"
#include "remote/s3access.h"

#include <QTest>

using namespace steadysync;

namespace {

QProcessEnvironment environment(std::initializer_list<std::pair<const char *, const char *>> vars)
{
    QProcessEnvironment env;
    for (const auto &[name, value] : vars)
        env.insert(QLatin1String(name), QLatin1String(value));
    return env;
}

const QUrl CustomEndpoint(QStringLiteral("s3+http://127.0.0.1:7480/bucket/team"));
const QUrl Aws(QStringLiteral("s3://bucket/team"));

} // namespace

class TestS3Access : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void kindsOfRemote()
    {
        QCOMPARE(backendKindOf(CustomEndpoint), QStringLiteral("s3"));
        QCOMPARE(backendKindOf(Aws), QStringLiteral("s3"));
        QCOMPARE(backendKindOf(QUrl(QStringLiteral("S3+HTTPS://h/b"))), QStringLiteral("s3"));
        QCOMPARE(backendKindOf(QUrl(QStringLiteral("https://h/dav/"))), QStringLiteral("webdav"));
        QCOMPARE(backendKindOf(QUrl(QStringLiteral("file:///srv/x"))), QStringLiteral("local"));
        QVERIFY(backendKindOf(QUrl(QStringLiteral("ftp://h/"))).isEmpty());
    }

    void thePairsKeyAndSecretBeatTheEnvironment()
    {
        BackendOptions options;
        options.user = QStringLiteral("PAIRKEY");
        options.password = QStringLiteral("pair-secret");
        const auto env = environment({{"AWS_ACCESS_KEY_ID", "ENVKEY"},
                                      {"AWS_SECRET_ACCESS_KEY", "env-secret"},
                                      {"AWS_SESSION_TOKEN", "token"}});
        const Result<S3Access> access = resolveS3Access(CustomEndpoint, options, env);
        QVERIFY(access.ok());
        QCOMPARE(access->accessKeyId, QStringLiteral("PAIRKEY"));
        QCOMPARE(access->secretAccessKey, QStringLiteral("pair-secret"));
        QVERIFY(access->sessionToken.isEmpty()); // the token belongs to the environment's key
        QVERIFY(!access->secretFromEnvironment);
    }

    void headlessUseTakesTheEnvironmentsKeyPair()
    {
        const auto env = environment({{"AWS_ACCESS_KEY_ID", "ENVKEY"},
                                      {"AWS_SECRET_ACCESS_KEY", "env-secret"},
                                      {"AWS_SESSION_TOKEN", "token"}});
        const Result<S3Access> access = resolveS3Access(CustomEndpoint, BackendOptions{}, env);
        QVERIFY(access.ok());
        QCOMPARE(access->accessKeyId, QStringLiteral("ENVKEY"));
        QCOMPARE(access->secretAccessKey, QStringLiteral("env-secret"));
        QCOMPARE(access->sessionToken, QStringLiteral("token"));
        QVERIFY(access->secretFromEnvironment);
        QVERIFY(s3SecretInEnvironment(QStringLiteral("ENVKEY"), env));
    }

    void anotherKeysSecretIsNeverUsed()
    {
        BackendOptions options;
        options.user = QStringLiteral("PAIRKEY");
        const auto env =
            environment({{"AWS_ACCESS_KEY_ID", "ENVKEY"}, {"AWS_SECRET_ACCESS_KEY", "env-secret"}});
        QVERIFY(!s3SecretInEnvironment(options.user, env));
        const Result<S3Access> access = resolveS3Access(CustomEndpoint, options, env);
        QVERIFY(!access.ok());
        QCOMPARE(access.error().kind, ErrorKind::Auth);
        QVERIFY2(access.error().message.contains(QStringLiteral("login")),
                 qPrintable(access.error().message));
    }

    void noKeyIdIsAnAuthErrorNamingTheOption()
    {
        const Result<S3Access> access =
            resolveS3Access(CustomEndpoint, BackendOptions{}, QProcessEnvironment{});
        QVERIFY(!access.ok());
        QCOMPARE(access.error().kind, ErrorKind::Auth);
        QVERIFY(access.error().message.contains(QStringLiteral("--access-key-id")));
    }

    void regionPrecedence()
    {
        BackendOptions options;
        options.user = QStringLiteral("K");
        options.password = QStringLiteral("S");
        const auto both =
            environment({{"AWS_REGION", "eu-west-1"}, {"AWS_DEFAULT_REGION", "us-west-2"}});
        QCOMPARE(resolveS3Access(Aws, options, both)->region, QStringLiteral("eu-west-1"));
        QCOMPARE(resolveS3Access(Aws, options, environment({{"AWS_DEFAULT_REGION", "us-west-2"}}))
                     ->region,
                 QStringLiteral("us-west-2"));
        options.region = QStringLiteral("ap-south-1");
        QCOMPARE(resolveS3Access(Aws, options, both)->region, QStringLiteral("ap-south-1"));
        options.region.clear();
        QVERIFY(resolveS3Access(Aws, options, QProcessEnvironment{})->region.isEmpty());
    }

    void endpointFromTheEnvironmentOnlyForPlainS3Urls()
    {
        BackendOptions options;
        options.user = QStringLiteral("K");
        options.password = QStringLiteral("S");
        const auto env = environment({{"AWS_ENDPOINT_URL", "http://127.0.0.1:9000"}});
        QCOMPARE(resolveS3Access(Aws, options, env)->endpointOverride,
                 QUrl(QStringLiteral("http://127.0.0.1:9000")));
        // s3+http:// names its endpoint itself.
        QVERIFY(resolveS3Access(CustomEndpoint, options, env)->endpointOverride.isEmpty());
    }

    void commandLineTakesAccessKeyIdAndRegion()
    {
        const cli::Invocation sync = cli::parseCommandLine(
            {QStringLiteral("sync"), QStringLiteral("/tmp/x"), CustomEndpoint.toString(),
             QStringLiteral("--access-key-id"), QStringLiteral("AKID"), QStringLiteral("--region"),
             QStringLiteral("eu-central-1")},
            {});
        QVERIFY2(sync.error.isEmpty(), qPrintable(sync.error));
        QCOMPARE(sync.engine.backend.user, QStringLiteral("AKID"));
        QCOMPARE(sync.engine.backend.region, QStringLiteral("eu-central-1"));

        const cli::Invocation login =
            cli::parseCommandLine({QStringLiteral("login"), CustomEndpoint.toString(),
                                   QStringLiteral("--access-key-id"), QStringLiteral("AKID")},
                                  {});
        QVERIFY2(login.error.isEmpty(), qPrintable(login.error));
        QCOMPARE(login.command, cli::Command::Login);
        QCOMPARE(login.user, QStringLiteral("AKID"));

        const cli::Invocation clash = cli::parseCommandLine(
            {QStringLiteral("sync"), QStringLiteral("/tmp/x"), CustomEndpoint.toString(),
             QStringLiteral("--access-key-id"), QStringLiteral("A"), QStringLiteral("--user"),
             QStringLiteral("B")},
            {});
        QVERIFY(!clash.error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestS3Access)
#include "tst_s3access.moc"
