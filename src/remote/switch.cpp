#include "smo/remote/switch.hpp"

#include "script_words.hpp"
#include "smo/remote_commands.hpp"
#include "smo/remote_replies.hpp"
#include "smo/shell_quote.hpp"

#include <stdexcept>

namespace smo::remote {

std::string switch_script_path(const RemotePaths& paths) {
    return paths.work_root + "/switch.sh";
}

namespace {

// The script's helpers. smo_note rewrites the journal whole and renames it
// over (readers never see half a line) and touches the lock's heartbeat.
const char* const k_prelude =
    "set -u\n"
    "smo_note() { touch -c \"$L\" 2>/dev/null; { cat \"$J\" && printf '%s\\n' \"$1\"; } "
    "> \"$J.tmp\" && mv -f \"$J.tmp\" \"$J\"; }\n"
    "smo_done() { grep -qxF \"done=$1\" \"$J\"; }\n"
    "smo_fail() { smo_note \"failed=$1 $2\"; smo_note result=failed; "
    "echo \"smo-switch: $1 failed (exit $2)\" >&2; exit \"$2\"; }\n"
    "smo_note \"runner=$$\"\n";

// One journaled step: skipped when done, else begun, run, done or failed.
std::string step(const std::string& name, const std::string& body, int code) {
    return "if ! smo_done " + q(name) + "; then smo_note " + q("begin=" + name) + "\n" + body +
           "\n[ $? -eq 0 ] || smo_fail " + q(name) + " " + std::to_string(code) + "\nsmo_note " +
           q("done=" + name) + "\nfi\n";
}

// The operator's text, in the live tree, bounded.
std::string operator_command(const RemotePaths& paths, const std::string& text, int seconds) {
    return "(cd " + q(paths.live) + " && timeout -k 5 " + std::to_string(seconds) + " bash -c " +
           q(text) + ")";
}

std::string head_check(const RemotePaths& paths, const SwitchPlan& plan) {
    const std::string from = q(plan.from_commit);
    const std::string to = q(plan.to_commit);
    // At the switch the live HEAD is checked again: a deploy outside this
    // tool may have moved it since stage 3. Once the checkout is journaled
    // it must be the to-commit.
    return "head=$(git -C " + q(paths.live) + " rev-parse HEAD) || smo_fail head 39\n" +
           "if smo_done checkout; then [ \"$head\" = " + to +
           " ] || { smo_note \"head=$head\"; smo_fail head-moved 39; }\n" +
           "elif [ \"$head\" != " + from + " ] && [ \"$head\" != " + to +
           " ]; then smo_note \"head=$head\"; smo_fail head-moved 39; fi\n";
}

// mv -T never moves INTO an existing directory. Each half is its own step,
// idempotent: a source already gone means the rename happened.
std::string swap_item(const RemotePaths& paths, const std::string& item) {
    if (!is_valid_swap_item(item)) {
        throw std::logic_error("refusing to swap " + item + ": not a plain relative path");
    }
    const std::string live = paths.live + "/" + item;
    const std::string aside = paths.aside + "/" + item;
    const std::string staged = paths.staging + "/" + item;
    const std::string out = "if [ -e " + q(live) + " ] || [ -L " + q(live) + " ]; then mkdir -p " +
                            q(parent_of(aside)) + " && mv -T " + q(live) + " " + q(aside) + "; fi";
    const std::string in = "if [ -e " + q(staged) + " ]; then mkdir -p " + q(parent_of(live)) +
                           " && mv -T " + q(staged) + " " + q(live) + "; fi";
    return step("out:" + item, out, 42) + step("in:" + item, in, 42);
}

std::string staged_steps(const RemotePaths& paths, const SwitchPlan& plan) {
    // An empty aside area is one a crashed run made and never used.
    const std::string aside = q(paths.aside);
    std::string script = step("aside",
                              "{ [ -d " + aside + " ] && [ -z \"$(ls -A " + aside +
                                  ")\" ]; } || { " + prepare_aside(paths) + "; }",
                              40);
    script += step("checkout", checkout_live(paths, plan.to_commit), 41);
    for (const auto& item : plan.items) {
        script += swap_item(paths, item);
    }
    return script;
}

std::string in_place_steps(const RemotePaths& paths, const SwitchPlan& plan) {
    std::string script = step("checkout", checkout_live(paths, plan.to_commit), 41);
    if (!plan.install_text.empty()) {
        script += step("install",
                       operator_command(paths, plan.install_text, plan.step_timeout_seconds), 45);
    }
    if (!plan.build_text.empty()) {
        script +=
            step("build", operator_command(paths, plan.build_text, plan.step_timeout_seconds), 46);
    }
    return script;
}

// printf of `text` into `path` by a temporary file and a rename.
std::string write_atomic(const std::string& path, const std::string& text) {
    return "printf '%s' " + q(text) + " > " + q(path + ".tmp") + " && mv -f " + q(path + ".tmp") +
           " " + q(path);
}

} // namespace

std::string journal_path(const RemotePaths& paths) {
    return paths.work_root + "/journal";
}

std::string switch_log_path(const RemotePaths& paths) {
    return paths.work_root + "/switch.log";
}

std::string read_journal(const RemotePaths& paths) {
    const std::string journal = q(journal_path(paths));
    // Liveness first, the journal after: a runner found gone has written all
    // it ever will, so a result it wrote just before exiting is never missed.
    return "touch -c " + q(paths.lock) + " 2>/dev/null; a=; r=$(sed -n 's/^runner=//p' " + journal +
           " 2>/dev/null | tail -n 1); if [ -n \"$r\" ] && kill -0 \"$r\" 2>/dev/null && " +
           "tr '\\0' ' ' < \"/proc/$r/cmdline\" 2>/dev/null | grep -qF " +
           q(switch_script_path(paths)) + "; then a=1; fi; echo " + k_journal + "; cat " + journal +
           " 2>/dev/null; echo; echo " + k_journal_end + "; [ -z \"$a\" ] || echo " +
           k_runner_alive + "; true";
}

JournalReply parse_journal_reply(const std::string& out) {
    JournalReply reply;
    const auto text = text_between(out, k_journal, k_journal_end);
    if (!text) {
        return reply;
    }
    reply.answered = true;
    const auto end = out.find(k_journal_end);
    reply.journal = journal::parse(*text);
    reply.runner_alive = has_marker(out.substr(end), k_runner_alive);
    return reply;
}

std::string open_journal(const RemotePaths& paths, const std::string& header_text) {
    const std::string journal = journal_path(paths);
    return ensure_work_area(paths) + " && { [ ! -f " + q(journal) + " ] || mv -f " + q(journal) +
           " " + q(journal + ".prev") + "; } && " + write_atomic(journal, header_text) +
           " && echo " + k_journal_open;
}

std::string append_journal(const RemotePaths& paths, const std::string& line) {
    if (line.find_first_of("\n\r") != std::string::npos) {
        throw std::logic_error("journal line with a line break: " + line);
    }
    const std::string journal = q(journal_path(paths));
    const std::string temp = q(journal_path(paths) + ".tmp");
    return "{ cat " + journal + " && printf '%s\\n' " + q(line) + "; } > " + temp + " && mv -f " +
           temp + " " + journal;
}

std::string switch_script(const RemotePaths& paths, const SwitchPlan& plan) {
    std::string script = "J=" + q(journal_path(paths)) + "\nL=" + q(paths.lock) + "\n" + k_prelude;
    script += head_check(paths, plan);
    if (plan.db_rollback) {
        script += step("db_rollback",
                       operator_command(paths, plan.db_text, plan.step_timeout_seconds), 44);
    }
    script += plan.strategy == Strategy::in_place ? in_place_steps(paths, plan)
                                                  : staged_steps(paths, plan);
    script +=
        step("reload", operator_command(paths, plan.reload_text, plan.step_timeout_seconds), 43);
    return script + "smo_note result=ok\n";
}

std::string launch_switch(const RemotePaths& paths, const std::string& script,
                          const std::string& header_text) {
    const std::string opened =
        header_text.empty() ? ensure_work_area(paths) : open_journal(paths, header_text);
    // setsid: its own session, out of reach of the SSH session's end and of
    // the remote `timeout` around this command; nohup and the redirections:
    // no SIGHUP, no terminal, no pipe back to sshd.
    return opened + " && " + write_atomic(switch_script_path(paths), script) + " || { echo " +
           k_launch_failed + "; exit 1; }\nsetsid nohup bash " + q(switch_script_path(paths)) +
           " </dev/null >>" + q(switch_log_path(paths)) +
           " 2>&1 &\np=$!; i=0; while ! grep -qx \"runner=$p\" " + q(journal_path(paths)) +
           " 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; echo \"" + k_runner +
           "$p\"";
}

std::string switch_log_tail(const RemotePaths& paths) {
    return "tail -n 6 " + q(switch_log_path(paths));
}

std::string checkout_live(const RemotePaths& paths, const std::string& commit) {
    return "git -C " + q(paths.live) + " checkout --detach " + q(commit);
}

std::string prepare_aside(const RemotePaths& paths) {
    require_under_work_root(paths, paths.aside, "aside area");
    // A plain mkdir of the leaf: it fails rather than reuse (and so mix into)
    // an aside an earlier run left; nothing is ever removed here. Every
    // directory above it is the SSH user's own and private (docs/usage.md).
    return ensure_work_area(paths) + " && " + ensure_private_dir(paths.asides) +
           " && (umask 077 && mkdir " + q(paths.aside) + ")";
}

std::string swap_in(const RemotePaths& paths, const std::vector<std::string>& items) {
    std::string script;
    for (const auto& item : items) {
        if (!is_valid_swap_item(item)) {
            throw std::logic_error("refusing to swap " + item + ": not a plain relative path");
        }
        const std::string live = q(paths.live + "/" + item);
        const std::string aside = q(paths.aside + "/" + item);
        const std::string staged = q(paths.staging + "/" + item);
        // mv -T never moves INTO an existing directory: a leftover would make
        // it fail rather than nest one release inside another.
        script += "if [ -e " + live + " ] || [ -L " + live + " ]; then mkdir -p " +
                  q(parent_of(paths.aside + "/" + item)) + " && mv -T " + live + " " + aside +
                  "; fi && if [ -e " + staged + " ]; then mkdir -p " +
                  q(parent_of(paths.live + "/" + item)) + " && mv -T " + staged + " " + live +
                  "; fi && ";
    }
    return script + "echo " + k_swapped;
}

std::string activate(const RemotePaths& paths, const std::string& to_commit,
                     const std::vector<std::string>& items, const std::string& reload_text) {
    return prepare_aside(paths) + " || exit 40\necho " + k_aside_ready + "\n" +
           checkout_live(paths, to_commit) + " || exit 41\necho " + k_checked_out + "\n" +
           swap_in(paths, items) + " || exit 42\n(\n" + run_in(paths.live, reload_text) +
           "\n) || exit 43\necho " + k_reloaded;
}

std::string rotate_asides(const RemotePaths& paths, int keep_releases) {
    require_under_work_root(paths, paths.asides, "asides area");
    require_under_work_root(paths, paths.aside, "aside area");
    const std::string current = paths.aside.substr(paths.aside.rfind('/') + 1);
    // Only names this tool made (a stamp first, so `sort -r` is newest
    // first), never this run's own, whatever the clocks say.
    const int others = keep_releases > 1 ? keep_releases - 1 : 0;
    return "if [ -d " + q(paths.asides) + " ]; then find " + q(paths.asides) +
           " -mindepth 1 -maxdepth 1 -type d -name " + q("[0-9]*T[0-9]*Z-*") +
           " -printf '%f\\n' | grep -vxF " + q(current) + " | sort -r | tail -n +" +
           std::to_string(others + 1) + " | while IFS= read -r old; do rm -rf -- " +
           q(paths.asides) + "/\"$old\" && printf '" + k_rotated +
           "%s\\n' \"$old\"; done; fi; echo " + k_rotation_done;
}

} // namespace smo::remote
