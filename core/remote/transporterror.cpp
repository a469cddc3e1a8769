#include "remote/transporterror.h"

namespace steadysync {

std::optional<ErrorKind> sharedTransportErrorKind(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::NetworkSessionFailedError:
        return ErrorKind::Offline;
    case QNetworkReply::SslHandshakeFailedError:
    case QNetworkReply::ProtocolUnknownError:
        return ErrorKind::Permanent;
    default:
        return std::nullopt;
    }
}

} // namespace steadysync
