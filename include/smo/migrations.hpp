#pragma once

#include <string>
#include <vector>

// Migrations as people count them, from the files added between two releases
// (docs/configuration.md, "Migrations").
namespace smo {

// One name per migration, in first-seen order: `003_add.up.sql` and
// `003_add.down.sql` are the migration `003_add`; a file named up.sql,
// down.sql or migration.sql (one directory per migration: Prisma, diesel) is
// its directory's name; any other file is one migration, named without its
// extension (`20260418_add_orders.js` → `20260418_add_orders`).
std::vector<std::string> migration_names(const std::vector<std::string>& files);

// "1 migration (003_add)", "2 migrations (003_add, 004_drop)".
std::string describe_migrations(const std::vector<std::string>& files);

} // namespace smo
