#include "smo/migrations.hpp"

#include <catch2/catch.hpp>

using smo::describe_migrations;
using smo::migration_names;
using Names = std::vector<std::string>;

TEST_CASE("migrations: an up/down pair is one migration", "[migrations]") {
    CHECK(migration_names({"db/migrations/003_add_flags.down.sql",
                           "db/migrations/003_add_flags.up.sql"}) == Names{"003_add_flags"});
    CHECK(migration_names({"migrations/1_init.up.sql", "migrations/1_init.down.sql",
                           "migrations/2_more.up.sql", "migrations/3_set_up.sql"}) ==
          Names{"1_init", "2_more", "3_set_up"});
}

TEST_CASE("migrations: one directory per migration counts the directory", "[migrations]") {
    CHECK(migration_names({"prisma/migrations/20260101_init/migration.sql",
                           "prisma/migrations/20260102_orders/migration.sql"}) ==
          Names{"20260101_init", "20260102_orders"});
    CHECK(migration_names({"migrations/2026-01-01-000000_users/down.sql",
                           "migrations/2026-01-01-000000_users/up.sql"}) ==
          Names{"2026-01-01-000000_users"});
}

TEST_CASE("migrations: one file per migration in other layouts", "[migrations]") {
    CHECK(migration_names(
              {"db/migrations/20260418_add_orders.js", "db/migrations/20260419_add_email.ts"}) ==
          Names{"20260418_add_orders", "20260419_add_email"});
    CHECK(describe_migrations(
              {"db/migrations/003_add_flags.down.sql", "db/migrations/003_add_flags.up.sql"}) ==
          "1 migration (003_add_flags)");
    CHECK(describe_migrations({"a/1_x.js", "a/2_y.js"}) == "2 migrations (1_x, 2_y)");
}
