#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

// How PropfindParser reads the hrefs of a multistatus: RFC 3986 resolution against the request
// URL, percent-decoding, and which names are safe. Internal to the parser; pure.
namespace steadysync::propfindhref {

// The raw (still percent-encoded) absolute path an href names, resolved per RFC 3986 §5.2
// against the request URL, or nullopt and an error text. An href to another server is refused
// (*why is set) but still yields its path. A raw '?' or '#' is part of a name.
std::optional<QString> rawPathOf(const QString &href, const QUrl &requestUrl, QString *why);

// True for an href that was not percent-encoded at all: a '%' in it starts no %HH escape.
bool wasNotPercentEncoded(const QString &href);

// True when a %HH escape in these raw segments stands for an ASCII letter or digit.
bool escapesAlphanumeric(const QStringList &rawSegments);

// Percent-decodes one segment as UTF-8 (literal: takes it as it is); bytes that are not UTF-8
// clear *validUtf8.
QString decodedSegment(const QString &segment, bool literal, bool *validUtf8);

// Splits an encoded path into decoded segments, dropping the leading '/'. A trailing '/'
// leaves a final empty segment. %2F stays inside its segment as '/'.
QStringList decodedSegments(const QString &rawPath, bool literal, bool *validUtf8);
QStringList decodedSegments(const QString &rawPath);

QStringList withoutTrailingEmpty(QStringList segments);

// Why a decoded name is unsafe (could reach outside the root or names no single local item);
// empty when it is safe.
QString whyNameIsUnsafe(const QString &name);

// Where a refused member would lie, relative to the listed collection: its segments up to the
// first that is not a safe name by itself. nullopt: it names nothing inside the collection.
std::optional<QString> pathToKeepFor(const QStringList &rest);

} // namespace steadysync::propfindhref
