#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

class QProcess;
class QTemporaryDir;

namespace steadysync::test {

// A real WebDAV server (Apache mod_dav_fs, nginx + dav-ext, rclone, or lighttpd mod_webdav with
// or without its property database) on a free loopback port, started from a config file in its
// own temporary directory: no system service, nothing in /etc touched. Basic auth with user() /
// password(). The destructor stops it and removes every file it served.
class WebDavServer
{
public:
    // Lighttpd is a full setup (property database: LOCK, "DAV: 1,2,3"; a MIME map: ETag and
    // Last-Modified on GET). LighttpdNoDb is a minimal one, as many installations are: no
    // webdav.sqlite-db-name (LOCK answers 500, "DAV: 1,3") and no MIME map (GET carries no
    // ETag and no Last-Modified; only PROPFIND gives them).
    enum class Kind { Apache, Nginx, Rclone, Lighttpd, LighttpdNoDb };
    // How Apache answers PROPFIND Depth: infinity: refused with 403 and a
    // <D:propfind-finite-depth/> error (mod_dav's default), or with the whole tree
    // (DavDepthInfinity On, a setting users can turn on). The other kinds ignore it.
    enum class DepthInfinity { Refused, Allowed };
    // Apache's ETags: "SIZE-MTIME" (its default, FileETag MTime Size: files written in one
    // clock tick share one) or "INODE-SIZE-MTIME" (FileETag INode MTime Size, a setting users
    // can turn on: one file's while it exists, kept by a MOVE). The other kinds ignore it.
    enum class FileEtags { MtimeSize, InodeMtimeSize };

    // Returns once an authenticated PROPFIND on url() answers 207; nullptr and the server's
    // output in *error when it does not start.
    // readOnlyFolders (Apache only): folders below url() that refuse PUT, DELETE, MKCOL, MOVE,
    // COPY, LOCK and PROPPATCH with 403, as a read-only share does.
    static std::unique_ptr<WebDavServer> start(Kind kind, QString *error,
                                               const QStringList &readOnlyFolders = {},
                                               DepthInfinity depthInfinity = DepthInfinity::Refused,
                                               FileEtags fileEtags = FileEtags::MtimeSize);
    ~WebDavServer();

    WebDavServer(const WebDavServer &) = delete;
    WebDavServer &operator=(const WebDavServer &) = delete;

    Kind kind() const { return m_kind; }
    QUrl url() const; // the collection root, http://127.0.0.1:PORT/dav/
    QString user() const { return m_user; }
    QString password() const { return m_password; }
    QString dataDirectory() const; // what the server serves at url()
    qint64 processId() const;      // of the server's main process, 0 once stopped
    // Apache only (empty elsewhere): one "METHOD DEPTH PATH STATUS" line per request answered
    // so far, from its access log ("-" for a request without a Depth header).
    QStringList requestsAnswered() const;

    static QString kindName(Kind kind);
    static QList<Kind> allKinds();

private:
    explicit WebDavServer(Kind kind);

    enum class Launch { Ready, PortTaken, Failed };
    Launch launch(QString *error);
    QStringList writeConfig(QString *program);
    QString collectOutput() const;
    void stop();

    Kind m_kind;
    std::unique_ptr<QTemporaryDir> m_directory;
    std::unique_ptr<QProcess> m_process;
    QString m_user = QStringLiteral("alice");
    QString m_password;
    quint16 m_port = 0;
    QStringList m_readOnlyFolders;
    DepthInfinity m_depthInfinity = DepthInfinity::Refused;
    FileEtags m_fileEtags = FileEtags::MtimeSize;
};

} // namespace steadysync::test
