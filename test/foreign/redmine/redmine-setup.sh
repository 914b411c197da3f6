#!/bin/bash
# redmine-setup.sh: a Redmine 5 (Debian's, SQLite, served by thin) on 127.0.0.1:$RM_PORT for SD's tests. Run as root.
#
#   RM_PORT=19580 test/foreign/redmine/redmine-setup.sh        install if missing, start, wait until REST answers
#   RM_PORT=19580 test/foreign/redmine/redmine-setup.sh stop   stop the server started for that port
#
# Idempotent: installs redmine only when it is missing, and only checks when a server for RM_PORT
# already answers. Each port is its own Redmine instance (Debian's REDMINE_INSTANCE), with its own
# database (a copy of the pristine one the package made, with its default trackers, statuses and
# priorities), files, log and caches, all in RM_DIR. redmine-fixtures.rb turns the REST API on and
# adds the admin's API key RM_API_KEY, users alice and bob, and custom fields. Uploads over
# RM_MAX_ATTACHMENT_KB (default 1024) are refused. RM_FRESH=1 starts again from the pristine database.
# Prints one line saying where Redmine is; exits non-zero if it is not answering after RM_WAIT seconds.
set -euo pipefail
RM_PORT=${RM_PORT:-19580}
RM_DIR=${RM_DIR:-/var/tmp/sd-redmine-$RM_PORT}
RM_WAIT=${RM_WAIT:-300}
RM_API_KEY=${RM_API_KEY:-0123456789abcdef0123456789abcdef01234567}
HERE=$(cd "$(dirname "$0")" && pwd)
PKG_DB=/var/lib/dbconfig-common/sqlite3/redmine/instances/default/redmine_default
PRISTINE=/var/lib/redmine/sd-test-pristine.sqlite3
INSTANCE=sd-test-$RM_PORT
BASE=http://127.0.0.1:$RM_PORT

say() { echo "redmine-setup: $*" >&2; }
answers() { [ "$(curl -s -o /dev/null -m 10 -H "X-Redmine-API-Key: $RM_API_KEY" -w '%{http_code}' "$BASE/users/current.json")" = 200 ]; }

stop() {
  [ -f "$RM_DIR/thin.pid" ] || return 0
  # The server runs in its own session (setsid): signal the whole group, runuser and thin.
  kill -TERM -- "-$(cat "$RM_DIR/thin.pid")" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 -- "-$(cat "$RM_DIR/thin.pid")" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$(cat "$RM_DIR/thin.pid")" 2>/dev/null || true
  rm -f "$RM_DIR/thin.pid" "/var/lib/redmine/$INSTANCE"
}

if [ "${1:-}" = stop ]; then stop; exit 0; fi
[ "$(id -u)" = 0 ] || { say "must run as root (it installs packages and runs Redmine as www-data)"; exit 1; }

if answers; then
  echo "Redmine already answering at $BASE (API key $RM_API_KEY)"
  exit 0
fi

installed() { dpkg-query -W -f='${Status}\n' redmine redmine-sqlite thin 2>/dev/null | grep -c '^install ok installed$' | grep -qx 3; }
if ! installed; then
  T0=$(date +%s)
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -q >/tmp/sd-redmine-apt.log 2>&1
  # dbconfig-common creates the SQLite database; postinst migrates it and loads the default data.
  debconf-set-selections <<EOS
redmine redmine/current-instances string default
redmine redmine/instances/default/dbconfig-install boolean true
redmine redmine/instances/default/database-type select sqlite3
redmine redmine/instances/default/default-language select en
EOS
  # thin: Debian's Gemfile names no web server, and `rails server` cannot run from /usr/share.
  if ! apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends \
      redmine redmine-sqlite thin >>/tmp/sd-redmine-apt.log 2>&1; then
    say "apt-get install redmine failed; see /tmp/sd-redmine-apt.log"; exit 1
  fi
  say "installed redmine in $(( $(date +%s) - T0 ))s"
fi

[ -f "$PRISTINE" ] || cp -p "$PKG_DB" "$PRISTINE"
stop
if [ "${RM_FRESH:-0}" = 1 ]; then rm -rf "$RM_DIR"; fi
mkdir -p "$RM_DIR/config" "$RM_DIR/files" "$RM_DIR/log" "$RM_DIR/tmp/cache" "$RM_DIR/public/plugin_assets"
cat > "$RM_DIR/config/database.yml" <<EOS
production:
  adapter: sqlite3
  database: $RM_DIR/redmine.sqlite3
  encoding: utf8
  timeout: 10000
EOS
[ -f "$RM_DIR/config/secret_key.txt" ] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$RM_DIR/config/secret_key.txt"
ln -sfn "$RM_DIR" "/var/lib/redmine/$INSTANCE"
FIXTURES=0
if [ ! -f "$RM_DIR/redmine.sqlite3" ]; then cp "$PRISTINE" "$RM_DIR/redmine.sqlite3"; FIXTURES=1; fi
chown -R www-data:www-data "$RM_DIR"
chmod 700 "$RM_DIR"

RM_ENV=(REDMINE_INSTANCE="$INSTANCE" RAILS_ENV=production SD_RM_API_KEY="$RM_API_KEY" SD_RM_PORT="$RM_PORT" SD_RM_MAX_ATTACHMENT_KB="${RM_MAX_ATTACHMENT_KB:-1024}")
cd /usr/share/redmine
if [ "$FIXTURES" = 1 ]; then
  T0=$(date +%s)
  # A copy www-data can read: the checkout may sit under a 0700 directory.
  install -m 0644 -o www-data "$HERE/redmine-fixtures.rb" "$RM_DIR/redmine-fixtures.rb"
  runuser -u www-data -- env "${RM_ENV[@]}" bin/rails runner "$RM_DIR/redmine-fixtures.rb" >&2 \
    || { say "redmine-fixtures.rb failed"; rm -f "$RM_DIR/redmine.sqlite3"; exit 1; }
  say "fixtures in $(( $(date +%s) - T0 ))s"
fi

# setsid: its own process group, so stop can end runuser and thin at once.
setsid runuser -u www-data -- env "${RM_ENV[@]}" \
  thin start -R config.ru -a 127.0.0.1 -p "$RM_PORT" -e production \
  >"$RM_DIR/thin.log" 2>&1 </dev/null &
echo $! > "$RM_DIR/thin.pid"

T1=$(date +%s)
until answers; do
  if ! kill -0 "$(cat "$RM_DIR/thin.pid")" 2>/dev/null; then
    say "thin exited; its log:"; tail -20 "$RM_DIR/thin.log" >&2; exit 1
  fi
  if [ $(( $(date +%s) - T1 )) -ge "$RM_WAIT" ]; then
    say "Redmine not answering at $BASE after ${RM_WAIT}s; log in $RM_DIR/thin.log"; stop; exit 1
  fi
  sleep 0.5
done
echo "Redmine answering at $BASE after $(( $(date +%s) - T1 ))s (API key $RM_API_KEY; pid file $RM_DIR/thin.pid)"
