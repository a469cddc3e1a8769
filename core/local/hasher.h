#pragma once

#include "result.h"

#include <QByteArray>
#include <QString>

namespace steadysync {

// Streamed SHA-256 of files (SPEC §3): OpenSSL's EVP where it was found at build time
// (it uses the CPU's SHA instructions), QCryptographicHash otherwise.
// Blocking: call it off the engine's event loop (the scanner runs in a thread pool).
class Hasher
{
public:
    // Lowercase hex digest of the file's content. Errors: NotFound, Permanent (permission
    // denied), Transient (other read errors).
    static Result<QByteArray> sha256OfFile(const QString &absolutePath);
    static QByteArray sha256(const QByteArray &data); // lowercase hex
    static bool usesOpenSsl();
};

} // namespace steadysync
