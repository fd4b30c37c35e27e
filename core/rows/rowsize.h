#pragma once

#include "rows/tableschema.h"

namespace ferry {

// An upper bound of a row's size in a change batch (UTF-8 text at 3 bytes a character),
// enough to cut batches and staged transactions to size.
qint64 approximateRowBytes(const Row &row);

} // namespace ferry
