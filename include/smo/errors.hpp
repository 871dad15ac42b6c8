#pragma once

#include "smo/exit_code.hpp"

#include <stdexcept>
#include <string>

// Breakage is an exception, caught once in app.cpp (or by the pipeline, which
// turns it into a failed stage so that the log and the alert still happen).
// Expected outcomes — a remote command exiting non-zero, a 500 from the health
// URL — are values, never exceptions.
namespace smo {

class Error : public std::runtime_error {
  public:
    Error(ExitCode code, const std::string& message) : std::runtime_error(message), m_code(code) {}
    ExitCode code() const { return m_code; }

  private:
    ExitCode m_code;
};

// Bad command line, project.json or records: exit 2, nothing touched.
class ConfigError : public Error {
  public:
    explicit ConfigError(const std::string& message) : Error(ExitCode::usage, message) {}
};

// SSH connect, handshake, host key, authentication or a lost link: exit 5.
class TransportError : public Error {
  public:
    explicit TransportError(const std::string& message) : Error(ExitCode::failed, message) {}
};

// A local file could not be read or written.
class FileError : public Error {
  public:
    explicit FileError(const std::string& message) : Error(ExitCode::failed, message) {}
};

// Ctrl-C was pressed, or SIGTERM or SIGHUP came; raised between remote commands.
class Interrupted : public Error {
  public:
    Interrupted() : Error(ExitCode::interrupted, "interrupted (Ctrl-C, SIGTERM or SIGHUP)") {}
};

} // namespace smo
