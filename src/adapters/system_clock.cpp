#include "smo/adapters/system_clock.hpp"

#include <thread>

namespace smo {

std::chrono::steady_clock::time_point SystemClock::now() const {
    return std::chrono::steady_clock::now();
}

std::chrono::system_clock::time_point SystemClock::wall_now() const {
    return std::chrono::system_clock::now();
}

void SystemClock::sleep_for(std::chrono::milliseconds duration) {
    std::this_thread::sleep_for(duration);
}

} // namespace smo
