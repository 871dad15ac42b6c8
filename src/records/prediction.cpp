#include "smo/records/prediction.hpp"

#include "smo/records/render_util.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <optional>

namespace smo {

namespace {

std::optional<double> median(std::vector<double> values) {
    if (values.empty()) {
        return std::nullopt;
    }
    std::sort(values.begin(), values.end());
    const size_t middle = values.size() / 2;
    return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

std::vector<const TrendRow*> past_rollbacks(const std::vector<TrendRow>& rows,
                                            const std::string& env) {
    std::vector<const TrendRow*> past;
    for (auto row = rows.rbegin(); row != rows.rend() && past.size() < k_prediction_history;
         ++row) {
        if (row->kind == "rollback" && row->outcome == "success" && row->env == env) {
            past.push_back(&*row);
        }
    }
    return past;
}

// Median seconds of `stage` over the rows that ran it; a migration stage that
// was skipped (about 0 s) says nothing about how long a migration takes.
std::optional<double> stage_median(const std::vector<const TrendRow*>& past, int stage,
                                   double at_least) {
    std::vector<double> values;
    for (const TrendRow* row : past) {
        auto found = row->stage_seconds.find(stage);
        if (found != row->stage_seconds.end() && found->second >= at_least) {
            values.push_back(found->second);
        }
    }
    return median(values);
}

} // namespace

Prediction predict_rollback_seconds(const std::vector<TrendRow>& rows,
                                    const PredictionInputs& inputs) {
    Prediction prediction;
    for (const auto& [stage, seconds] : inputs.measured) {
        if (stage >= 1 && stage <= 6) {
            prediction.seconds += seconds;
        }
    }
    const auto past = past_rollbacks(rows, inputs.env);
    struct Estimate {
        int stage;
        const char* name;
        double fallback;
        double at_least;
    };
    std::vector<Estimate> estimates;
    if (inputs.migrations_added) {
        estimates.push_back({7, "migration", k_default_migration_seconds, 0.05});
    }
    estimates.push_back({8, "reload", k_default_reload_seconds, 0});
    estimates.push_back({9, "settle", static_cast<double>(inputs.settle_seconds), 0});
    estimates.push_back(
        {10, "health",
         inputs.health_stable_polls * k_default_health_poll_seconds + k_default_health_poll_seconds,
         0});
    std::vector<std::string> from_history;
    std::vector<std::string> defaults;
    for (const auto& estimate : estimates) {
        if (auto seconds = stage_median(past, estimate.stage, estimate.at_least)) {
            prediction.seconds += *seconds;
            from_history.push_back(estimate.name);
        } else {
            prediction.seconds += estimate.fallback;
            defaults.push_back(
                fmt::format("{} {}s", estimate.name, format_seconds(estimate.fallback)));
        }
    }
    prediction.basis = "stages 1–6 measured";
    std::vector<std::string> unmeasured;
    for (int stage = 1; stage <= 6; ++stage) {
        if (inputs.measured.count(stage) == 0) {
            unmeasured.push_back(std::to_string(stage));
        }
    }
    if (!unmeasured.empty()) {
        prediction.basis =
            fmt::format("stages 1–6 measured except {} (not reached)", fmt::join(unmeasured, ", "));
    }
    if (!from_history.empty()) {
        prediction.basis +=
            fmt::format("; {}: median of {} past rollback{}", fmt::join(from_history, ", "),
                        past.size(), past.size() == 1 ? "" : "s");
    }
    if (!defaults.empty()) {
        prediction.basis += fmt::format("; defaults ({}): {}",
                                        past.empty() ? "no rollback history" : "not in history",
                                        fmt::join(defaults, ", "));
    }
    return prediction;
}

std::map<int, double> measured_stage_seconds(const RunReport& report) {
    std::map<int, double> measured;
    for (const auto& stage : report.stages) {
        if (stage.number >= 1 && stage.number <= 6 && !never_ran(stage)) {
            measured[stage.number] = stage.seconds;
        }
    }
    return measured;
}

} // namespace smo
