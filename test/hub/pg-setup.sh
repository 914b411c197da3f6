#!/bin/bash
# pg-setup.sh: a private, throwaway PostgreSQL cluster on 127.0.0.1:$PG_PORT for the hub's tests.
#
#   PG_PORT=55432 PG_DIR=/var/tmp/x test/hub/pg-setup.sh        install if missing, initdb, start
#   PG_PORT=55432 PG_DIR=/var/tmp/x test/hub/pg-setup.sh stop   stop it (the caller removes PG_DIR)
#   PG_PORT=55432 PG_DIR=/var/tmp/x test/hub/pg-setup.sh again  start it again after a stop, as it was
#
# Trust authentication, listening on loopback only, its socket in PG_DIR: nothing under
# /etc/postgresql changes and Debian's own cluster is never started. Durability is switched
# off (fsync, synchronous_commit, full_page_writes): the cluster dies with the run.
# Installs Debian's postgresql when its binaries are missing (root; CI runs on a fresh Debian 12).
set -euo pipefail
PG_PORT=${PG_PORT:-55432}
PG_DIR=${PG_DIR:-/var/tmp/sd-pg-$PG_PORT}
say() { echo "pg-setup: $*" >&2; }
bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
RUN=(); [ "$(id -u)" = 0 ] && RUN=(runuser -u postgres --)   # initdb and postgres refuse to run as root

if [ "${1:-}" = stop ]; then
  BIN=$(bin)
  [ -n "$BIN" ] && [ -f "$PG_DIR/data/postmaster.pid" ] && "${RUN[@]}" "$BIN/pg_ctl" -D "$PG_DIR/data" stop -m immediate >/dev/null 2>&1 || true
  exit 0
fi

if [ "${1:-}" = again ]; then
  # restart, not start: it takes the options of the last start from postmaster.opts, a stopped server too.
  "${RUN[@]}" "$(bin)/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 restart >/dev/null 2>&1 \
    || { say "postgres did not start again: $(tail -3 "$PG_DIR/server.log")"; exit 1; }
  exit 0
fi

if [ -z "$(bin)" ] || [ ! -x "$(bin)/initdb" ]; then
  [ "$(id -u)" = 0 ] || { say "PostgreSQL is not installed and installing it needs root"; exit 1; }
  T0=$(date +%s)
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -q >/tmp/sd-pg-apt.log 2>&1
  # No daemon starts: Debian images without systemd have a policy-rc.d that refuses.
  if ! apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends postgresql >>/tmp/sd-pg-apt.log 2>&1; then
    say "apt-get install postgresql failed; see /tmp/sd-pg-apt.log"; exit 1
  fi
  say "installed postgresql in $(( $(date +%s) - T0 ))s"
fi
BIN=$(bin)

mkdir -p "$PG_DIR"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DIR"
"${RUN[@]}" "$BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
  || { say "initdb failed: $(tail -3 "$PG_DIR/initdb.log")"; exit 1; }
"${RUN[@]}" "$BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
  -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null \
  || { say "postgres did not start: $(tail -3 "$PG_DIR/server.log")"; exit 1; }
echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') ready on 127.0.0.1:$PG_PORT (user postgres, trust)"
