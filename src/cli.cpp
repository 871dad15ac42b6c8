#include "smo/exit_code.hpp"
#include "smo/options.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

namespace smo {

namespace {

const char* const k_footer = R"(Exit codes:
  0    rolled back and verified healthy (or drill passed, or plan printed)
  2    usage, config or records error, or a roll-forward: nothing was touched
  3    halted safely before the live app changed (healthy live release and no
       --yes, migration gate, lock held, files the checkout would overwrite)
  4    SEV1: no known-good version (previous tag does not build or is unhealthy)
  5    failed for another reason (SSH, host key, timeout, tool missing)
  6    drill failed
  130  interrupted (Ctrl-C): lock released, log written

Environment: TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_ID, SMO_TELEGRAM_API,
SMO_SSH_PASSPHRASE, SSH_AUTH_SOCK, NO_COLOR. Docs: docs/usage.md)";

// The flags every command takes.
void add_common_flags(CLI::App& app, Options& options) {
    app.add_option("--env", options.env, "environment under `deploy` in .smorch/project.json")
        ->default_str("production");
    app.add_flag("--json", options.json,
                 "newline-delimited JSON events on stdout; humans on stderr");
    app.add_option("--project-dir", options.project_dir,
                   "app repository (default: walk up to .smorch/project.json)");
    app.add_flag("-v,--verbose", options.verbose, "show each remote command and timestamps");
    app.add_flag("-q,--quiet", options.quiet, "only warnings, errors and the summary");
    app.add_flag("--no-color", options.no_color, "no colour (also NO_COLOR)");
}

void add_to_flag(CLI::App& app, Options& options) {
    app.add_option("--to", options.to_tag,
                   "roll back to this tag instead of the computed previous");
}

void add_host_key_flag(CLI::App& app, Options& options) {
    app.add_flag("--accept-new-host-key", options.accept_new_host_key,
                 "trust a host missing from known_hosts (a changed key is always refused)");
}

void add_flags(CLI::App& app, Options& options) {
    add_common_flags(app, options);
    add_to_flag(app, options);
    app.add_flag("--dry-run", options.dry_run,
                 "the drill: rehearse and time every stage; change nothing live");
    app.add_flag("--plan", options.plan,
                 "offline: print the plan; touch no network, write nothing");
    app.add_flag("--auto", options.auto_mode,
                 "non-interactive (from a failed /smo-deploy): halt where it would prompt");
    app.add_flag("--yes", options.yes,
                 "roll back even though the live release answers healthy (never implied by "
                 "--auto)");
    app.add_option("--triggered-by", options.triggered_by, "who or what started this, for the log");
    app.add_option("--incident", options.incident, "post-mortem file to reference in the log");
    app.add_flag("--notify", options.notify, "with --dry-run: also post the drill verdict");
    add_host_key_flag(app, options);
    app.add_flag("--break-lock", options.break_lock,
                 "take over a stale lock on the target, recording who held it");
}

// The subcommands of docs/usage.md, each with the flags that mean something to
// it; the rollback's own flags before a subcommand are refused after parsing.
void add_subcommands(CLI::App& app, Options& options) {
    CLI::App* status =
        app.add_subcommand("status", "what runs now: one GET, one SSH session, nothing changed");
    add_common_flags(*status, options);
    add_host_key_flag(*status, options);
    status->callback([&options] { options.command = Command::status; });

    CLI::App* list = app.add_subcommand(
        "list", "releases it could go back to, newest first (offline: records and local git)");
    add_common_flags(*list, options);
    list->callback([&options] { options.command = Command::list; });

    CLI::App* prepare = app.add_subcommand(
        "prepare", "warm standby: build the previous release beside the live one, keep it");
    add_common_flags(*prepare, options);
    add_to_flag(*prepare, options);
    add_host_key_flag(*prepare, options);
    prepare->callback([&options] { options.command = Command::prepare; });
    app.require_subcommand(0, 1);
}

// A flag of the rollback that a subcommand cannot honour, or nullptr.
const char* rollback_only_flag(const Options& options) {
    if (options.dry_run) {
        return "--dry-run";
    }
    if (options.plan) {
        return "--plan";
    }
    if (options.auto_mode) {
        return "--auto";
    }
    if (options.yes) {
        return "--yes";
    }
    if (options.notify) {
        return "--notify";
    }
    if (options.break_lock) {
        return "--break-lock";
    }
    if (options.triggered_by) {
        return "--triggered-by";
    }
    if (options.incident) {
        return "--incident";
    }
    if (options.to_tag && options.command != Command::prepare) {
        return "--to";
    }
    if (options.accept_new_host_key && options.command == Command::list) {
        return "--accept-new-host-key";
    }
    return nullptr;
}

std::string conflict_of(const Options& options) {
    if (options.command != Command::rollback) {
        if (const char* flag = rollback_only_flag(options)) {
            return std::string(flag) + " does not go with " + to_string(options.command);
        }
    }
    if (options.plan && options.dry_run) {
        return "--plan and --dry-run exclude each other";
    }
    if (options.notify && !options.dry_run) {
        return "--notify goes with --dry-run";
    }
    if (options.verbose && options.quiet) {
        return "--verbose and --quiet exclude each other";
    }
    return {};
}

// A wrapper that asked for --json gets its last `result` line even when the
// command line itself was wrong.
void report_usage_error(int argc, const char* const* argv, const std::string& message) {
    std::fprintf(stderr, "smo-rollback: error: %s\nRun 'smo-rollback --help' for usage.\n",
                 message.c_str());
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--json") == 0) {
            const nlohmann::json event = {{"event", "result"},
                                          {"outcome", outcome_name(ExitCode::usage)},
                                          {"exit_code", to_int(ExitCode::usage)},
                                          {"reason", message}};
            // The reason may quote a non-UTF-8 argument: replace, never throw.
            std::printf(
                "%s\n",
                event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
            break;
        }
    }
}

} // namespace

const char* to_string(Command command) {
    switch (command) {
    case Command::rollback:
        return "rollback";
    case Command::status:
        return "status";
    case Command::list:
        return "list";
    case Command::prepare:
        return "prepare";
    }
    return "rollback";
}

CommandLine parse_command_line(int argc, const char* const* argv) {
    CommandLine result;
    CLI::App app{"smo-rollback: put a broken production Node.js app back on its previous "
                 "known-good git tag, prove it healthy, log it and alert.",
                 "smo-rollback"};
    app.footer(k_footer);
    app.set_version_flag("--version", std::string("smo-rollback ") + SMO_VERSION + " (commit " +
                                          build_commit() + ")");
    add_flags(app, result.options);
    add_subcommands(app, result.options);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        std::fputs(app.help().c_str(), stdout);
        result.exit_now = 0;
        return result;
    } catch (const CLI::CallForVersion& e) {
        std::printf("%s\n", e.what());
        result.exit_now = 0;
        return result;
    } catch (const CLI::ParseError& e) {
        report_usage_error(argc, argv, e.what());
        result.exit_now = to_int(ExitCode::usage);
        return result;
    }
    const std::string conflict = conflict_of(result.options);
    if (!conflict.empty()) {
        report_usage_error(argc, argv, conflict);
        result.exit_now = to_int(ExitCode::usage);
    }
    return result;
}

} // namespace smo
