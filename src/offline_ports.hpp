#pragma once

#include "smo/context.hpp"
#include "smo/errors.hpp"
#include "smo/ports/clock.hpp"
#include "smo/ports/http_client.hpp"
#include "smo/ports/operator_prompt.hpp"
#include "smo/ports/remote_shell.hpp"
#include "smo/reporter.hpp"

#include <string>
#include <vector>

// The ports of the offline commands (--plan, list): stages 1–2 run for real
// against the records and the local repository, and anything that would reach
// the network refuses.
namespace smo {

// The ports --plan runs with: anything that would reach the network refuses.
class OfflineHttpClient : public HttpClient {
  public:
    HttpResponse get(const std::string&, std::chrono::milliseconds) override { return offline(); }
    HttpResponse post_json(const std::string&, const std::string&,
                           std::chrono::milliseconds) override {
        return offline();
    }

  private:
    static HttpResponse offline() {
        HttpResponse response;
        response.transport_error = "offline (--plan)";
        return response;
    }
};

class NoRemoteShell : public RemoteShell {
  public:
    void connect(const SshTarget&) override { throw Error(ExitCode::failed, "--plan is offline"); }
    CommandResult run(const std::string&, std::chrono::seconds) override {
        throw Error(ExitCode::failed, "--plan is offline");
    }
    void disconnect() override {}
};

class FrozenClock : public Clock {
  public:
    std::chrono::steady_clock::time_point now() const override { return {}; }
    std::chrono::system_clock::time_point wall_now() const override {
        return std::chrono::system_clock::now();
    }
    void sleep_for(std::chrono::milliseconds) override {}
};

class NobodyToAsk : public OperatorPrompt {
  public:
    bool can_ask() const override { return false; }
    std::optional<bool> ask_yes_no(const std::string&) override { return std::nullopt; }
};

// Keeps the stages' warnings for the command's own output.
class CollectingReporter : public Reporter {
  public:
    void start(const RunReport&) override {}
    void stage_started(int, const std::string&) override {}
    void stage_finished(const StageReport&) override {}
    void info(const std::string&) override {}
    void warning(const std::string& text) override { warnings.push_back(text); }
    void prompt(const std::string&) override {}
    void result(const RunReport&) override {}

    std::vector<std::string> warnings;
};

// Every port of an offline command; the records and the local repository
// (files, git) are the real ones the caller passes.
struct OfflinePorts {
    OfflineHttpClient http;
    NoRemoteShell shell;
    FrozenClock clock;
    NobodyToAsk prompt;
    CollectingReporter reporter;

    Ports with(FileSystem& files, LocalGit& git) {
        return Ports{shell, http, clock, files, git, prompt, reporter};
    }
};

} // namespace smo
