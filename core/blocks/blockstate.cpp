#include "blocks/blockstate.h"

namespace ferry {

QString blockStateName(BlockState state)
{
    switch (state) {
    case BlockState::Pending: return QStringLiteral("pending");
    case BlockState::Hashing: return QStringLiteral("hashing");
    case BlockState::Equal: return QStringLiteral("equal");
    case BlockState::Differs: return QStringLiteral("differs");
    case BlockState::Repairing: return QStringLiteral("repairing");
    case BlockState::Repaired: return QStringLiteral("repaired");
    case BlockState::Failed: return QStringLiteral("failed");
    }
    return QString();
}

} // namespace ferry
