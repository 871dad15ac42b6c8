#pragma once

#include "smo/records/trend.hpp"
#include "smo/run_report.hpp"

#include <map>
#include <string>
#include <vector>

// The drill's answer to "would a rollback right now meet the SLA?" (docs/drill.md):
// the stages a drill really runs (1–6) are measured; the ones it cannot run
// (migration, reload, settle, health) come from past rollbacks, or from
// conservative defaults when there are none.
namespace smo {

// Defaults when trend.csv holds no successful rollback of this environment.
// Conservative on purpose: a drill that passes on optimism is worse than none.
inline constexpr double k_default_reload_seconds = 5.0;
inline constexpr double k_default_migration_seconds = 15.0;
inline constexpr double k_default_health_poll_seconds = 2.0;
// At most this many of the newest past rollbacks count: the app changes.
inline constexpr size_t k_prediction_history = 10;

struct PredictionInputs {
    std::string env;
    std::map<int, double> measured; // stage number (1–6) → seconds, from this drill
    bool migrations_added = false;  // a real rollback would run stage 7
    int settle_seconds = 10;        // default settle: the whole settle window
    int health_stable_polls = 3;    // default health: polls × 2 s + 2 s
};

struct Prediction {
    double seconds = 0;
    std::string basis; // e.g. "stages 1–6 measured; reload, settle, health: median of 3
                       // past rollbacks"
};

// Measured stages 1–6, plus per stage 7 (only when migrations were added), 8,
// 9 and 10 the median over the newest k_prediction_history successful
// `rollback` rows of `env` that have that stage, else its default.
Prediction predict_rollback_seconds(const std::vector<TrendRow>& rows,
                                    const PredictionInputs& inputs);

// The seconds of stages 1–6 in the report.
std::map<int, double> measured_stage_seconds(const RunReport& report);

} // namespace smo
