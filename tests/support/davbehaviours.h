#pragma once

#include "quirkydavserver.h"

#include <QElapsedTimer>
#include <QList>

#include <functional>
#include <memory>

// A library of misbehaviours of real servers, each a QuirkyDavServer::Behaviour to switch on
// with QuirkyDavServer::addBehaviour: throttling with 429, listings sent chunked or gzipped,
// cut short, as HTML, as 200 instead of 207, and a collection that moved (a redirect).
namespace steadysync::test::behaviours {

using Request = HostileWebDavServer::Request;
using Behaviour = QuirkyDavServer::Behaviour;
using RequestFilter = std::function<bool(const Request &)>;

// When each matching request arrived, in ms of one clock.
struct ArrivalLog
{
    ArrivalLog() { clock.start(); }
    QElapsedTimer clock;
    QList<qint64> arrivalsMs;
};

enum class RetryAfterForm { Seconds, HttpDate };

RequestFilter methodAndPath(const QByteArray &method, const QByteArray &targetSuffix);
RequestFilter propfinds();

// Logs every request, changes nothing.
Behaviour record(std::shared_ptr<ArrivalLog> log);

// The first `refusals` requests that match get "429 Too Many Requests" with a Retry-After of
// `seconds` (delta-seconds or an HTTP-date that many seconds ahead); all matching requests
// are logged.
Behaviour throttle(RequestFilter which, int refusals, int seconds, RetryAfterForm form,
                   std::shared_ptr<ArrivalLog> log);

// 207 answers sent with "Transfer-Encoding: chunked", in chunks of `chunkBytes`.
Behaviour chunkedListings(int chunkBytes);
// 207 answers compressed with gzip and "Content-Encoding: gzip", asked for or not; `corrupt`
// flips bytes of the compressed stream (a garbled answer).
Behaviour gzippedListings(bool corrupt = false);
// 207 answers of folder listings (Depth: 1) cut at `fraction` of their body, mid-XML, with a
// Content-Length that matches the cut body.
Behaviour truncatedListings(double fraction);
// 207 answers whose body is an HTML page (a proxy's or a login portal's).
Behaviour htmlListings();
// 207 answers sent as "200 OK", the XML body unchanged.
Behaviour okInsteadOfMultistatus();
// Requests below `oldPrefix` (e.g. "/old/") answered with `status` and a Location below
// "/dav/" on the same host, as a server whose collection moved.
Behaviour redirectPrefix(const QByteArray &oldPrefix, int status);
// Matching requests answered with `status` and this Location, nothing stored.
Behaviour redirect(RequestFilter which, const QByteArray &location, int status);

// What a server that wants Basic credentials saw: requests answered 401, and the body bytes
// of the requests it refused (an upload sent before its challenge).
struct AuthLog
{
    int challenges = 0;
    qint64 refusedBodyBytes = 0;
    QList<QByteArray> refused; // "METHOD target" of each
};
// Every request without "Authorization: Basic base64(user:password)" is answered 401 with
// "WWW-Authenticate: Basic", as Apache, nginx and Nextcloud do.
Behaviour basicAuth(const QByteArray &user, const QByteArray &password,
                    std::shared_ptr<AuthLog> log);

// A gzip stream (RFC 1952) of `data`.
QByteArray gzip(const QByteArray &data);

} // namespace steadysync::test::behaviours
