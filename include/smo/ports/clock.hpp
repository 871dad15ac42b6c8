#pragma once

#include <chrono>

// The clock port: the SLA clock, timeouts and polling intervals. FakeClock
// advances on sleep, so settle and health timeouts test in microseconds.
namespace smo {

class Clock {
  public:
    virtual ~Clock() = default;
    virtual std::chrono::steady_clock::time_point now() const = 0;
    virtual std::chrono::system_clock::time_point wall_now() const = 0;
    virtual void sleep_for(std::chrono::milliseconds duration) = 0;
};

// Seconds between two steady time points, as a double.
inline double seconds_between(std::chrono::steady_clock::time_point from,
                              std::chrono::steady_clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

} // namespace smo
