#include "webdavserver.h"

#include "testutil.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>

#include <csignal>
#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace steadysync::test {

namespace {

constexpr int StartTimeoutMs = 30'000; // a loaded 2-core CI box; they normally answer in < 2 s
constexpr int StopTimeoutMs = 10'000;
constexpr int LaunchAttempts = 5;   // another process may grab the port we picked
constexpr int UnprivilegedUid = 33; // www-data on Debian

quint16 pickFreePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

QString findProgram(const QString &name)
{
    QString path = QStandardPaths::findExecutable(name);
    if (path.isEmpty())
        path = QStandardPaths::findExecutable(
            name, {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")});
    return path;
}

bool writeText(const QString &path, const QString &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(text.toUtf8()) >= 0;
}

QString readText(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

// Apache will not serve as root and switches to its User. As root we run it inside a user
// namespace where it is an ordinary user but still writes as root outside, so files the test
// itself creates in dataDirectory() (as root) stay writable by the server.
bool userNamespacesWork()
{
    static const bool works = [] {
        QProcess probe;
        probe.start(QStringLiteral("unshare"),
                    {QStringLiteral("--user"), QStringLiteral("--map-user=%1").arg(UnprivilegedUid),
                     QStringLiteral("--map-group=%1").arg(UnprivilegedUid),
                     QStringLiteral("true")});
        return probe.waitForFinished(StopTimeoutMs) && probe.exitStatus() == QProcess::NormalExit &&
               probe.exitCode() == 0;
    }();
    return works;
}

void chownTree(const QString &path, uid_t uid, gid_t gid)
{
    [[maybe_unused]] const int ignored = ::chown(QFile::encodeName(path).constData(), uid, gid);
    const QDir directory(path);
    for (const QString &name :
         directory.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
        const QString child = directory.filePath(name);
        if (QFileInfo(child).isDir())
            chownTree(child, uid, gid);
        else [[maybe_unused]]
            const int alsoIgnored = ::chown(QFile::encodeName(child).constData(), uid, gid);
    }
}

// Writes in these folders are refused for everyone; reads still need the user's password.
QString apacheReadOnlyFolders(const QString &base, const QStringList &folders)
{
    QString config;
    for (const QString &folder : folders)
        config += QStringLiteral("<Directory %1/www/dav/%2>\n"
                                 "    <Limit PUT DELETE MKCOL MOVE COPY LOCK PROPPATCH>\n"
                                 "        Require all denied\n"
                                 "    </Limit>\n"
                                 "    <LimitExcept PUT DELETE MKCOL MOVE COPY LOCK PROPPATCH>\n"
                                 "        Require valid-user\n"
                                 "    </LimitExcept>\n"
                                 "</Directory>\n")
                      .arg(base, folder);
    return config;
}

QString apacheConfig(const QString &base, quint16 port, const QString &userDirective,
                     const QStringList &readOnlyFolders, const QString &optionalDirectives)
{
    static const char *const modules[][2] = {
        {"mpm_event_module", "mod_mpm_event.so"},
        {"authz_core_module", "mod_authz_core.so"},
        {"authn_core_module", "mod_authn_core.so"},
        {"authn_file_module", "mod_authn_file.so"},
        {"authz_user_module", "mod_authz_user.so"},
        {"auth_basic_module", "mod_auth_basic.so"},
        {"dav_module", "mod_dav.so"},
        {"dav_fs_module", "mod_dav_fs.so"},
    };
    QString config = QStringLiteral("ServerRoot %1\n"
                                    "Listen 127.0.0.1:%2\n"
                                    "ServerName 127.0.0.1\n"
                                    "PidFile %1/run/apache.pid\n"
                                    "DefaultRuntimeDir %1/run\n"
                                    "ErrorLog %1/error.log\n"
                                    "LogLevel warn\n"
                                    // For requestsAnswered(): what was asked, not timings.
                                    "LogFormat \"%m %{Depth}i %U %>s\" requests\n"
                                    "CustomLog %1/access.log requests\n")
                         .arg(base)
                         .arg(port);
    for (const auto &module : modules)
        config += QStringLiteral("LoadModule %1 /usr/lib/apache2/modules/%2\n")
                      .arg(QLatin1String(module[0]), QLatin1String(module[1]));
    config += userDirective;
    config += QStringLiteral("StartServers 1\n"
                             "ServerLimit 1\n"
                             "ThreadsPerChild 16\n"
                             "MaxRequestWorkers 16\n"
                             "MinSpareThreads 1\n"
                             "MaxSpareThreads 16\n"
                             "DocumentRoot %1/www\n"
                             "DavLockDB %1/lock/davlock\n"
                             // 2.4.54 and later refuse bodies over 1 GiB by default (413).
                             "LimitRequestBody 0\n"
                             "<Directory %1/www/dav>\n"
                             "    Dav On\n"
                             "    AuthType Basic\n"
                             "    AuthName steadysync\n"
                             "    AuthUserFile %1/htpasswd\n"
                             "    Require valid-user\n"
                             "</Directory>\n")
                  .arg(base);
    return config + optionalDirectives + apacheReadOnlyFolders(base, readOnlyFolders);
}

// create_full_put_path on: without it nginx answers a PUT into a missing directory with 500,
// which no client can tell from a real server error (ENVIRONMENT.md measured it "on").
QString nginxConfig(const QString &base, quint16 port)
{
    return QStringLiteral("daemon off;\n"
                          "master_process off;\n"
                          "worker_processes 1;\n"
                          "pid %1/run/nginx.pid;\n"
                          "error_log %1/error.log warn;\n"
                          "load_module /usr/lib/nginx/modules/ngx_http_dav_ext_module.so;\n"
                          "events { worker_connections 256; }\n"
                          "http {\n"
                          "    access_log off;\n"
                          "    client_body_temp_path %1/run/body;\n"
                          "    proxy_temp_path %1/run/proxy;\n"
                          "    fastcgi_temp_path %1/run/fastcgi;\n"
                          "    uwsgi_temp_path %1/run/uwsgi;\n"
                          "    scgi_temp_path %1/run/scgi;\n"
                          "    client_max_body_size 0;\n"
                          "    server {\n"
                          "        listen 127.0.0.1:%2;\n"
                          "        root %1/www;\n"
                          "        location /dav/ {\n"
                          "            dav_methods PUT DELETE MKCOL COPY MOVE;\n"
                          "            dav_ext_methods PROPFIND OPTIONS;\n"
                          "            dav_access user:rw group:rw all:r;\n"
                          "            create_full_put_path on;\n"
                          "            auth_basic steadysync;\n"
                          "            auth_basic_user_file %1/htpasswd;\n"
                          "        }\n"
                          "    }\n"
                          "}\n")
        .arg(base)
        .arg(port);
}

// Two ends of how lighttpd is set up. The full one has the property database
// (webdav.sqlite-db-name), which gives mod_webdav LOCK and PROPPATCH, and a MIME map (as
// Debian's default config has), without which lighttpd sends no ETag and no Last-Modified on
// GET. The minimal one has neither: LOCK answers 500, GET carries no validators, and only
// PROPFIND tells ETag and date. Uploads are spooled to run/, not /var/tmp.
QString lighttpdConfig(const QString &base, quint16 port, bool full)
{
    QString config =
        QStringLiteral("server.modules = (\"mod_auth\", \"mod_authn_file\", "
                       "\"mod_webdav\")\n"
                       "server.document-root = \"%1/www\"\n"
                       "server.bind = \"127.0.0.1\"\n"
                       "server.port = %2\n"
                       "server.errorlog = \"%1/error.log\"\n"
                       "server.upload-dirs = (\"%1/run\")\n"
                       "auth.backend = \"htpasswd\"\n"
                       "auth.backend.htpasswd.userfile = \"%1/htpasswd\"\n"
                       "$HTTP[\"url\"] =~ \"^/dav($|/)\" {\n"
                       "    webdav.activate = \"enable\"\n"
                       "    webdav.is-readonly = \"disable\"\n"
                       "    auth.require = (\"\" => (\"method\" => \"basic\", "
                       "\"realm\" => \"steadysync\", \"require\" => \"valid-user\"))\n")
            .arg(base)
            .arg(port);
    if (!full)
        return config + QStringLiteral("}\n");
    return config + QStringLiteral("    webdav.sqlite-db-name = \"%1/lock/webdav.sqlite\"\n"
                                   "}\n"
                                   "mimetype.assign = (\"\" => \"application/octet-stream\")\n")
                        .arg(base);
}

// Writes the config; returns the arguments that run lighttpd in the foreground with it.
QStringList prepareLighttpd(const QString &base, quint16 port, bool full, QString *program)
{
    const QString config = base + QStringLiteral("/lighttpd.conf");
    writeText(config, lighttpdConfig(base, port, full));
    *program = findProgram(QStringLiteral("lighttpd"));
    return {QStringLiteral("-D"), QStringLiteral("-f"), config};
}

} // namespace

WebDavServer::WebDavServer(Kind kind) : m_kind(kind)
{
    m_password = QStringLiteral("pw-%1").arg(QRandomGenerator::global()->generate64(), 0, 36);
}

WebDavServer::~WebDavServer()
{
    stop();
}

QString WebDavServer::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Apache:
        return QStringLiteral("apache");
    case Kind::Nginx:
        return QStringLiteral("nginx");
    case Kind::Rclone:
        return QStringLiteral("rclone");
    case Kind::Lighttpd:
        return QStringLiteral("lighttpd");
    case Kind::LighttpdNoDb:
        return QStringLiteral("lighttpd-nodb");
    }
    return {};
}

QList<WebDavServer::Kind> WebDavServer::allKinds()
{
    return {Kind::Apache, Kind::Nginx, Kind::Rclone, Kind::Lighttpd, Kind::LighttpdNoDb};
}

QUrl WebDavServer::url() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/dav/").arg(m_port));
}

QString WebDavServer::dataDirectory() const
{
    return m_directory->path() + QStringLiteral("/www/dav");
}

qint64 WebDavServer::processId() const
{
    return m_process ? m_process->processId() : 0;
}

std::unique_ptr<WebDavServer> WebDavServer::start(Kind kind, QString *error,
                                                  const QStringList &readOnlyFolders,
                                                  DepthInfinity depthInfinity, FileEtags fileEtags)
{
    if (!readOnlyFolders.isEmpty() && kind != Kind::Apache) {
        *error = QStringLiteral("read-only folders are set up for Apache only");
        return nullptr;
    }
    std::unique_ptr<WebDavServer> server(new WebDavServer(kind));
    server->m_readOnlyFolders = readOnlyFolders;
    server->m_depthInfinity = depthInfinity;
    server->m_fileEtags = fileEtags;
    server->m_directory = std::make_unique<QTemporaryDir>();
    const QString base = server->m_directory->path();
    if (!server->m_directory->isValid() || !QDir().mkpath(base + QStringLiteral("/www/dav")) ||
        !QDir().mkpath(base + QStringLiteral("/run")) ||
        !QDir().mkpath(base + QStringLiteral("/lock"))) {
        *error = QStringLiteral("cannot create the server's temporary directory");
        return nullptr;
    }

    QProcess htpasswd;
    htpasswd.start(findProgram(QStringLiteral("htpasswd")),
                   {QStringLiteral("-cim"), base + QStringLiteral("/htpasswd"), server->m_user});
    htpasswd.write(server->m_password.toUtf8() + '\n');
    htpasswd.closeWriteChannel();
    if (!htpasswd.waitForFinished(StopTimeoutMs) || htpasswd.exitCode() != 0) {
        *error = QStringLiteral("htpasswd failed (apache2-utils installed?): %1 %2")
                     .arg(htpasswd.errorString(),
                          QString::fromLocal8Bit(htpasswd.readAllStandardError()));
        return nullptr;
    }

    for (int attempt = 0; attempt < LaunchAttempts; ++attempt) {
        switch (server->launch(error)) {
        case Launch::Ready:
            return server;
        case Launch::Failed:
            return nullptr;
        case Launch::PortTaken:
            break;
        }
    }
    *error = QStringLiteral("%1: every port picked was taken before it could bind (%2 attempts)")
                 .arg(kindName(kind))
                 .arg(LaunchAttempts);
    return nullptr;
}

QStringList WebDavServer::writeConfig(QString *program)
{
    const QString base = m_directory->path();
    switch (m_kind) {
    case Kind::Apache: {
        QString directives;
        if (m_depthInfinity == DepthInfinity::Allowed)
            directives += QStringLiteral("DavDepthInfinity On\n");
        if (m_fileEtags == FileEtags::InodeMtimeSize)
            directives += QStringLiteral("FileETag INode MTime Size\n");
        const QString config = base + QStringLiteral("/apache.conf");
        const QStringList arguments{QStringLiteral("-f"), config, QStringLiteral("-DFOREGROUND")};
        *program = findProgram(QStringLiteral("apache2"));
        if (::geteuid() != 0) {
            writeText(config, apacheConfig(base, m_port, {}, m_readOnlyFolders, directives));
            return arguments;
        }
        if (userNamespacesWork()) {
            writeText(config, apacheConfig(base, m_port, {}, m_readOnlyFolders, directives));
            const QString apache = *program;
            *program = findProgram(QStringLiteral("unshare"));
            return QStringList{QStringLiteral("--user"),
                               QStringLiteral("--map-user=%1").arg(UnprivilegedUid),
                               QStringLiteral("--map-group=%1").arg(UnprivilegedUid), apache} +
                   arguments;
        }
        // No user namespaces (e.g. a restrictive container): let Apache drop to www-data and
        // give it the files it has to write. Directories the test later creates in
        // dataDirectory() as root are then not writable by Apache.
        const passwd *account = ::getpwnam("www-data");
        const uid_t uid = account ? account->pw_uid : UnprivilegedUid;
        const gid_t gid = account ? account->pw_gid : UnprivilegedUid;
        QFile::setPermissions(base, QFile::permissions(base) | QFile::ReadGroup | QFile::ExeGroup |
                                        QFile::ReadOther | QFile::ExeOther);
        chownTree(base + QStringLiteral("/www"), uid, gid);
        chownTree(base + QStringLiteral("/lock"), uid, gid);
        writeText(config, apacheConfig(base, m_port,
                                       QStringLiteral("User #%1\nGroup #%2\n").arg(uid).arg(gid),
                                       m_readOnlyFolders, directives));
        return arguments;
    }
    case Kind::Nginx: {
        const QString config = base + QStringLiteral("/nginx.conf");
        writeText(config, nginxConfig(base, m_port));
        *program = findProgram(QStringLiteral("nginx"));
        return {QStringLiteral("-p"), base,
                QStringLiteral("-e"), base + QStringLiteral("/error.log"),
                QStringLiteral("-c"), config};
    }
    case Kind::Rclone:
        *program = findProgram(QStringLiteral("rclone"));
        return {QStringLiteral("serve"), QStringLiteral("webdav"), dataDirectory(),
                QStringLiteral("--addr"), QStringLiteral("127.0.0.1:%1").arg(m_port),
                QStringLiteral("--htpasswd"), base + QStringLiteral("/htpasswd"),
                QStringLiteral("--baseurl"), QStringLiteral("/dav"),
                // Tests change dataDirectory() behind the server's back: no stale listings.
                QStringLiteral("--dir-cache-time"), QStringLiteral("0s"),
                QStringLiteral("--config"), QStringLiteral("/dev/null")};
    case Kind::Lighttpd:
    case Kind::LighttpdNoDb:
        return prepareLighttpd(base, m_port, m_kind == Kind::Lighttpd, program);
    }
    return {};
}

WebDavServer::Launch WebDavServer::launch(QString *error)
{
    stop();
    m_port = pickFreePort();
    if (m_port == 0) {
        *error = QStringLiteral("no free port on 127.0.0.1");
        return Launch::Failed;
    }
    QString program;
    const QStringList arguments = writeConfig(&program);
    if (program.isEmpty()) {
        *error =
            QStringLiteral("%1 is not installed (scripts/install-deps.sh)").arg(kindName(m_kind));
        return Launch::Failed;
    }
    QFile::remove(m_directory->path() + QStringLiteral("/error.log"));
    QFile::remove(m_directory->path() + QStringLiteral("/output.log"));

    m_process = std::make_unique<QProcess>();
    // To a file, not a pipe: a pipe nobody reads while a test blocks elsewhere (waiting for the
    // CLI, say) fills up and stalls the server.
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setStandardOutputFile(m_directory->path() + QStringLiteral("/output.log"));
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("HOME"), m_directory->path());
    m_process->setProcessEnvironment(environment);
    // No server outlives a test that crashes or is killed by the ctest timeout.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_process->start(program, arguments);
    if (!m_process->waitForStarted(StartTimeoutMs)) {
        *error = QStringLiteral("cannot start %1: %2").arg(program, m_process->errorString());
        m_process.reset();
        return Launch::Failed;
    }

    QNetworkAccessManager network;
    QNetworkRequest request(url());
    request.setRawHeader("Depth", "0");
    request.setRawHeader("Authorization",
                         "Basic " + (m_user + QLatin1Char(':') + m_password).toUtf8().toBase64());
    request.setTransferTimeout(2'000);
    int lastStatus = 0;
    QString lastNetworkError;
    const QDeadlineTimer deadline(StartTimeoutMs);
    while (!deadline.hasExpired()) {
        if (m_process->state() == QProcess::NotRunning)
            break;
        std::unique_ptr<QNetworkReply> reply(network.sendCustomRequest(request, "PROPFIND"));
        waitFor([&] { return reply->isFinished(); }, 5'000);
        lastStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        lastNetworkError = reply->errorString();
        if (lastStatus == 207)
            return Launch::Ready;
        // Poll again shortly.
        waitFor([&] { return m_process->state() == QProcess::NotRunning; }, 50);
    }

    const bool exited = m_process->state() == QProcess::NotRunning;
    stop();
    const QString output = collectOutput();
    if (exited && output.contains(QStringLiteral("address already in use"), Qt::CaseInsensitive))
        return Launch::PortTaken;
    *error =
        QStringLiteral(
            "%1 on port %2 did not answer PROPFIND with 207 (%3; last status %4, %5). Output:\n%6")
            .arg(kindName(m_kind))
            .arg(m_port)
            .arg(exited ? QStringLiteral("it exited") : QStringLiteral("timed out"))
            .arg(lastStatus)
            .arg(lastNetworkError, output);
    return Launch::Failed;
}

QStringList WebDavServer::requestsAnswered() const
{
    if (m_kind != Kind::Apache)
        return {};
    return readText(m_directory->path() + QStringLiteral("/access.log"))
        .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

QString WebDavServer::collectOutput() const
{
    return readText(m_directory->path() + QStringLiteral("/output.log")) +
           readText(m_directory->path() + QStringLiteral("/error.log"));
}

void WebDavServer::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(StopTimeoutMs)) {
            m_process->kill();
            m_process->waitForFinished(StopTimeoutMs);
        }
    }
    m_process.reset();
}

} // namespace steadysync::test
