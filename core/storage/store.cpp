#include "storage/store.h"

#include "storage/postgresstore.h"
#include "storage/sqlitestore.h"

namespace ferry {

std::unique_ptr<Store> Store::open(const DataSource &source, const Options &options)
{
    if (source.kind == DataSource::Kind::Postgres)
        return std::make_unique<PostgresStore>(source, options);
    return std::make_unique<SqliteStore>(source, options);
}

} // namespace ferry
