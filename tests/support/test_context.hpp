#pragma once

#include "smo/context.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_file_system.hpp"
#include "support/fake_http_client.hpp"
#include "support/fake_local_git.hpp"
#include "support/fake_prompt.hpp"
#include "support/fake_remote_shell.hpp"
#include "support/recording_reporter.hpp"

namespace smo::test {

// A sample project (eo-mena on eo-prod) wired to fresh fakes. Tests change
// `options`, `config` and the fakes, then call `context()`.
struct TestRig {
    TestRig() {
        config.project_dir = "/repo";
        config.config_file = "/repo/.smorch/project.json";
        config.project = "eo-mena";
        config.telegram_chat_id = "311453473";
        auto& env = config.env;
        env.name = "production";
        env.host = "eo-prod";
        env.tailscale_ip = "100.89.148.62";
        env.path = "/opt/apps/eo-mena";
        env.pm2_name = "eo-main";
        env.health_url = "https://entrepreneursoasis.me/api/health";
        env.rollback.migrations_dir = "db/migrations";
        target.label = "eo-prod";
        target.address = "100.89.148.62";
        target.user = "deploy";
    }

    // Built on first call; later calls return the same context.
    Context& context() {
        if (!m_context) {
            m_context.emplace(Context{options,
                                      config,
                                      target,
                                      Ports{shell, http, clock, files, git, prompt, reporter},
                                      clock.now(),
                                      nullptr,
                                      {},
                                      {}});
            m_context->report.project = config.project;
            m_context->report.env = config.env.name;
            m_context->report.target_label = target.label;
            m_context->report.sla_seconds = config.env.rollback_sla_seconds;
        }
        return *m_context;
    }

    Options options;
    ProjectConfig config;
    SshTarget target;
    FakeRemoteShell shell;
    FakeHttpClient http;
    FakeClock clock;
    FakeFileSystem files;
    FakeLocalGit git;
    FakePrompt prompt;
    RecordingReporter reporter;

  private:
    std::optional<Context> m_context;
};

} // namespace smo::test
