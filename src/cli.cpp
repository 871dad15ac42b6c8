#include "smo/exit_code.hpp"
#include "smo/options.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

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

void add_flags(CLI::App& app, Options& options) {
    app.add_option("--env", options.env, "environment under `deploy` in .smorch/project.json")
        ->default_str("production");
    app.add_option("--to", options.to_tag,
                   "roll back to this tag instead of the computed previous");
    app.add_flag("--dry-run", options.dry_run,
                 "the drill: rehearse and time every stage; change nothing live");
    app.add_flag("--plan", options.plan,
                 "offline: print the plan; touch no network, write nothing");
    app.add_flag("--auto", options.auto_mode,
                 "non-interactive (from a failed /smo-deploy): halt where it would prompt");
    app.add_flag("--yes", options.yes,
                 "roll back even though the live release answers healthy (never implied by "
                 "--auto)");
    app.add_flag("--json", options.json,
                 "newline-delimited JSON events on stdout; humans on stderr");
    app.add_option("--project-dir", options.project_dir,
                   "app repository (default: walk up to .smorch/project.json)");
    app.add_option("--triggered-by", options.triggered_by, "who or what started this, for the log");
    app.add_option("--incident", options.incident, "post-mortem file to reference in the log");
    app.add_flag("--notify", options.notify, "with --dry-run: also post the drill verdict");
    app.add_flag("--accept-new-host-key", options.accept_new_host_key,
                 "trust a host missing from known_hosts (a changed key is always refused)");
    app.add_flag("--break-lock", options.break_lock,
                 "take over a stale lock on the target, recording who held it");
    app.add_flag("-v,--verbose", options.verbose, "show each remote command and timestamps");
    app.add_flag("-q,--quiet", options.quiet, "only warnings, errors and the summary");
    app.add_flag("--no-color", options.no_color, "no colour (also NO_COLOR)");
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

CommandLine parse_command_line(int argc, const char* const* argv) {
    CommandLine result;
    CLI::App app{"smo-rollback: put a broken production Node.js app back on its previous "
                 "known-good git tag, prove it healthy, log it and alert.",
                 "smo-rollback"};
    app.footer(k_footer);
    app.set_version_flag("--version", std::string("smo-rollback ") + SMO_VERSION);
    add_flags(app, result.options);
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
    const Options& options = result.options;
    const char* conflict = nullptr;
    if (options.plan && options.dry_run) {
        conflict = "--plan and --dry-run exclude each other";
    } else if (options.notify && !options.dry_run) {
        conflict = "--notify goes with --dry-run";
    } else if (options.verbose && options.quiet) {
        conflict = "--verbose and --quiet exclude each other";
    }
    if (conflict != nullptr) {
        report_usage_error(argc, argv, conflict);
        result.exit_now = to_int(ExitCode::usage);
    }
    return result;
}

} // namespace smo
