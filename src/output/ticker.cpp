#include "output/ticker.hpp"

#include <csignal>
#include <pthread.h>

namespace smo {

Ticker::Ticker(std::chrono::milliseconds period, std::function<void()> tick)
    : m_period(period), m_tick(std::move(tick)), m_thread([this] { loop(); }) {}

Ticker::~Ticker() {
    {
        const std::lock_guard<std::mutex> hold(m_lock);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void Ticker::loop() {
    // Signals (Ctrl-C, SIGHUP, SIGTERM) stay the main thread's: its blocking
    // reads are what they must interrupt.
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, nullptr);
    std::unique_lock<std::mutex> hold(m_lock);
    while (!m_wake.wait_for(hold, m_period, [this] { return m_stop; })) {
        hold.unlock();
        m_tick();
        hold.lock();
    }
}

} // namespace smo
