#!/usr/bin/env bash
# Start PostgreSQL, Redis and RabbitMQ when they are installed but not running.
# In CI (CI=true) a service that still cannot be reached fails the run.
set -uo pipefail

up() { # name host port
  python3 - "$2" "$3" <<'PY'
import socket, sys
s = socket.socket()
s.settimeout(1)
try:
    s.connect((sys.argv[1], int(sys.argv[2])))
except OSError:
    sys.exit(1)
PY
}

wait_for() { # name host port seconds
  for _ in $(seq 1 "$4"); do up "$1" "$2" "$3" && return 0; sleep 1; done
  return 1
}

start() { # name command...
  local name=$1; shift
  echo "starting $name: $*"
  "$@" >/dev/null 2>&1 || true
}

failed=0
if ! up postgresql 127.0.0.1 5432; then
  command -v pg_ctlcluster >/dev/null && start postgresql pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  wait_for postgresql 127.0.0.1 5432 30 || { echo "PostgreSQL is not reachable on 127.0.0.1:5432"; failed=1; }
fi
if ! up redis 127.0.0.1 6379; then
  command -v redis-server >/dev/null && start redis redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for redis 127.0.0.1 6379 30 || { echo "Redis is not reachable on 127.0.0.1:6379"; failed=1; }
fi
if ! up rabbitmq 127.0.0.1 5672; then
  command -v rabbitmq-server >/dev/null && start rabbitmq rabbitmq-server -detached
  wait_for rabbitmq 127.0.0.1 5672 90 || { echo "RabbitMQ is not reachable on 127.0.0.1:5672"; failed=1; }
fi

if [ "$failed" = 1 ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "A required service is missing: failing, as CI must." >&2
    exit 1
  fi
  echo "Some services are missing: the tests that need them will fail." >&2
fi
exit 0
