#include "smo/adapters/local_file_system.hpp"
#include "smo/adapters/system_clock.hpp"
#include "smo/context.hpp"
#include "smo/ports/http_client.hpp"
#include "smo/ports/local_git.hpp"
#include "smo/ports/operator_prompt.hpp"
#include "smo/ports/remote_shell.hpp"
#include "smo/records/deploy_record.hpp"
#include "smo/records/history.hpp"
#include "smo/records/trend.hpp"
#include "smo/reporter.hpp"
#include "smo/stages.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

// Stage 11 on a real disk through LocalFileSystem: the files other tools own
// keep every byte, and what this tool writes reads back.
namespace {

namespace fs = std::filesystem;

struct NoShell : smo::RemoteShell {
    void connect(const smo::SshTarget&) override {}
    smo::CommandResult run(const std::string&, std::chrono::seconds) override { return {}; }
    void disconnect() override {}
};
struct NoHttp : smo::HttpClient {
    smo::HttpResponse get(const std::string&, std::chrono::milliseconds) override { return {}; }
    smo::HttpResponse post_json(const std::string&, const std::string&,
                                std::chrono::milliseconds) override {
        return {};
    }
};
struct NoGit : smo::LocalGit {
    std::optional<std::string> resolve_commit(const std::string&) override { return {}; }
    std::vector<std::string> added_files(const std::string&, const std::string&,
                                         const std::string&) override {
        return {};
    }
    std::vector<std::string> tags_at(const std::string&) override { return {}; }
    bool path_exists(const std::string&, const std::string&) override { return false; }
    bool is_ancestor(const std::string&, const std::string&) override { return false; }
};
struct NoPrompt : smo::OperatorPrompt {
    bool can_ask() const override { return false; }
    std::optional<bool> ask_yes_no(const std::string&) override { return {}; }
};
struct Warnings : smo::Reporter {
    void start(const smo::RunReport&) override {}
    void stage_started(int, const std::string&) override {}
    void stage_finished(const smo::StageReport&) override {}
    void info(const std::string&) override {}
    void warning(const std::string& text) override { seen.push_back(text); }
    void prompt(const std::string&) override {}
    void result(const smo::RunReport&) override {}
    std::vector<std::string> seen;
};

class ProjectDir {
  public:
    ProjectDir() {
        std::string pattern = "/tmp/smo-records-XXXXXX";
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        m_path = pattern;
    }
    ~ProjectDir() {
        std::error_code ignored;
        fs::permissions(m_path / "docs", fs::perms::owner_all, ignored);
        fs::remove_all(m_path, ignored);
    }
    const fs::path& path() const { return m_path; }
    void write(const std::string& relative, const std::string& content) const {
        fs::create_directories((m_path / relative).parent_path());
        std::ofstream(m_path / relative, std::ios::binary) << content;
    }
    std::string read(const std::string& relative) const {
        std::ifstream in(m_path / relative, std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }

  private:
    fs::path m_path;
};

struct Run {
    explicit Run(const fs::path& project_dir) {
        config.project_dir = project_dir;
        config.project = "eo-mena";
        config.env.name = "production";
        config.env.rollback_sla_seconds = 90;
        options.auto_mode = true;
        context.emplace(smo::Context{options,
                                     config,
                                     {},
                                     smo::Ports{shell, http, clock, files, git, prompt, reporter},
                                     clock.now(),
                                     nullptr,
                                     {},
                                     {}});
        auto& report = context->report;
        report.project = "eo-mena";
        report.env = "production";
        report.target_label = "eo-prod";
        report.started_at_utc = "2026-04-19T03:12:09Z";
        report.date = "2026-04-19";
        report.from_tag = "v1.4.2";
        report.from_commit = "c0ffee1234567890c0ffee1234567890c0ffee12";
        report.to_tag = "v1.4.1";
        report.to_commit = "b2c5d82aa1b2c3d4e5f60718293a4b5c6d7e8f90";
        report.seconds = 104.5;
        report.sla_seconds = 90;
        report.triggered_by = "/smo-deploy --auto";
        for (int n = 1; n <= 10; ++n) {
            smo::StageReport stage;
            stage.number = n;
            stage.name = "stage-" + std::to_string(n);
            stage.status = smo::StageStatus::ok;
            stage.seconds = n == 5 ? 60.0 : 1.0;
            report.stages.push_back(stage);
        }
    }

    smo::Options options;
    smo::ProjectConfig config;
    NoShell shell;
    NoHttp http;
    smo::SystemClock clock;
    smo::LocalFileSystem files;
    NoGit git;
    NoPrompt prompt;
    Warnings reporter;
    std::optional<smo::Context> context;
};

} // namespace

TEST_CASE("records on disk: another tool's sla-breaches.csv keeps its bytes, the row fills "
          "by name",
          "[records]") {
    ProjectDir project;
    const std::string foreign = "\"date\",source,env,seconds,sla_seconds,ticket,log\r\n"
                                "2026-04-02,smo-deploy,production,400,300,\"OPS-7, p1\",x.md\r\n";
    project.write("docs/incidents/sla-breaches.csv", foreign);
    project.write("docs/deploys/2026-04-19-v1.4.2.md", "# Deploy v1.4.2\n\n**Tag:** v1.4.2\n");
    Run run(project.path());

    const auto outcome = smo::make_log_stage()->run(*run.context);
    CHECK(outcome.status == smo::StageStatus::ok);
    CHECK(run.reporter.seen.empty());

    const std::string breaches = project.read("docs/incidents/sla-breaches.csv");
    REQUIRE(breaches.size() > foreign.size());
    CHECK(breaches.substr(0, foreign.size()) == foreign);
    CHECK(breaches.substr(foreign.size()) ==
          "2026-04-19,smo-rollback,production,104.5,90,,"
          "docs/deploys/2026-04-19-rollback-v1.4.2-to-v1.4.1.md\r\n");

    // The record exists, reads back as this rollback, and the trend row too.
    const std::string name = "2026-04-19-rollback-v1.4.2-to-v1.4.1.md";
    const auto event = smo::parse_deploy_record(name, project.read("docs/deploys/" + name));
    REQUIRE(std::holds_alternative<smo::DeployEvent>(event));
    CHECK(std::get<smo::DeployEvent>(event).from_tag == "v1.4.2");
    const auto rows = smo::parse_trend(project.read("docs/deploys/trend.csv"));
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].seconds == Approx(104.5));
    CHECK(rows[0].stage_seconds.at(5) == Approx(60.0));

    // --auto: the failed deploy is marked, and the history now knows it.
    CHECK_THAT(project.read("docs/deploys/2026-04-19-v1.4.2.md"),
               Catch::Contains("## Rolled back\n\n- 2026-04-19 03:12:09 UTC: rolled back to "
                               "v1.4.1"));
    smo::LocalFileSystem files;
    const auto history =
        smo::load_history(files, (project.path() / "docs/deploys").string(), "production");
    CHECK(history.problems.empty());
    CHECK(smo::rolled_back_from(history) == std::vector<std::string>{"v1.4.2"});

    // A second run the same day: a new record name, one more row each.
    Run again(project.path());
    smo::make_log_stage()->run(*again.context);
    CHECK(fs::exists(project.path() / "docs/deploys/2026-04-19-rollback-v1.4.2-to-v1.4.1-2.md"));
    CHECK(smo::parse_trend(project.read("docs/deploys/trend.csv")).size() == 2);
    CHECK(project.read("docs/incidents/sla-breaches.csv").substr(0, foreign.size()) == foreign);
}

TEST_CASE("records on disk: a read-only docs/ is a warning and the exit code stays", "[records]") {
    // docs/ is a file, not a directory: unwritable even for root, who writes
    // through permission bits.
    ProjectDir project;
    project.write("docs", "not a directory");
    Run run(project.path());
    const auto outcome = smo::make_log_stage()->run(*run.context);
    CHECK(outcome.status == smo::StageStatus::ok);
    CHECK(outcome.exit_code == smo::ExitCode::success);
    CHECK_THAT(outcome.detail, Catch::StartsWith("record not written: "));
    CHECK(run.context->report.log_path.empty());
    REQUIRE_FALSE(run.reporter.seen.empty());
    CHECK_THAT(run.reporter.seen[1], Catch::StartsWith("the rollback record follows:\n---\n"));
    CHECK(project.read("docs") == "not a directory");
}
