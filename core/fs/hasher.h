#pragma once

#include "result.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace steadysync {

// Streamed SHA-256 of files (DESIGN §3): OpenSSL's EVP where it was found at build time
// (it uses the CPU's SHA instructions), QCryptographicHash otherwise.
// Blocking: call it off the engine's event loop (the scanner runs in a thread pool).
class Hasher
{
public:
    // Lowercase hex digest of the file's content. Errors: the errno table of fs/errnokind.h
    // (NotFound, Permanent for permission denied, Transient for other read errors), Permanent
    // for a file that is not a regular file.
    static Result<QByteArray> sha256OfFile(const QString &absolutePath);
    static QByteArray sha256(const QByteArray &data); // lowercase hex
    static bool usesOpenSsl();
};

// The same digest taken incrementally, for bytes that pass by anyway (an upload hashes what it
// sends, so the journal records exactly what the server got).
class Sha256Stream
{
public:
    Sha256Stream();
    ~Sha256Stream();
    Sha256Stream(const Sha256Stream &) = delete;
    Sha256Stream &operator=(const Sha256Stream &) = delete;

    void add(const char *data, qint64 size);
    // Lowercase hex of everything added since construction or restart(); empty where SHA-256
    // is unavailable. Ends the stream: restart() before adding again.
    QByteArray hexResult();
    void restart();

private:
    class Digest;
    std::unique_ptr<Digest> m_digest;
};

} // namespace steadysync
