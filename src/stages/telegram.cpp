// telegram: sends the alert for the outcome (docs/stages.md stage 12) and puts the
//   result into the rollback record, which stage 11 wrote before it existed.
// Reads: context.report, config.telegram_chat_id, TELEGRAM_BOT_TOKEN,
//   TELEGRAM_CHAT_ID, SMO_TELEGRAM_API (through an injectable lookup).
// Writes: report.telegram_result, the record again; a failed send is a warning.
// Drill: getMe checks the token (a rejected token fails the drill), the verdict
//   is sent only with --notify; rewrites the drill-log section, appends the
//   drill's trend row, and sets exit 6 when drill_passed() says no.
#include "smo/telegram.hpp"

#include "record_files.hpp"
#include "smo/drill_rules.hpp"
#include "smo/ports/clock.hpp"
#include "smo/ports/file_system.hpp"
#include "smo/records/drill_log.hpp"
#include "smo/records/prediction.hpp"
#include "smo/records/rollback_record.hpp"
#include "smo/records/trend.hpp"
#include "smo/reporter.hpp"
#include "smo/stage_table.hpp"
#include "smo/stages.hpp"

#include <exception>

namespace smo {

namespace {

class TelegramStage : public Stage {
  public:
    static constexpr int k_number = stage_number("telegram");

    explicit TelegramStage(EnvLookup env) : m_env(std::move(env)) {}

    StageOutcome run(Context& context) override {
        const auto started = context.ports.clock.now();
        TelegramClient client(context.ports.http, context.ports.clock,
                              telegram_settings(context.config.telegram_chat_id, m_env));
        const StageOutcome outcome =
            context.drill() ? check_for_drill(context, client) : alert(context, client);
        const double seconds = seconds_between(started, context.ports.clock.now());
        const RunReport final_report =
            stages::with_stage(context.report, k_number, stage_name(k_number), outcome.status,
                               seconds, outcome.detail);
        if (context.drill()) {
            finish_drill_records(context, final_report);
            // The verdict needs stage 11's prediction and this stage's token
            // check, which the first-failure rule of stages 1–10 does not see.
            settle_drill_verdict(context.report, final_report);
        } else {
            rewrite_record(context, final_report);
        }
        return outcome;
    }

    StagePlan plan(const Context& context) const override {
        const std::string& chat = context.config.telegram_chat_id;
        return {"Telegram alert to chat " + (chat.empty() ? "from TELEGRAM_CHAT_ID" : chat), {}};
    }

  private:
    static void warn(Context& context, const std::string& text) {
        context.report.warnings.push_back(text);
        context.ports.reporter.warning(text);
    }

    // Never a failed stage: an alert that did not go out is printed and
    // recorded, and a good rollback stays good (exit 0).
    static StageOutcome alert(Context& context, TelegramClient& client) {
        if (context.state.repeated_halt) {
            context.report.telegram_result =
                "not sent: the same lock-held halt was alerted with " + context.report.log_path;
            return StageOutcome::skipped(context.report.telegram_result);
        }
        const SendResult result = client.send_message(telegram_message(context.report));
        context.report.telegram_result = result.text;
        if (result.ok()) {
            return StageOutcome::ok(result.text);
        }
        warn(context, "Telegram alert " + result.text);
        return StageOutcome::skipped(result.text);
    }

    // A project without a token has chosen no alerts (a warning); a token the
    // API rejects, or an API that cannot be reached, would leave a real
    // rollback silent: that fails the drill.
    static StageOutcome check_for_drill(Context& context, TelegramClient& client) {
        RunReport& report = context.report;
        const SendResult check = client.check_token();
        if (check.status == SendStatus::not_sent) {
            report.telegram_result = check.text;
            warn(context, "Telegram " + check.text);
            return StageOutcome::skipped(check.text);
        }
        if (!check.ok()) {
            report.telegram_result = "getMe " + check.text;
            return StageOutcome::drill_fail(report.telegram_result);
        }
        if (!context.options.notify) {
            report.telegram_result = check.text + "; verdict not sent (no --notify)";
            return StageOutcome::ok(report.telegram_result);
        }
        const SendResult sent = client.send_message(telegram_message(report));
        report.telegram_result = check.text + "; verdict " + sent.text;
        if (!sent.ok()) {
            warn(context, "Telegram drill verdict " + sent.text);
        }
        return StageOutcome::ok(report.telegram_result);
    }

    static void rewrite_record(Context& context, const RunReport& final_report) {
        if (context.report.log_path.empty() || context.state.repeated_halt) {
            return; // not written by stage 11 (the warning is out), or an earlier run's
        }
        try {
            context.ports.files.write_atomic(stages::in_project(context, context.report.log_path),
                                             render_rollback_record(final_report));
        } catch (const std::exception& error) {
            warn(context,
                 std::string("record not updated with the Telegram result: ") + error.what());
        }
    }

    static void finish_drill_records(Context& context, const RunReport& final_report) {
        FileSystem& files = context.ports.files;
        try {
            const std::string path = stages::in_project(context, stages::k_drill_log_file);
            const auto existing = files.read(path);
            const auto updated =
                existing ? replace_drill_section(*existing, final_report) : std::nullopt;
            if (updated) {
                files.write_atomic(path, *updated);
            }
        } catch (const std::exception& error) {
            warn(context, std::string("drill log not updated: ") + error.what());
        }
        try {
            stages::append_csv_rows(files, stages::in_project(context, stages::k_trend_file),
                                    k_trend_header, render_trend_row(final_report));
        } catch (const std::exception& error) {
            warn(context, std::string("trend row not written: ") + error.what());
        }
    }

    EnvLookup m_env;
};

} // namespace

std::unique_ptr<Stage> make_telegram_stage(EnvLookup env) {
    return std::make_unique<TelegramStage>(std::move(env));
}

std::unique_ptr<Stage> make_telegram_stage() {
    return make_telegram_stage(process_env_lookup());
}

} // namespace smo
