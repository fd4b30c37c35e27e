#include "blocks/rowdifference.h"

#include "rows/canonicalencoder.h"

namespace ferry {

QString rowDifferenceKindName(RowDifference::Kind kind)
{
    switch (kind) {
    case RowDifference::Kind::Missing: return QStringLiteral("missing");
    case RowDifference::Kind::Extra: return QStringLiteral("extra");
    case RowDifference::Kind::Different: return QStringLiteral("different");
    }
    return QString();
}

RangeDifferences diffRows(const TableSchema &schema, const QList<Row> &source, const QList<Row> &target, int limit)
{
    RangeDifferences result;
    const QList<ColumnType> types = schema.keyTypes();
    auto note = [&](RowDifference::Kind kind, const Row *sourceRow, const Row *targetRow) {
        switch (kind) {
        case RowDifference::Kind::Missing: ++result.missing; break;
        case RowDifference::Kind::Extra: ++result.extra; break;
        case RowDifference::Kind::Different: ++result.different; break;
        }
        if (result.rows.size() >= limit)
            return;
        RowDifference difference;
        difference.kind = kind;
        difference.key = schema.keyOf(sourceRow ? *sourceRow : *targetRow);
        if (sourceRow)
            difference.source = *sourceRow;
        if (targetRow)
            difference.target = *targetRow;
        result.rows.append(difference);
    };
    // Both lists are in key order: one merge pass.
    qsizetype s = 0;
    qsizetype t = 0;
    while (s < source.size() || t < target.size()) {
        if (t == target.size()) {
            note(RowDifference::Kind::Missing, &source.at(s++), nullptr);
            continue;
        }
        if (s == source.size()) {
            note(RowDifference::Kind::Extra, nullptr, &target.at(t++));
            continue;
        }
        const int order = compareKeys(types, schema.keyOf(source.at(s)), schema.keyOf(target.at(t)));
        if (order < 0) {
            note(RowDifference::Kind::Missing, &source.at(s++), nullptr);
        } else if (order > 0) {
            note(RowDifference::Kind::Extra, nullptr, &target.at(t++));
        } else {
            if (CanonicalEncoder::encodeRow(schema, source.at(s)) != CanonicalEncoder::encodeRow(schema, target.at(t)))
                note(RowDifference::Kind::Different, &source.at(s), &target.at(t));
            ++s;
            ++t;
        }
    }
    return result;
}

} // namespace ferry
