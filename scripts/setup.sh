#!/usr/bin/env bash
# Installs everything smo-rollback needs to build, test and run its sandbox on
# Debian 12: the seven libraries of the design card from Debian packages, the
# compilers (GCC; clang with its libFuzzer and sanitizer runtimes for
# scripts/fuzz.sh) and CMake, OpenSSH (client tools and the sandbox's sshd), git,
# SQLite, Node.js with npm, and PM2 from npm. Idempotent; run as root or with sudo.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git clang-format
  clang libclang-rt-14-dev
  libcli11-dev nlohmann-json3-dev libssh2-1-dev libcurl4-openssl-dev
  libspdlog-dev libfmt-dev catch2
  openssh-server openssh-client sqlite3 procps ca-certificates
)

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_if_needed apt-get update -q
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

if ! command -v pm2 >/dev/null 2>&1; then
  echo "setup: installing pm2 from npm"
  sudo_if_needed npm install -g pm2@7
fi

# openssh-server's package scripts may start a system sshd; the sandbox runs
# its own on a loopback port and needs only the privilege-separation directory.
sudo_if_needed mkdir -p -m 0755 /run/sshd
echo "setup: ok"
