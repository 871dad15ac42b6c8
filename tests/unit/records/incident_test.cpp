#include "smo/records/incident.hpp"

#include <catch2/catch.hpp>

using smo::choose_incident;

TEST_CASE("incident: --incident wins as given", "[incident]") {
    CHECK(choose_incident(std::string("docs/incidents/2026-04-01-old.md"), "2026-04-19",
                          {"2026-04-19-today.md"}) == "docs/incidents/2026-04-01-old.md");
}

TEST_CASE("incident: else the newest post-mortem of today", "[incident]") {
    const std::vector<std::string> names{"2026-04-18-yesterday.md",  "2026-04-19-a-checkout.md",
                                         "2026-04-19-b-payments.md", "2026-04-19-notes.txt",
                                         "sla-breaches.csv",         "2026-04-20-tomorrow.md"};
    CHECK(choose_incident(std::nullopt, "2026-04-19", names) ==
          "docs/incidents/2026-04-19-b-payments.md");
    CHECK(choose_incident(std::string(), "2026-04-19", names) ==
          "docs/incidents/2026-04-19-b-payments.md");
}

TEST_CASE("incident: else pending", "[incident]") {
    CHECK(choose_incident(std::nullopt, "2026-04-19",
                          {"2026-04-18-yesterday.md", "2026-04-19-.md"}) ==
          "pending — run /smo-incident");
    CHECK(choose_incident(std::nullopt, "2026-04-19", {}) == "pending — run /smo-incident");
}
