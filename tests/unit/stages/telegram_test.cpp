#include "smo/records/drill_log.hpp"
#include "smo/records/rollback_record.hpp"
#include "smo/records/trend.hpp"
#include "smo/stages.hpp"
#include "smo/telegram.hpp"
#include "support/sample_report.hpp"
#include "support/test_context.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>

using smo::ExitCode;
using smo::StageStatus;
using smo::test::TestRig;

namespace {

const std::string k_token = "424242:AAE-stage_secret";
const std::string k_log_path = "docs/deploys/2026-04-19-rollback-v1.4.2-to-v1.4.1.md";
const std::string k_record = "/repo/" + k_log_path;
const std::string k_trend = "/repo/docs/deploys/trend.csv";
const std::string k_drill_log = "/repo/docs/drill-log.md";

smo::EnvLookup env_of(std::map<std::string, std::string> values) {
    return [values](const std::string& name) -> std::optional<std::string> {
        auto found = values.find(name);
        if (found == values.end()) {
            return std::nullopt;
        }
        return found->second;
    };
}

smo::EnvLookup with_token() {
    return env_of({{"TELEGRAM_BOT_TOKEN", k_token}, {"SMO_TELEGRAM_API", "http://127.0.0.1:1"}});
}

// After stage 11 wrote the record.
smo::Context& logged(TestRig& rig, smo::RunReport report) {
    auto& context = rig.context();
    context.report = std::move(report);
    smo::make_log_stage()->run(context);
    smo::StageReport log;
    log.number = 11;
    log.name = "log";
    log.status = StageStatus::ok;
    log.seconds = 0.1;
    context.report.stages.push_back(log);
    return context;
}

// Nothing the stage leaves behind holds the token.
void check_no_token(const TestRig& rig, const smo::Context& context) {
    for (const auto& [path, content] : rig.files.files) {
        CHECK(content.find(k_token) == std::string::npos);
    }
    for (const auto& warning : rig.reporter.warnings) {
        CHECK(warning.find(k_token) == std::string::npos);
    }
    CHECK(context.report.telegram_result.find(k_token) == std::string::npos);
}

} // namespace

TEST_CASE("telegram stage: sends the alert and puts the result into the record",
          "[telegram-stage]") {
    TestRig rig;
    auto& context = logged(rig, smo::test::sample_report());
    rig.http.reply(200, R"({"ok":true,"result":{"message_id":1}})");
    const auto outcome = smo::make_telegram_stage(with_token())->run(context);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(outcome.detail == "sent");
    CHECK(context.report.telegram_result == "sent");
    REQUIRE(rig.http.requests.size() == 1);
    CHECK(rig.http.requests[0].url == "http://127.0.0.1:1/bot" + k_token + "/sendMessage");
    const auto body = nlohmann::json::parse(rig.http.requests[0].body);
    CHECK(body["chat_id"] == "311453473");
    CHECK(body["text"] == smo::telegram_message(context.report));
    const std::string& record = rig.files.files[k_record];
    CHECK_THAT(record, Catch::Contains("telegram: \"sent\"\n"));
    CHECK_THAT(record, Catch::Contains("| 11 | log | ok | 0.1 |"));
    CHECK_THAT(record, Catch::Contains("| 12 | telegram | ok | 0.0 | sent |\n"));
    CHECK_THAT(record, Catch::EndsWith("## Telegram\n\nsent\n"));
    check_no_token(rig, context);
}

TEST_CASE("telegram stage: no token is a warning and a skipped stage", "[telegram-stage]") {
    TestRig rig;
    auto& context = logged(rig, smo::test::sample_report());
    const auto outcome = smo::make_telegram_stage(env_of({}))->run(context);
    CHECK(outcome.status == StageStatus::skipped);
    CHECK(outcome.exit_code == ExitCode::success);
    CHECK(context.report.telegram_result == "not sent: no TELEGRAM_BOT_TOKEN");
    CHECK(rig.http.requests.empty());
    REQUIRE(rig.reporter.warnings.size() == 1);
    CHECK(rig.reporter.warnings[0] == "Telegram alert not sent: no TELEGRAM_BOT_TOKEN");
    CHECK_THAT(rig.files.files[k_record],
               Catch::Contains("telegram: \"not sent: no TELEGRAM_BOT_TOKEN\"\n"));
}

TEST_CASE("telegram stage: chat id from TELEGRAM_CHAT_ID when the config has none",
          "[telegram-stage]") {
    TestRig rig;
    rig.config.telegram_chat_id.clear();
    auto& context = logged(rig, smo::test::sample_report());
    rig.http.reply(200, R"({"ok":true,"result":{}})");
    smo::make_telegram_stage(
        env_of({{"TELEGRAM_BOT_TOKEN", k_token}, {"TELEGRAM_CHAT_ID", "-100777"}}))
        ->run(context);
    REQUIRE(rig.http.requests.size() == 1);
    CHECK(rig.http.requests[0].url == "https://api.telegram.org/bot" + k_token + "/sendMessage");
    CHECK(nlohmann::json::parse(rig.http.requests[0].body)["chat_id"] == "-100777");
}

TEST_CASE("telegram stage: a failed send never fails the rollback", "[telegram-stage]") {
    TestRig rig;
    auto& context = logged(rig, smo::test::sample_report());
    rig.http.reply(500, R"({"ok":false,"description":"Internal Server Error"})");
    const auto outcome = smo::make_telegram_stage(with_token())->run(context);
    CHECK(outcome.status == StageStatus::skipped);
    CHECK(outcome.exit_code == ExitCode::success);
    CHECK(context.report.telegram_result ==
          "failed: HTTP 500: Internal Server Error (4 attempts in 7.0s)");
    CHECK(rig.clock.sleeps.size() == 3);
    CHECK(rig.reporter.warnings ==
          std::vector<std::string>{
              "Telegram alert failed: HTTP 500: Internal Server Error (4 attempts in 7.0s)"});
    CHECK_THAT(rig.files.files[k_record],
               Catch::Contains("| 12 | telegram | skipped | 7.0 | failed: HTTP 500"));
    check_no_token(rig, context);
}

TEST_CASE("telegram stage: the SEV1 alert names the stage", "[telegram-stage]") {
    TestRig rig;
    auto& context =
        logged(rig, smo::test::stopped_report(ExitCode::sev1, 6, "npm run build: exit 2"));
    rig.http.reply(200, R"({"ok":true,"result":{}})");
    smo::make_telegram_stage(with_token())->run(context);
    REQUIRE(rig.http.requests.size() == 1);
    const std::string text = nlohmann::json::parse(rig.http.requests[0].body)["text"];
    CHECK_THAT(text, Catch::StartsWith("🚨 SEV1 eo-mena on production: no known-good version. "
                                       "Rollback v1.4.2 → v1.4.1 failed at build: npm run build: "
                                       "exit 2."));
}

TEST_CASE("telegram stage: no record to update when stage 11 could not write it",
          "[telegram-stage]") {
    TestRig rig;
    rig.files.fail_writes = true;
    auto& context = logged(rig, smo::test::sample_report());
    rig.http.reply(200, R"({"ok":true,"result":{}})");
    const auto outcome = smo::make_telegram_stage(with_token())->run(context);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(rig.files.files.empty());
    CHECK_THAT(smo::telegram_message(context.report), !Catch::Contains("Log:"));
}

namespace {

smo::Context& logged_drill(TestRig& rig) {
    rig.options.dry_run = true;
    auto report = smo::test::sample_report();
    report.kind = smo::RunKind::drill;
    report.stages.resize(10);
    return logged(rig, report);
}

} // namespace

TEST_CASE("telegram stage in a drill: getMe only, then the drill's trend row", "[telegram-stage]") {
    TestRig rig;
    auto& context = logged_drill(rig);
    rig.http.reply(200, R"({"ok":true,"result":{"username":"smo_bot"}})");
    const auto outcome = smo::make_telegram_stage(with_token())->run(context);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(context.report.telegram_result == "token ok (@smo_bot); verdict not sent (no --notify)");
    REQUIRE(rig.http.requests.size() == 1);
    CHECK(rig.http.requests[0].method == "GET");
    CHECK_THAT(rig.http.requests[0].url, Catch::EndsWith("/getMe"));
    // The drill-log section now carries the alert check and the final table.
    const std::string& log = rig.files.files[k_drill_log];
    CHECK_THAT(log, Catch::Contains("- Alert: token ok (@smo_bot); verdict not sent (no "
                                    "--notify)\n"));
    CHECK_THAT(log, Catch::Contains("| 12 | telegram | ok | 0.0 | token ok (@smo_bot); verdict "
                                    "not sent (no --notify) |\n"));
    CHECK(log.find("## 2026-04-19 03:12:09 UTC — production drill") ==
          log.rfind("## 2026-04-19 03:12:09 UTC — production drill"));
    const auto rows = smo::parse_trend(rig.files.files[k_trend]);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].kind == "drill");
    CHECK(rows[0].outcome == "success");
    CHECK(rows[0].seconds == Approx(context.report.predicted_seconds).epsilon(0.01));
}

TEST_CASE("telegram stage in a drill: a rejected token fails the drill", "[telegram-stage]") {
    TestRig rig;
    auto& context = logged_drill(rig);
    rig.http.reply(401, R"({"ok":false,"error_code":401,"description":"Unauthorized"})");
    const auto outcome = smo::make_telegram_stage(with_token())->run(context);
    CHECK(outcome.status == StageStatus::failed);
    CHECK(outcome.exit_code == ExitCode::drill_failed);
    CHECK(outcome.detail == "getMe failed: HTTP 401: Unauthorized (1 attempt in 0.0s)");
    CHECK_THAT(rig.files.files[k_drill_log],
               Catch::Contains("- Verdict: FAIL — check telegram failed: getMe failed: HTTP 401"));
    const auto rows = smo::parse_trend(rig.files.files[k_trend]);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].outcome == "drill_failed");
    CHECK(rows[0].exit_code == 6);
    // The pipeline's first-failure rule covers stages 1–10 only: the verdict
    // is settled here.
    CHECK(context.report.exit_code == ExitCode::drill_failed);
    CHECK(context.report.failed_stage == "telegram");
    CHECK(context.report.failure_reason ==
          "check telegram failed: getMe failed: HTTP 401: Unauthorized (1 attempt in 0.0s)");
    check_no_token(rig, context);
}

TEST_CASE("telegram stage in a drill: a prediction over the SLA ends with exit 6",
          "[telegram-stage]") {
    TestRig rig;
    rig.config.env.rollback.settle_seconds = 60; // default settle pushes it over 90 s
    auto& context = logged_drill(rig);
    rig.http.reply(200, R"({"ok":true,"result":{"username":"smo_bot"}})");
    const auto outcome = smo::make_telegram_stage(with_token())->run(context);
    CHECK(outcome.status == StageStatus::ok);
    CHECK(context.report.predicted_seconds > 90);
    CHECK(context.report.exit_code == ExitCode::drill_failed);
    CHECK(context.report.failed_stage.empty());
    CHECK_THAT(context.report.failure_reason,
               Catch::StartsWith("predicted rollback time 126.1s is over the SLA of 90s"));
    CHECK_THAT(rig.files.files[k_drill_log], Catch::Contains("- Verdict: FAIL — predicted"));
    CHECK_THAT(smo::render_summary(context.report),
               Catch::Contains("Reason: predicted rollback time 126.1s is over the SLA"));
}

TEST_CASE("telegram stage in a drill: a passing drill keeps exit 0", "[telegram-stage]") {
    TestRig rig;
    auto& context = logged_drill(rig);
    rig.http.reply(200, R"({"ok":true,"result":{"username":"smo_bot"}})");
    smo::make_telegram_stage(with_token())->run(context);
    CHECK(context.report.exit_code == ExitCode::success);
    CHECK(context.report.failed_stage.empty());
    CHECK(context.report.failure_reason.empty());
}

TEST_CASE("telegram stage in a drill: no token is a warning, not a failed drill",
          "[telegram-stage]") {
    TestRig rig;
    auto& context = logged_drill(rig);
    const auto outcome = smo::make_telegram_stage(env_of({}))->run(context);
    CHECK(outcome.status == StageStatus::skipped);
    CHECK(context.report.telegram_result == "not checked: no TELEGRAM_BOT_TOKEN");
    CHECK(rig.http.requests.empty());
    CHECK(rig.reporter.warnings.size() == 1);
}

TEST_CASE("telegram stage in a drill with --notify sends the verdict", "[telegram-stage]") {
    TestRig rig;
    rig.options.notify = true;
    auto& context = logged_drill(rig);
    rig.http.responder = [](const smo::test::FakeHttpClient::Request& request) {
        smo::HttpResponse response;
        response.status = 200;
        response.body = request.url.find("getMe") != std::string::npos
                            ? R"({"ok":true,"result":{"username":"smo_bot"}})"
                            : R"({"ok":true,"result":{"message_id":3}})";
        return response;
    };
    smo::make_telegram_stage(with_token())->run(context);
    REQUIRE(rig.http.requests.size() == 2);
    CHECK_THAT(rig.http.requests[1].url, Catch::EndsWith("/sendMessage"));
    const std::string text = nlohmann::json::parse(rig.http.requests[1].body)["text"];
    CHECK_THAT(text, Catch::StartsWith("🧪 eo-mena rollback drill on production: PASS\n"));
    CHECK(context.report.telegram_result == "token ok (@smo_bot); verdict sent");
}

TEST_CASE(
    "telegram stage: a repeated lock-held halt is not alerted again, nor its record rewritten",
    "[telegram-stage]") {
    TestRig rig;
    auto& context = logged(rig, smo::test::stopped_report(ExitCode::halted, 3, "locked"));
    const std::string record = rig.files.files[k_record];
    context.state.repeated_halt = true;
    const auto outcome = smo::make_telegram_stage(with_token())->run(context);
    CHECK(outcome.status == StageStatus::skipped);
    CHECK(rig.http.requests.empty());
    CHECK_THAT(context.report.telegram_result,
               Catch::Contains("already") || Catch::Contains("alerted"));
    CHECK(rig.files.files[k_record] == record);
}
