#include "smo/adapters/curl_http_client.hpp"
#include "smo/adapters/libssh2_remote_shell.hpp"
#include "smo/context.hpp"
#include "smo/fleet.hpp"

#include <exception>

namespace smo {

// Each host its own session and HTTP client, made here on the main thread
// (the libraries' global set-up is not for concurrent first calls).
void run_fleet_over_ssh(Context& lead, const std::vector<std::unique_ptr<Stage>>& stages,
                        const std::function<SshTarget(const EnvironmentConfig&)>& resolve) {
    std::vector<std::unique_ptr<Libssh2RemoteShell>> shells;
    std::vector<std::unique_ptr<CurlHttpClient>> clients;
    std::vector<FleetHostPorts> ports;
    for (const auto& host : lead.config.hosts) {
        shells.push_back(std::make_unique<Libssh2RemoteShell>());
        shells.back()->set_interrupt_flag(lead.interrupt_flag);
        clients.push_back(std::make_unique<CurlHttpClient>());
        ports.push_back({*shells.back(), *clients.back(), resolve(host.env)});
    }
    run_fleet(lead, stages, ports);
    for (auto& shell : shells) {
        try {
            shell->disconnect();
        } catch (const std::exception&) {
            // The run is over and reported; a failed goodbye changes nothing.
        }
    }
}

} // namespace smo
