#include "smo/remote/tag.hpp"

#include "script_words.hpp"
#include "smo/remote_replies.hpp"
#include "smo/shell_quote.hpp"

namespace smo::remote {
std::string fetch_tags(const RemotePaths& paths) {
    return git_live(paths) + " fetch --tags origin";
}

std::string resolve_tag(const RemotePaths& paths, const std::string& tag) {
    return git_live(paths) + " rev-parse --verify --quiet " + q("refs/tags/" + tag + "^{commit}");
}

std::string has_commit(const RemotePaths& paths, const std::string& commit) {
    return git_live(paths) + " cat-file -e " + q(commit + "^{commit}");
}

std::string fetch_and_resolve_tag(const RemotePaths& paths, const std::string& tag) {
    return fetch_tags(paths) + "\necho \"" + m(k_fetch_exit) + "$?\"\n" + resolve_tag(paths, tag) +
           " || echo " + k_no_tag;
}

std::string checkout_overwrites(const RemotePaths& paths, const std::string& to_commit,
                                const std::vector<std::string>& env_files) {
    std::string env_words;
    for (const auto& file : env_files) {
        env_words += " " + q(file);
    }
    // Untracked files (ignored or not) at paths the to-commit tracks: git
    // checkout silently replaces the ignored ones (a live .env) and refuses
    // at the others, which would be after the down migrations ran. The
    // to-commit's paths become literal pathspecs, so only those are walked.
    return "if " + git_live(paths) + " cat-file -e " + q(to_commit + "^{commit}") +
           " 2>/dev/null; then echo " + k_tracked_env + "; " + git_live(paths) +
           " ls-tree -r --name-only " + q(to_commit) + " --" + env_words + "; echo " +
           k_overwrites + "; " + git_live(paths) + " ls-tree -r --name-only -z " + q(to_commit) +
           " | xargs -0 -r " + git_live(paths) +
           " --literal-pathspecs ls-files -z -o -- | tr '\\0' '\\n'; echo " + k_overwrites_done +
           "; fi";
}

std::string fetch_and_check_tag(const RemotePaths& paths, const std::string& tag,
                                const std::string& to_commit,
                                const std::vector<std::string>& env_files) {
    return fetch_and_resolve_tag(paths, tag) + "\n" +
           checkout_overwrites(paths, to_commit, env_files);
}

TagCheck parse_tag_check(const std::string& out) {
    TagCheck check;
    const std::string fetch_exit = k_fetch_exit;
    for (const auto& line : lines_of(out)) {
        if (line.starts_with(fetch_exit)) {
            check.fetch_exit = static_cast<int>(to_long(line.substr(fetch_exit.size()), -1));
        }
    }
    const auto after = lines_after(out, fetch_exit + std::to_string(check.fetch_exit));
    if (!after.empty() && !has_marker(out, k_no_tag)) {
        check.tag_commit = after.front();
    }
    return check;
}

CheckoutOverwrites parse_checkout_overwrites(const std::string& out) {
    CheckoutOverwrites reply;
    reply.checked = has_marker(out, k_tracked_env) && has_marker(out, k_overwrites) &&
                    has_marker(out, k_overwrites_done);
    if (reply.checked) {
        reply.tracked_env = lines_after(out, k_tracked_env);
        reply.untracked = lines_after(out, k_overwrites);
    }
    return reply;
}

} // namespace smo::remote
