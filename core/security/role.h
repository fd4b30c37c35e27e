#pragma once

#include <QSslCertificate>
#include <QString>

#include <optional>

namespace ferry {

// What a certificate of the deployment CA lets its holder do (DESIGN.md, "Trust" rule 4).
// The role is carried in the certificate's subject as an organizational unit
// "ferry-role:ROLE" (ferryctl certs issue --role), so that a node reads it from the
// certificate the TLS handshake verified, not from anything the peer says.
//
//   viewer    reads: status, tables, links, health, events
//   operator  viewer + pause, resume, verify, resync, graceful failover, failover-ack
//   admin     everything: create, change (link_set) and remove links, forced failover,
//             read rows, compare and repair (repair_grant)
//   node      the node-to-node protocol only (a link's target side, failover between the
//             nodes of a link, the reverse half of a bidirectional link), and each request
//             that acts for a link only from that link's actual peer (PeerSession)
//
// A certificate without a role (issued before roles existed) is treated as a viewer: it
// keeps reading and changes nothing until it is issued again with a role.
enum class Role { None, Viewer, Operator, Admin, Node };

constexpr const char *RoleUnitPrefix = "ferry-role:";

QString roleName(Role role);   // "viewer", ..., "none"
std::optional<Role> roleFromName(const QString &name);   // the four names of --role
Role certificateRole(const QSslCertificate &certificate);

} // namespace ferry
