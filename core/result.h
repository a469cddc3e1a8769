#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace steadysync {

// How a failed operation should be treated by the sync engine (DESIGN §5).
enum class ErrorKind {
    Transient, // network error, timeout, 5xx, 408, 423, 429, local file busy: retry with backoff
    Permanent, // 400, 403, 409, 413, 415, rejected name, local permission denied: show, don't retry
    Auth,      // 401: pause the pair and ask for credentials
    Offline,   // server or remote root unreachable: go offline and probe
    PreconditionFailed, // 412 or the local-dir equivalent: the remote changed meanwhile, reconcile
                        // again
    NotFound,           // the item does not exist (404)
    ParentMissing,      // the parent collection does not exist (409 on PUT/MKCOL)
    DiskFull,           // no space left locally or remotely (507, ENOSPC)
    RootMissing,        // a sync root is absent, unmounted or unreadable: never read as a deletion
    Cancelled,          // the job was cancelled
    InvalidName,        // a name that would escape the root or cannot be stored
    Corrupt,            // malformed data (server reply, journal)
};

struct Error
{
    ErrorKind kind = ErrorKind::Transient;
    QString message;
    int retryAfterSeconds = -1; // from Retry-After, -1 when absent
    int httpStatus = 0;         // the server's HTTP status behind it, 0 when none

    bool isRetryable() const
    {
        return kind == ErrorKind::Transient || kind == ErrorKind::Offline ||
               kind == ErrorKind::DiskFull;
    }
};

QString errorKindName(ErrorKind kind);

// A value or an error, in the spirit of std::expected (not available in C++20).
template<typename T> class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::move(value)) {}
    Result(Error error) : m_data(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_data); }
    T &value() & { return std::get<T>(m_data); }
    T &&value() && { return std::get<T>(std::move(m_data)); }
    const T &operator*() const & { return value(); }
    T &operator*() & { return value(); }
    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }

    const Error &error() const { return std::get<Error>(m_data); }

private:
    std::variant<T, Error> m_data;
};

struct Done
{
};

// For operations that return nothing on success.
using Status = Result<Done>;

inline Status success()
{
    return Done{};
}

inline Error makeError(ErrorKind kind, QString message)
{
    return Error{kind, std::move(message), -1};
}

} // namespace steadysync
