// log: writes the audit trail — the rollback record, the trend row, the
//   SLA-breach row and, with --auto, the failed deploy record's note.
// Reads: context.report, options (auto, incident, triggered_by), state.live_changed.
// Writes: docs/deploys/*.md, trend.csv, sla-breaches.csv, report.log_path;
//   never the exit code: a write that fails is a warning.
// Drill: predicts the rollback time (report.predicted_seconds, prediction_basis)
//   and appends a docs/drill-log.md section; stage 12 writes the trend row.
#include "record_files.hpp"
#include "smo/errors.hpp"
#include "smo/ports/file_system.hpp"
#include "smo/records/drill_log.hpp"
#include "smo/records/failed_deploy_note.hpp"
#include "smo/records/prediction.hpp"
#include "smo/records/record_names.hpp"
#include "smo/records/render_util.hpp"
#include "smo/records/rollback_record.hpp"
#include "smo/records/sla_breach.hpp"
#include "smo/records/trend.hpp"
#include "smo/reporter.hpp"
#include "smo/stages.hpp"
#include "smo/text.hpp"

#include <exception>
#include <vector>

namespace smo {

namespace {

// A record that cannot be written must never turn a good rollback into a
// failure (docs/stages.md): every write is tried on its own, what failed is warned
// about, and the stage ends ok with the failures in its detail.
class LogStage : public Stage {
  public:
    StageOutcome run(Context& context) override {
        stages::fill_record_defaults(context);
        m_done.clear();
        m_failed.clear();
        if (context.drill()) {
            log_drill(context);
        } else {
            log_rollback(context);
        }
        std::vector<std::string> parts = m_done;
        parts.insert(parts.end(), m_failed.begin(), m_failed.end());
        return StageOutcome::ok(text::join(parts, "; "));
    }

    StagePlan plan(const Context&) const override {
        return {std::string(stages::k_deploys_dir) + "/<date>-rollback-<from>-to-<to>.md, " +
                    std::string(stages::k_trend_file) + ", " +
                    std::string(stages::k_sla_breach_file),
                {}};
    }

  private:
    template <typename Write>
    bool attempt(Context& context, const std::string& what, Write&& write) {
        try {
            write();
            return true;
        } catch (const std::exception& error) {
            const std::string text = what + " not written: " + error.what();
            m_failed.push_back(text);
            context.report.warnings.push_back(text);
            context.ports.reporter.warning(text);
            return false;
        }
    }

    // Retrying while another rollback holds the lock is expected; one record
    // (and one alert) per held lock is enough, not one per retry.
    static std::optional<std::string> earlier_lock_halt(Context& context,
                                                        const std::string& deploys) {
        const RunReport& report = context.report;
        if (report.exit_code != ExitCode::halted || report.lock_holder.empty() ||
            !context.state.lock_fresh) {
            return std::nullopt;
        }
        FileSystem& files = context.ports.files;
        const std::string line = "\nlock_holder: " + yaml_quote(report.lock_holder) + "\n";
        const auto names = files.list(deploys);
        for (auto it = names.rbegin(); it != names.rend(); ++it) {
            if (it->find("-rollback-") == std::string::npos) {
                continue;
            }
            const auto text = files.read(deploys + "/" + *it);
            if (text && text->find(line) != std::string::npos) {
                return *it;
            }
        }
        return std::nullopt;
    }

    void log_rollback(Context& context) {
        RunReport& report = context.report;
        FileSystem& files = context.ports.files;
        const std::string deploys = stages::in_project(context, stages::k_deploys_dir);
        if (const auto earlier = earlier_lock_halt(context, deploys)) {
            context.state.repeated_halt = true;
            report.log_path = std::string(stages::k_deploys_dir) + "/" + *earlier;
            m_done.push_back("the same lock-held halt is already recorded in " + report.log_path +
                             ": not recorded again");
            return;
        }
        const std::string name = rollback_record_name(
            report.date, report.from_tag.empty() ? "unknown" : report.from_tag,
            report.to_tag.empty() ? "unknown" : report.to_tag,
            [&](const std::string& candidate) { return files.exists(deploys + "/" + candidate); });
        report.log_path = std::string(stages::k_deploys_dir) + "/" + name;
        const std::string record = render_rollback_record(report);
        if (attempt(context, "record", [&] { files.write_atomic(deploys + "/" + name, record); })) {
            m_done.push_back(report.log_path);
        } else {
            report.log_path.clear();
            // The account must survive somewhere: the operator's terminal.
            context.ports.reporter.warning("the rollback record follows:\n" + record);
        }
        if (attempt(context, "trend row", [&] {
                stages::append_csv_rows(files, stages::in_project(context, stages::k_trend_file),
                                        k_trend_header, render_trend_row(report));
            })) {
            m_done.push_back("trend row");
        }
        if (is_sla_breach(report) && attempt(context, "SLA-breach row", [&] {
                const std::string path = stages::in_project(context, stages::k_sla_breach_file);
                files.append(path, sla_breach_append(report, files.read(path)));
            })) {
            m_done.push_back("SLA-breach row");
        }
        if (context.options.auto_mode) {
            note_failed_deploy(context, deploys, name);
        }
    }

    // Only a rollback that changed the live app makes the deploy "rolled
    // back"; a halt before that leaves the deploy record as it was.
    void note_failed_deploy(Context& context, const std::string& deploys,
                            const std::string& record_name) {
        const RunReport& report = context.report;
        if (report.log_path.empty() ||
            (report.exit_code != ExitCode::success && !context.state.live_changed)) {
            return;
        }
        FileSystem& files = context.ports.files;
        const auto deploy_record = find_failed_deploy_record(files.list(deploys), report.from_tag);
        if (!deploy_record) {
            return;
        }
        attempt(context, "deploy record note", [&] {
            const std::string path = deploys + "/" + *deploy_record;
            const auto note =
                failed_deploy_note(files.read(path).value_or(""), record_name, report);
            if (note) {
                files.append(path, *note);
                m_done.push_back("noted in " + *deploy_record);
            }
        });
    }

    void log_drill(Context& context) {
        RunReport& report = context.report;
        FileSystem& files = context.ports.files;
        const auto& rollback = context.env().rollback;
        PredictionInputs inputs;
        inputs.env = report.env;
        inputs.measured = measured_stage_seconds(report);
        inputs.migrations_added = !context.state.added_migrations.empty() ||
                                  context.state.migration_plan != MigrationPlan::none_added;
        inputs.settle_seconds = rollback.settle_seconds;
        inputs.health_stable_polls = rollback.health_stable_polls;
        std::vector<TrendRow> history;
        attempt(context, "trend history", [&] {
            const auto text = files.read(stages::in_project(context, stages::k_trend_file));
            history = parse_trend(text.value_or(""));
        });
        const Prediction prediction = predict_rollback_seconds(history, inputs);
        report.predicted_seconds = prediction.seconds;
        report.prediction_basis = prediction.basis;
        report.log_path = std::string(stages::k_drill_log_file);
        if (attempt(context, "drill log", [&] {
                const std::string path = stages::in_project(context, stages::k_drill_log_file);
                files.append(path, drill_log_append(report, files.read(path)));
            })) {
            m_done.push_back(report.log_path);
        } else {
            report.log_path.clear();
            context.ports.reporter.warning("the drill log section follows:\n" +
                                           render_drill_section(report));
        }
        // The drill's trend row is written by stage 12, once the alert check
        // (part of the verdict) is known.
    }

    std::vector<std::string> m_done;
    std::vector<std::string> m_failed;
};

} // namespace

std::unique_ptr<Stage> make_log_stage() {
    return std::make_unique<LogStage>();
}

} // namespace smo
