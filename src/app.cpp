#include "smo/app.hpp"

#include "output/json_reporter.hpp"
#include "smo/adapters/curl_http_client.hpp"
#include "smo/adapters/libssh2_remote_shell.hpp"
#include "smo/adapters/local_file_system.hpp"
#include "smo/adapters/process_local_git.hpp"
#include "smo/adapters/system_clock.hpp"
#include "smo/adapters/terminal_prompt.hpp"
#include "smo/config_check.hpp"
#include "smo/context.hpp"
#include "smo/errors.hpp"
#include "smo/fleet.hpp"
#include "smo/local_user.hpp"
#include "smo/pipeline.hpp"
#include "smo/plan.hpp"
#include "smo/reporter.hpp"
#include "smo/subcommands.hpp"
#include "smo/utc_time.hpp"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pwd.h>
#include <sstream>
#include <unistd.h>

namespace smo {

namespace {

// The SLA clock starts with the process, before the command line is read.
const auto k_process_start = std::chrono::steady_clock::now();

std::atomic<bool> g_interrupted{false};

extern "C" void on_sigint(int) {
    g_interrupted.store(true);
}

void install_signal_handlers() {
    struct sigaction action {};
    action.sa_handler = on_sigint;
    sigemptyset(&action.sa_mask);
    // A closed terminal or a dropped jump-host session (SIGHUP) is an
    // interrupt like Ctrl-C: record, alert, lock released, exit 130.
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGHUP, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

std::string environment(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
}

std::string local_user() {
    if (const passwd* entry = getpwuid(geteuid()); entry != nullptr) {
        return entry->pw_name;
    }
    return environment("USER");
}

std::string home_dir() {
    std::string home = environment("HOME");
    if (home.empty()) {
        if (const passwd* entry = getpwuid(geteuid()); entry != nullptr) {
            home = entry->pw_dir;
        }
    }
    return home;
}

std::string read_text(FileSystem& files, const std::string& path) {
    return files.read(path).value_or(std::string());
}

ProjectConfig load_config(const Options& options) {
    std::filesystem::path dir;
    if (options.project_dir) {
        dir = *options.project_dir;
    } else if (auto found = find_project_dir(std::filesystem::current_path())) {
        dir = *found;
    } else {
        throw ConfigError(
            fmt::format("no .smorch/project.json in {} or any parent directory; run from the app "
                        "repository or pass --project-dir",
                        std::filesystem::current_path().string()));
    }
    ProjectConfig config = load_project_config(dir, options.env);
    // Second looks: likely typos (warnings) and key files that are not there.
    std::ifstream in(config.config_file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    for (const auto& warning : config_warnings(text.str(), options.env)) {
        std::fprintf(stderr, "smo-rollback: warning: %s: %s\n",
                     config.config_file.lexically_normal().c_str(), warning.c_str());
    }
    check_key_files(text.str(), config.config_file.lexically_normal().string(), options.env,
                    home_dir(), options.accept_new_host_key);
    return config;
}

SshTarget resolve_target(const Options& options, const EnvironmentConfig& env, FileSystem& files) {
    const std::string home = home_dir();
    SshTarget target =
        resolve_ssh_target(env, read_text(files, home + "/.ssh/config"), home, local_user());
    target.accept_new_host_key = options.accept_new_host_key;
    return target;
}

RunReport initial_report(const Options& options, const ProjectConfig& config,
                         const SshTarget& target, const Clock& clock) {
    RunReport report;
    report.kind = options.command == Command::prepare ? RunKind::prepare
                  : options.dry_run                   ? RunKind::drill
                                                      : RunKind::rollback;
    report.project = config.project;
    report.env = config.env.name;
    report.target_label = target.label;
    report.sla_seconds = config.env.rollback_sla_seconds;
    report.started_at_utc = utc_format(clock.wall_now(), "%Y-%m-%dT%H:%M:%SZ");
    report.date = utc_format(clock.wall_now(), "%Y-%m-%d");
    if (options.triggered_by) {
        report.triggered_by = *options.triggered_by;
    } else if (options.auto_mode) {
        report.triggered_by = "/smo-deploy --auto";
    } else {
        report.triggered_by = operator_name() + " (manual)";
    }
    return report;
}

// The rollback, its drill, or prepare (stages 1–6, the standby kept).
int run_rollback(const Options& options, const ProjectConfig& config, const SshTarget& target,
                 LocalFileSystem& files) {
    install_signal_handlers();
    Libssh2RemoteShell shell;
    shell.set_interrupt_flag(&g_interrupted);
    CurlHttpClient http;
    SystemClock clock;
    ProcessLocalGit git(config.project_dir.string());
    TerminalPrompt prompt(options.auto_mode, stdin);
    std::unique_ptr<Reporter> reporter = make_reporter(options);

    Context context{options,
                    config,
                    target,
                    Ports{shell, http, clock, files, git, prompt, *reporter},
                    k_process_start,
                    &g_interrupted,
                    initial_report(options, config, target, clock),
                    {}};
    if (!config.hosts.empty()) {
        context.report.target_label = fleet_label(config);
    }
    reporter->start(context.report);
    if (context.preparing() && config.hosts.empty()) {
        run_prepare_pipeline(context, make_stages());
    } else if (config.hosts.empty()) {
        run_pipeline(context, make_stages());
    } else {
        run_fleet_over_ssh(context, make_stages(), [&](const EnvironmentConfig& env) {
            return resolve_target(options, env, files);
        });
    }
    shell.disconnect();
    reporter->result(context.report);
    return to_int(context.report.exit_code);
}

// --plan: the plan's text on stdout; with --json on stderr, and stdout keeps
// the NDJSON promise: the stages' warnings, then a `result` line.
int print_plan(const Options& options, const ProjectConfig& config, const SshTarget& target,
               LocalFileSystem& files) {
    ProcessLocalGit git(config.project_dir.string());
    PlanText plan = render_plan(options, config, target, files, git);
    std::vector<SshTarget> targets;
    for (const auto& host : config.hosts) {
        targets.push_back(resolve_target(options, host.env, files));
    }
    if (!config.hosts.empty()) {
        plan.text += render_fleet_plan(config, targets);
    }
    if (!options.json) {
        std::fputs(plan.text.c_str(), stdout);
        return plan.exit_code;
    }
    std::fputs(plan.text.c_str(), stderr);
    JsonReporter json(stdout);
    for (const auto& warning : plan.report.warnings) {
        json.warning(warning);
    }
    if (config.hosts.empty()) {
        json.result(plan.report);
    } else {
        json.plan_result(plan.report, plan_fleet_hosts(config, targets));
    }
    return plan.exit_code;
}

// Errors before the pipeline starts (usage, config) still give a --json
// wrapper its last `result` line.
void report_early_error(const Options& options, const Error& error) {
    std::fprintf(stderr, "smo-rollback: error: %s\n", error.what());
    if (options.json) {
        nlohmann::json event = {{"event", "result"},
                                {"outcome", outcome_name(error.code())},
                                {"exit_code", to_int(error.code())},
                                {"reason", error.what()}};
        std::printf("%s\n",
                    event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    }
}

} // namespace

int run_prepare(const Options& options, const ProjectConfig& config, const SshTarget& target,
                LocalFileSystem& files) {
    return run_rollback(options, config, target, files);
}

int app_main(int argc, const char* const* argv) {
    Options options;
    // Until the command line is read, a --json anywhere asks for a result line.
    for (int i = 1; i < argc; ++i) {
        options.json = options.json || std::strcmp(argv[i], "--json") == 0;
    }
    try {
        const CommandLine command_line = parse_command_line(argc, argv);
        if (command_line.exit_now) {
            return *command_line.exit_now;
        }
        options = command_line.options;
        LocalFileSystem files;
        const ProjectConfig config = load_config(options);
        files.confine_writes_to(config.project_dir.string());
        if (options.command == Command::list) {
            return run_list(options, config, files);
        }
        const SshTarget target = resolve_target(options, config.env, files);
        switch (options.command) {
        case Command::status:
            if (!config.hosts.empty()) {
                std::vector<SshTarget> targets;
                for (const auto& host : config.hosts) {
                    targets.push_back(resolve_target(options, host.env, files));
                }
                return run_fleet_status(options, config, targets, files);
            }
            return run_status(options, config, target, files);
        case Command::prepare:
            return run_prepare(options, config, target, files);
        default:
            break;
        }
        if (options.plan) {
            return print_plan(options, config, target, files);
        }
        return run_rollback(options, config, target, files);
    } catch (const Error& error) {
        report_early_error(options, error);
        return to_int(error.code());
    } catch (const std::exception& error) {
        report_early_error(options, Error(ExitCode::failed, error.what()));
        return to_int(ExitCode::failed);
    }
}

} // namespace smo
