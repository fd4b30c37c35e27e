#pragma once

#include "blocks/targetendpoint.h"
#include "net/nodeclient.h"

#include <QThreadPool>

namespace ferry {

// The target side of the block verification protocol in another data center: each call
// is one request to that node's ferry-node over the connection of a NodeClient, answered
// by the node's own thread for that database. Rows of a repair are sent in messages of
// at most protocol::ReplaceBatchBytes (about), each applied in one transaction per range.
class RemoteEndpoint : public TargetEndpoint
{
public:
    // client must stay open for the endpoint's lifetime. link: the link whose target this
    // is (its requests name it, and the target accepts them only from the link's source
    // node); empty for a compare, whose repairs an admin allows on the target.
    RemoteEndpoint(NodeClient *client, const QString &database, const QString &link = QString());

    QString displayName() const override;
    QFuture<TableSchema> describe(const QString &table) override;
    QFuture<QList<RangeDigest>> digestRanges(const TableSchema &schema, const QList<KeyRange> &ranges,
                                             DigestAlgorithm algorithm) override;
    QFuture<QList<RangeDigest>> replaceRanges(const TableSchema &schema, const QList<RangeRows> &ranges,
                                              DigestAlgorithm algorithm) override;
    QFuture<QList<Row>> readRange(const TableSchema &schema, const KeyRange &range, int limit) override;
    // Writes the requests' CBOR straight from the canonical rows, without a QVariant or a
    // QCborValue per value; the target receives exactly what replaceRanges would send.
    QFuture<QList<RangeDigest>> replaceEncoded(const TableSchema &schema, const QList<EncodedRangeRows> &ranges,
                                               DigestAlgorithm algorithm) override;

private:
    NodeClient *m_client;
    QString m_database;
    QString m_link;
};

} // namespace ferry
