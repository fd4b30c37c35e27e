#pragma once

#include <QLatin1StringView>
#include <QtGlobal>

// The Ferry wire protocol (DESIGN.md, "Wire"): TLS over TCP, frames of a 4-byte big-endian
// length and a CBOR map. Every map has "t" (the message type) and, except for events
// without a request, "id" (the request id the client chose; replies and events carry it).
//
// A connection starts with hello in both directions; nothing else is accepted before it.
// Requests and their replies (the reply type follows the arrow):
//   hello    {versions:[int], digests:[str], node:str, software:str}  -> hello {version, digests, node, region, software}
//   ping     {}                                                -> pong {time_ms}
//   status   {}                                                -> status {node, region, software, uptime_ms, databases:[{name, kind, tables:[str], error?}]}
//   tables   {db}                                              -> tables {tables:[str]}
//   describe {db, table}                                       -> schema {schema}
//   digest   {db, table, digest, ranges:[range]}               -> digests {digests:[[rows, bytes]]}
//   replace  {db, table, digest, parts:[{range, rows:[row]}]}  -> digests {digests:[[rows, bytes]]}
//   compare  {db, table, target:{host, port, db, table}, repair, block_rows, block_ms, digest}
//              -> progress {...} events, then summary {summary}
// Any request may instead be answered by error {code, message}.
namespace ferry::protocol {

constexpr int Version = 1;
constexpr int OldestVersion = 1;
// Checked on the length prefix before any buffer is allocated for the body.
constexpr quint32 MaxFrameSize = 64 * 1024 * 1024;
// Rows shipped in one replace message are split to stay well below MaxFrameSize.
constexpr qint64 ReplaceBatchBytes = 8 * 1024 * 1024;

namespace Type {
constexpr QLatin1StringView Hello("hello");
constexpr QLatin1StringView Ping("ping");
constexpr QLatin1StringView Pong("pong");
constexpr QLatin1StringView Status("status");
constexpr QLatin1StringView Tables("tables");
constexpr QLatin1StringView Describe("describe");
constexpr QLatin1StringView Schema("schema");
constexpr QLatin1StringView Digest("digest");
constexpr QLatin1StringView Digests("digests");
constexpr QLatin1StringView Replace("replace");
constexpr QLatin1StringView Compare("compare");
constexpr QLatin1StringView Progress("progress");
constexpr QLatin1StringView Summary("summary");
constexpr QLatin1StringView Error("error");
} // namespace Type

namespace ErrorCode {
constexpr QLatin1StringView BadFrame("bad_frame");           // unparseable CBOR, oversized or empty frame
constexpr QLatin1StringView BadMessage("bad_message");       // wrong type or missing field
constexpr QLatin1StringView UnknownMessage("unknown_message");
constexpr QLatin1StringView UnsupportedVersion("unsupported_version");
constexpr QLatin1StringView UnsupportedDigest("unsupported_digest");
constexpr QLatin1StringView NotReady("not_ready");           // a request before hello
constexpr QLatin1StringView UnknownDatabase("unknown_database");
constexpr QLatin1StringView Database("database");            // the database refused (no table, no key, locked...)
constexpr QLatin1StringView Unreachable("unreachable");      // a node this node had to reach could not be reached
constexpr QLatin1StringView Cancelled("cancelled");
constexpr QLatin1StringView Internal("internal");
} // namespace ErrorCode

} // namespace ferry::protocol
