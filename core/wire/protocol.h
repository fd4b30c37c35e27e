#pragma once

#include <QLatin1StringView>
#include <QtGlobal>

// The Ferry wire protocol (DESIGN.md, "Wire"): TLS over TCP, frames of a 4-byte big-endian
// length and a CBOR map. Every map has "t" (the message type) and, except for events
// without a request, "id" (the request id the client chose; replies and events carry it).
//
// A connection starts with hello in both directions; nothing else is accepted before it.
// Requests and their replies (the reply type follows the arrow):
//   hello    {versions:[int], digests:[str], node:str, client:str, software:str}  -> hello {version, digests, node, region, software}
//            node: the peer claims to be that node; it must be the common name of its
//            certificate, or the connection is refused (wrong_identity). client: a free
//            label for the log (ferryctl, console) from a peer that is not a node.
//   ping     {}                                                -> pong {time_ms}
//   status   {}                                                -> status {node, region, software, uptime_ms, databases:[{name, kind, tables:[str], error?}]}
//   tables   {db}                                              -> tables {tables:[str]}
//   describe {db, table}                                       -> schema {schema}
//   digest   {db, table, digest, ranges:[range]}               -> digests {digests:[[rows, bytes]]}
//   replace  {db, table, digest, parts:[{range, rows:[row]}]}  -> digests {digests:[[rows, bytes]]}
//   compare  {db, table, target:{host, port, db, table}, repair, block_rows, block_ms, digest}
//              -> progress {...} events, then summary {summary}
// The target side of a replication link (sent by the source node):
//   create_table {db, schema}                                -> ok {}
//   guard    {db, table, on, message}                        -> ok {}
//   applied  {db, link}                                      -> applied {seq}
//   apply    {db, table, link, peer_link, peer_applied, changes, last_seq, final, conflicts:{detect, policy, winner, ts_column}}
//              (final: false, a part of a source transaction larger than a frame: the target
//              keeps it, answers applied {applied: 0, staged}, and applies every kept part
//              with the next final batch of the link, in one transaction)
//              (peer_applied: both ways, the seq of the target's own log the source had applied
//              when it read the batch; the target's later changes to the same rows are conflicts)
//              -> applied {seq, applied, skipped, conflicts, lag_max_us, lag_sum_us}
// Links (the node API ferryctl and the console use; see replication/linkmanager.h):
//   link_create {link: definition}  link_pause/link_resume/link_verify/link_resync/link_remove {link: id}
//              (link_verify {link, repair}: repair false runs a read-only check that lists the
//              differing keys; link_show then carries them as "differences")
//              (link_resync: a link stopped by a schema change reads both schemas again and,
//              when they match, verifies the whole table and streams again)
//   link_list {} -> links {links:[{link, stats}]}   link_show {link: id} -> link {link, stats}
//   subscribe {} -> ok {}, then link_stats {links:[stats]} events at most 4 a second and
//              blocks {link, progress} events while a link verifies, and event {event}
//              for every entry of the node's event log
// Failover (failover/failovermanager.h):
//   register_link {link, source_port}  (source -> target, when a link connects)
//   unregister_link {link}  (source -> target, when the link is removed) -> ok
//   failover {link, to, force}  -> failed_over {...}     failover_ack {link} -> ok
//   promote {db, table, link, epoch, replica:{port, db, table, node}}  (old primary -> new)
//   demote {db, table, link, epoch, primary, primary_port, applied_seq} -> ok {preserved}
//   rows {db, table, keys} -> rows {rows}
//   scan {db, table, range, limit} -> rows {rows}  (the rows of one key range in key order, at
//            most limit (1..100000) of them: the keys of a differing block, for the console
//            and for a verification that lists what differs)      probe {host, port} -> probe {reachable, rtt_ms}
//   health {} -> health {peers}                events {count} -> events {events}
//   conflicts {db, limit} -> conflicts {conflicts:[{id, at_us, link, table, key, kept, lost, lost_origin, reason, columns, column_types}]}
//            (columns: the table's column names, empty when the table is gone; column_types:
//            their canonical types, "timestamp" values are microseconds since 1970 UTC)
//   conflict_apply {db, conflict, table, key, version: "kept"|"lost", values, link?}
//            -> conflict_applied {table, key, deleted}: writes that version of the row
//            (values: its JSON text as the conflicts reply gave it) to the table as an
//            application would (an upsert, or a delete when that version is a deletion), so
//            the capture triggers carry it to the peer; refused, nothing written, when the
//            conflict is not recorded there or is for another table, key or values
//            (unknown_conflict), when the table's columns no longer fit the stored row
//            (schema_changed), or when the table refuses application writes (a replica's
//            guard, a lapsed write lease: database)
// Any request may instead be answered by error {code, message}.
namespace ferry::protocol {

constexpr int Version = 1;
constexpr int OldestVersion = 1;
// Checked on the length prefix before any buffer is allocated for the body.
constexpr quint32 MaxFrameSize = 64 * 1024 * 1024;
// The longest name, id or label a message field may hold (MessageFields::string), and the
// longest free text (MessageFields::text: error messages, a guard's message), in characters.
constexpr qsizetype MaxStringLength = 4096;
constexpr qsizetype MaxTextLength = 1024 * 1024;
// Rows shipped in one replace message are split to stay well below MaxFrameSize.
constexpr qint64 ReplaceBatchBytes = 8 * 1024 * 1024;
// The most rows one scan request may ask for (a block holds about block_rows rows).
constexpr int MaxScanRows = 100000;

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
constexpr QLatin1StringView Ok("ok");
constexpr QLatin1StringView CreateTable("create_table");
constexpr QLatin1StringView AddColumns("add_columns");    // {db, link, schema}: the target table gets the schema's columns it lacks
constexpr QLatin1StringView DropTable("drop_table");      // {db, table, link}: a database link's table dropped on the source
constexpr QLatin1StringView Guard("guard");
constexpr QLatin1StringView Applied("applied");
constexpr QLatin1StringView Apply("apply");
// {db, group, begin, final, parts: [{table, link, link_id, last_seq, epoch, changes}]}: one
// source transaction of a database link over several of its tables, applied in one target
// transaction (final: false keeps the parts until the final message; begin: true starts over).
constexpr QLatin1StringView ApplyGroup("apply_group");
constexpr QLatin1StringView LinkCreate("link_create");
constexpr QLatin1StringView LinkPause("link_pause");
constexpr QLatin1StringView LinkResume("link_resume");
constexpr QLatin1StringView LinkVerify("link_verify");
constexpr QLatin1StringView LinkResync("link_resync");
constexpr QLatin1StringView LinkRemove("link_remove");
constexpr QLatin1StringView LinkSet("link_set");         // {link, settings}: changes settings in place
constexpr QLatin1StringView LinkList("link_list");
constexpr QLatin1StringView LinkShow("link_show");
constexpr QLatin1StringView Links("links");
constexpr QLatin1StringView Link("link");
constexpr QLatin1StringView Subscribe("subscribe");
constexpr QLatin1StringView LinkStats("link_stats");
constexpr QLatin1StringView Blocks("blocks");
constexpr QLatin1StringView LinkRegister("register_link");
constexpr QLatin1StringView LinkUnregister("unregister_link");
constexpr QLatin1StringView Failover("failover");
constexpr QLatin1StringView FailoverAck("failover_ack");
constexpr QLatin1StringView Promote("promote");
constexpr QLatin1StringView Demote("demote");
constexpr QLatin1StringView Rows("rows");
constexpr QLatin1StringView Scan("scan");
constexpr QLatin1StringView Probe("probe");
// {link_id, db, table, epoch, lease_ms}: the source of a leased link asks its replica
// whether it is still the primary; {armed} answers, and renews its write lease.
constexpr QLatin1StringView Lease("lease");
// {link, to, force}: what a failover would do, to every link it touches; nothing changes.
constexpr QLatin1StringView FailoverPlan("failover_plan");
constexpr QLatin1StringView Health("health");
constexpr QLatin1StringView Events("events");
constexpr QLatin1StringView Event("event");
constexpr QLatin1StringView Conflicts("conflicts");
constexpr QLatin1StringView ConflictApply("conflict_apply");
constexpr QLatin1StringView ConflictApplied("conflict_applied");
// {db, table, node, allow}: an admin lets node repair db.table here without a link (the
// replace requests of compare --repair), or takes that back -> ok
constexpr QLatin1StringView RepairGrant("repair_grant");
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
constexpr QLatin1StringView UnknownLink("unknown_link");
constexpr QLatin1StringView LinkExists("link_exists");
// The target table is already written by another link (one writer per table).
constexpr QLatin1StringView WriterExists("writer_exists");
constexpr QLatin1StringView BadSetting("bad_setting");       // link_set: a setting that cannot be, nothing changed
// A newer epoch exists for the table pair; typed fields "epoch" and "primary".
constexpr QLatin1StringView StaleEpoch("stale_epoch");
constexpr QLatin1StringView FailoverRefused("failover_refused");
// The table's columns changed since the link described it: nothing was applied.
constexpr QLatin1StringView SchemaChanged("schema_changed");
constexpr QLatin1StringView Internal("internal");
// conflict_apply: no such conflict is recorded in the database, or it is not the one the
// request names (another table, key or version).
constexpr QLatin1StringView UnknownConflict("unknown_conflict");
// The peer's certificate does not name who it claims to be (its hello), or not the node
// the client meant to reach.
constexpr QLatin1StringView WrongIdentity("wrong_identity");
// A limit of the connection or of the peer was hit (unfinished frame bytes, queued reply
// bytes, a string too long, too many connections, no hello in time, idle too long).
constexpr QLatin1StringView LimitExceeded("limit_exceeded");
// The certificate's role may not make this request; the message names the roles that may.
constexpr QLatin1StringView Forbidden("forbidden");
} // namespace ErrorCode

} // namespace ferry::protocol
