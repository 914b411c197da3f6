#!/bin/bash
# rt-setup.sh: a Request Tracker 5 (Debian's, SQLite) on 127.0.0.1:$RT_PORT for SD's tests. Run as root.
#
#   RT_PORT=19480 test/foreign/rt/rt-setup.sh          install if missing, start, wait until REST2 answers
#   RT_PORT=19480 test/foreign/rt/rt-setup.sh stop     stop the server started for that port
#
# Idempotent: installs request-tracker5 only when it is missing, and does nothing but check when a
# server for RT_PORT already answers. Each port is its own RT: its own database (a copy of the
# pristine one the package made), config, caches and log, all in RT_DIR; the package's own
# database is never used, so servers for different ports do not see each other's tickets.
# The login is the package's fixed test account, root / password; rt-fixtures.pl adds users
# sd-agent (SuperUser) and sd-outsider (no rights). Attachments over RT_MAX_ATTACHMENT bytes
# (default 1 MiB) are dropped by RT, as its $DropLongAttachments says. Set RT_FRESH=1 to start
# again from the pristine database. Prints one line saying where RT is; exits non-zero if
# it is not answering after RT_WAIT seconds.
set -euo pipefail
RT_PORT=${RT_PORT:-19480}
RT_DIR=${RT_DIR:-/var/tmp/sd-rt-$RT_PORT}
RT_WAIT=${RT_WAIT:-300}
HERE=$(cd "$(dirname "$0")" && pwd)
PKG_DB=/var/lib/dbconfig-common/sqlite3/request-tracker5/rtdb
PRISTINE=/var/lib/request-tracker5/sd-test-pristine.rtdb
SITE=/etc/request-tracker5/RT_SiteConfig.d/99-sd-test.pm
BASE=http://127.0.0.1:$RT_PORT

say() { echo "rt-setup: $*" >&2; }
answers() { [ "$(curl -s -o /dev/null -m 10 -u root:password -w '%{http_code}' "$BASE/REST/2.0/rt")" = 200 ]; }

stop() {
  [ -f "$RT_DIR/rt-server.pid" ] || return 0
  # The server runs in its own session (setsid): signal the whole group, runuser and Starlet workers.
  kill -TERM -- "-$(cat "$RT_DIR/rt-server.pid")" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 -- "-$(cat "$RT_DIR/rt-server.pid")" 2>/dev/null || break; sleep 0.25; done
  rm -f "$RT_DIR/rt-server.pid"
}

if [ "${1:-}" = stop ]; then stop; exit 0; fi
[ "$(id -u)" = 0 ] || { say "must run as root (it installs packages and runs RT as www-data)"; exit 1; }

if answers; then
  echo "RT already answering at $BASE (user root, password password)"
  exit 0
fi

installed() { dpkg-query -W -f='${Status}\n' request-tracker5 rt5-db-sqlite 2>/dev/null | grep -c '^install ok installed$' | grep -qx 2; }
if ! installed; then
  T0=$(date +%s)
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -q >/tmp/sd-rt-apt.log 2>&1
  # dbconfig-common creates and initialises the SQLite database during postinst.
  debconf-set-selections <<EOF
request-tracker5 request-tracker5/rtname string rt.local
request-tracker5 request-tracker5/organization string example.test
request-tracker5 request-tracker5/correspondaddress string rt@example.test
request-tracker5 request-tracker5/commentaddress string rt-comment@example.test
request-tracker5 request-tracker5/webbaseurl string http://127.0.0.1
request-tracker5 request-tracker5/webpath string /rt
request-tracker5 request-tracker5/handle-siteconfig-permissions boolean true
request-tracker5 request-tracker5/install-cronjobs boolean false
request-tracker5 request-tracker5/initial-root-password password password
request-tracker5 request-tracker5/dbconfig-install boolean true
request-tracker5 request-tracker5/database-type select sqlite3
EOF
  # No daemon starts: this image has no systemd and its policy-rc.d refuses.
  if ! apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends \
      request-tracker5 rt5-db-sqlite rt5-standalone >>/tmp/sd-rt-apt.log 2>&1; then
    say "apt-get install request-tracker5 failed; see /tmp/sd-rt-apt.log"; exit 1
  fi
  say "installed request-tracker5 in $(( $(date +%s) - T0 ))s"
fi

# Every instance reads its port and files from the environment rt-server is started with.
cat > "$SITE" <<'EOF'
# Written by SD's test/foreign/rt/rt-setup.sh: one RT per port, each with its own database.
Set($WebPath, "");
Set($WebDomain, "127.0.0.1");
Set($WebPort, $ENV{SD_RT_PORT} || 80);
Set($WebBaseURL, "http://127.0.0.1:" . ($ENV{SD_RT_PORT} || 80));
if ($ENV{SD_RT_DIR}) {
    Set($DatabaseName, "$ENV{SD_RT_DIR}/rtdb");
    Set($MasonDataDir, "$ENV{SD_RT_DIR}/mason");
    Set($MasonSessionDir, "$ENV{SD_RT_DIR}/sessions");
}
# Small enough for a test to exceed; RT then drops the file and records an AttachmentDrop transaction.
Set($MaxAttachmentSize, $ENV{SD_RT_MAX_ATTACHMENT} || 1024 * 1024);
Set($DropLongAttachments, 1);
Set($MailCommand, "testfile");
Set($LogToSyslog, undef);
Set($LogToSTDERR, "warning");
1;
EOF
chown root:www-data "$SITE" /etc/request-tracker5/RT_SiteConfig.pm
chmod 640 "$SITE" /etc/request-tracker5/RT_SiteConfig.pm

[ -f "$PRISTINE" ] || cp -p "$PKG_DB" "$PRISTINE"
stop
if [ "${RT_FRESH:-0}" = 1 ]; then rm -rf "$RT_DIR"; fi
mkdir -p "$RT_DIR/mason" "$RT_DIR/sessions"
if [ ! -f "$RT_DIR/rtdb" ]; then
  cp "$PRISTINE" "$RT_DIR/rtdb"
fi
chown -R www-data:www-data "$RT_DIR"
chmod 700 "$RT_DIR"

RT_ENV=(SD_RT_PORT="$RT_PORT" SD_RT_DIR="$RT_DIR" SD_RT_MAX_ATTACHMENT="${RT_MAX_ATTACHMENT:-1048576}")
as_rt() { runuser -u www-data -- env "${RT_ENV[@]}" "$@"; }
# The test fixtures RT needs that REST2 cannot make: custom fields, a scrip, users (idempotent).
# On standard input: www-data may not be able to read the checkout (a clone under a 0700 directory).
as_rt perl - < "$HERE/rt-fixtures.pl" >&2

# setsid: its own process group, so stop can end runuser and every Starlet worker at once.
setsid runuser -u www-data -- env "${RT_ENV[@]}" \
  /usr/share/request-tracker5/libexec/rt-server --listen "127.0.0.1:$RT_PORT" --max-workers 2 \
  >"$RT_DIR/rt-server.log" 2>&1 </dev/null &
echo $! > "$RT_DIR/rt-server.pid"

T1=$(date +%s)
until answers; do
  if ! kill -0 "$(cat "$RT_DIR/rt-server.pid")" 2>/dev/null; then
    say "rt-server exited; its log:"; tail -20 "$RT_DIR/rt-server.log" >&2; exit 1
  fi
  if [ $(( $(date +%s) - T1 )) -ge "$RT_WAIT" ]; then
    say "RT not answering at $BASE after ${RT_WAIT}s; log in $RT_DIR/rt-server.log"; stop; exit 1
  fi
  sleep 0.5
done
echo "RT answering at $BASE after $(( $(date +%s) - T1 ))s (user root, password password; pid file $RT_DIR/rt-server.pid)"
