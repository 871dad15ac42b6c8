# shellcheck shell=bash
# Sourced by sshd.sh and sandbox.sh: ports and processes, shared. Needs `die`.

# True when something accepts TCP connections on 127.0.0.1:$1.
port_accepts() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

port_in_use() {
  port_accepts "$1" && return 0
  ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

random_free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! port_in_use "$port"; then
      echo "$port"
      return 0
    fi
  done
  die "no free port found"
}

# Exists and is not a zombie.
pid_alive() {
  local pid=${1:-} state
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1) || true
  [[ "$state" != Z ]]
}

# Alive and started for this fixture ($2 in its command line): a stale pid
# file must never make us kill a stranger that reused the pid.
owned_pid() {
  pid_alive "$1" && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2"
}
