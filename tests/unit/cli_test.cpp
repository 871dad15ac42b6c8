#include "smo/exit_code.hpp"
#include "smo/options.hpp"

#include <catch2/catch.hpp>
#include <vector>

using namespace smo;

namespace {

CommandLine parse(std::vector<const char*> args) {
    args.insert(args.begin(), "smo-rollback");
    return parse_command_line(static_cast<int>(args.size()), args.data());
}

} // namespace

TEST_CASE("defaults: production, a real rollback", "[cli]") {
    const CommandLine line = parse({});
    REQUIRE_FALSE(line.exit_now);
    CHECK(line.options.env == "production");
    CHECK_FALSE(line.options.to_tag);
    CHECK_FALSE(line.options.dry_run);
    CHECK_FALSE(line.options.auto_mode);
    CHECK_FALSE(line.options.yes);
}

TEST_CASE("cli: --yes is the operator's yes, never implied by --auto", "[cli]") {
    CHECK(parse({"--yes"}).options.yes);
    CHECK_FALSE(parse({"--auto"}).options.yes);
    const CommandLine both = parse({"--auto", "--yes"});
    CHECK(both.options.auto_mode);
    CHECK(both.options.yes);
}

TEST_CASE("every flag of docs/usage.md is understood", "[cli]") {
    const CommandLine line = parse({"--env", "staging", "--to", "v1.4.1", "--dry-run", "--auto",
                                    "--json", "--project-dir", "/repo", "--triggered-by", "pager",
                                    "--incident", "docs/incidents/x.md", "--notify",
                                    "--accept-new-host-key", "--break-lock", "-v", "--no-color"});
    REQUIRE_FALSE(line.exit_now);
    const Options& o = line.options;
    CHECK(o.env == "staging");
    CHECK(o.to_tag == std::optional<std::string>("v1.4.1"));
    CHECK(o.dry_run);
    CHECK(o.auto_mode);
    CHECK(o.json);
    CHECK(o.project_dir == std::optional<std::string>("/repo"));
    CHECK(o.triggered_by == std::optional<std::string>("pager"));
    CHECK(o.incident == std::optional<std::string>("docs/incidents/x.md"));
    CHECK(o.notify);
    CHECK(o.accept_new_host_key);
    CHECK(o.break_lock);
    CHECK(o.verbose);
    CHECK(o.no_color);
}

TEST_CASE("usage errors exit 2", "[cli]") {
    CHECK(parse({"--bogus"}).exit_now == to_int(ExitCode::usage));
    CHECK(parse({"--to"}).exit_now == to_int(ExitCode::usage));
    CHECK(parse({"--plan", "--dry-run"}).exit_now == to_int(ExitCode::usage));
    CHECK(parse({"--notify"}).exit_now == to_int(ExitCode::usage));
    CHECK(parse({"-v", "-q"}).exit_now == to_int(ExitCode::usage));
}

TEST_CASE("cli: a non-UTF-8 unknown flag with --json is a usage error and no crash", "[cli]") {
    // The reason quotes the flag's bytes; dumping them strictly threw type_error.316.
    CHECK(parse({"--json", "--bogus\xff"}).exit_now == to_int(ExitCode::usage));
    CHECK(parse({"--json", "--to", "v1", "\xc3"}).exit_now == to_int(ExitCode::usage));
}

TEST_CASE("subcommands: status, list, prepare with their own flags", "[cli]") {
    CHECK(parse({}).options.command == Command::rollback);
    const CommandLine status = parse({"status", "--env", "staging", "--json"});
    REQUIRE_FALSE(status.exit_now);
    CHECK(status.options.command == Command::status);
    CHECK(status.options.env == "staging");
    CHECK(status.options.json);
    const CommandLine list = parse({"--env", "staging", "list"});
    REQUIRE_FALSE(list.exit_now);
    CHECK(list.options.command == Command::list);
    CHECK(list.options.env == "staging");
    const CommandLine prepare = parse({"prepare", "--to", "v1.4.1"});
    REQUIRE_FALSE(prepare.exit_now);
    CHECK(prepare.options.command == Command::prepare);
    CHECK(prepare.options.to_tag == std::optional<std::string>("v1.4.1"));
}

TEST_CASE("subcommands refuse the rollback's own flags", "[cli]") {
    CHECK(parse({"status", "--dry-run"}).exit_now == to_int(ExitCode::usage));
    CHECK(parse({"--auto", "status"}).exit_now == to_int(ExitCode::usage));
    CHECK(parse({"--plan", "list"}).exit_now == to_int(ExitCode::usage));
    CHECK(parse({"--to", "v1", "list"}).exit_now == to_int(ExitCode::usage));
    CHECK(parse({"status", "list"}).exit_now == to_int(ExitCode::usage));
}
