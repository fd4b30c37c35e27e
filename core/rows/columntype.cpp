#include "rows/columntype.h"

namespace ferry {

QString columnTypeName(ColumnType type)
{
    switch (type) {
    case ColumnType::Integer: return QStringLiteral("integer");
    case ColumnType::Real: return QStringLiteral("real");
    case ColumnType::Text: return QStringLiteral("text");
    case ColumnType::Blob: return QStringLiteral("blob");
    case ColumnType::Boolean: return QStringLiteral("boolean");
    case ColumnType::Timestamp: return QStringLiteral("timestamp");
    case ColumnType::Numeric: return QStringLiteral("numeric");
    }
    return QStringLiteral("unknown");
}

} // namespace ferry
