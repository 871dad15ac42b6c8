#include "smo/records/prediction.hpp"
#include "support/sample_report.hpp"

#include <catch2/catch.hpp>

using smo::predict_rollback_seconds;
using smo::PredictionInputs;
using smo::TrendRow;

namespace {

TrendRow past(const std::string& env, const std::string& kind, const std::string& outcome,
              std::map<int, double> stages) {
    TrendRow row;
    row.env = env;
    row.kind = kind;
    row.outcome = outcome;
    row.stage_seconds = std::move(stages);
    return row;
}

PredictionInputs drill_inputs() {
    PredictionInputs inputs;
    inputs.env = "production";
    inputs.measured = {{1, 0.5}, {2, 0.5}, {3, 1.0}, {4, 3.0}, {5, 20.0}, {6, 10.0}}; // 35 s
    inputs.settle_seconds = 10;
    inputs.health_stable_polls = 3;
    return inputs;
}

} // namespace

TEST_CASE("prediction without history: measured stages plus stated defaults", "[prediction]") {
    const auto prediction = predict_rollback_seconds({}, drill_inputs());
    // 35 measured + reload 5 + settle 10 + health 3 × 2 + 2 = 58.
    CHECK(prediction.seconds == Approx(58.0));
    CHECK(prediction.basis == "stages 1–6 measured; defaults (no rollback history): reload 5.0s, "
                              "settle 10.0s, health 8.0s");
}

TEST_CASE("prediction with history: medians of past successful rollbacks of the env",
          "[prediction]") {
    const std::vector<TrendRow> rows{
        past("production", "rollback", "success", {{7, 4.0}, {8, 2.0}, {9, 3.0}, {10, 6.0}}),
        past("production", "rollback", "success", {{7, 0.0}, {8, 4.0}, {9, 5.0}, {10, 4.0}}),
        past("production", "rollback", "success", {{8, 3.0}, {9, 9.0}, {10, 5.0}}),
        // Not counted: another env, a drill, a failed rollback.
        past("staging", "rollback", "success", {{8, 100.0}, {9, 100.0}, {10, 100.0}}),
        past("production", "drill", "success", {{8, 100.0}, {9, 100.0}, {10, 100.0}}),
        past("production", "rollback", "sev1", {{8, 100.0}, {9, 100.0}, {10, 100.0}}),
    };
    auto prediction = predict_rollback_seconds(rows, drill_inputs());
    // 35 + median reload 3 + median settle 5 + median health 5 = 48.
    CHECK(prediction.seconds == Approx(48.0));
    CHECK(prediction.basis ==
          "stages 1–6 measured; reload, settle, health: median of 3 past rollbacks");

    // With migrations to run: the median of the rollbacks that ran one (4 s).
    auto inputs = drill_inputs();
    inputs.migrations_added = true;
    prediction = predict_rollback_seconds(rows, inputs);
    CHECK(prediction.seconds == Approx(52.0));
    CHECK(prediction.basis ==
          "stages 1–6 measured; migration, reload, settle, health: median of 3 past rollbacks");
}

TEST_CASE("prediction: history without a migration falls back for that stage only",
          "[prediction]") {
    const std::vector<TrendRow> rows{
        past("production", "rollback", "success", {{7, 0.0}, {8, 2.0}, {9, 4.0}, {10, 6.0}}),
        past("production", "rollback", "success", {{7, 0.0}, {8, 4.0}, {9, 6.0}, {10, 8.0}})};
    auto inputs = drill_inputs();
    inputs.migrations_added = true;
    const auto prediction = predict_rollback_seconds(rows, inputs);
    // 35 + migration default 15 + reload 3 + settle 5 + health 7 = 65.
    CHECK(prediction.seconds == Approx(65.0));
    CHECK(prediction.basis == "stages 1–6 measured; reload, settle, health: median of 2 past "
                              "rollbacks; defaults (not in history): migration 15.0s");
}

TEST_CASE("prediction: only the newest ten rollbacks count", "[prediction]") {
    std::vector<TrendRow> rows;
    for (int i = 0; i < 5; ++i) {
        rows.push_back(past("production", "rollback", "success", {{8, 50}, {9, 50}, {10, 50}}));
    }
    for (int i = 0; i < 10; ++i) {
        rows.push_back(past("production", "rollback", "success", {{8, 1}, {9, 1}, {10, 1}}));
    }
    const auto prediction = predict_rollback_seconds(rows, drill_inputs());
    CHECK(prediction.seconds == Approx(38.0));
    CHECK_THAT(prediction.basis, Catch::Contains("median of 10 past rollbacks"));
}

TEST_CASE("prediction: a drill that stopped early says which stages it did not measure",
          "[prediction]") {
    auto inputs = drill_inputs();
    inputs.measured = {{1, 0.5}, {2, 0.5}};
    const auto prediction = predict_rollback_seconds({}, inputs);
    CHECK(prediction.seconds == Approx(24.0));
    CHECK_THAT(prediction.basis,
               Catch::StartsWith("stages 1–6 measured except 3, 4, 5, 6 (not reached);"));
}

TEST_CASE("measured stage seconds are stages 1 to 6 of the report", "[prediction]") {
    const auto measured = smo::measured_stage_seconds(smo::test::sample_report());
    CHECK(measured ==
          std::map<int, double>{{1, 0.4}, {2, 0.3}, {3, 0.6}, {4, 2.1}, {5, 31.5}, {6, 18.2}});
}
