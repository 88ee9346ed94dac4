#!/usr/bin/env bash
# Brings up what the tests need on a Debian machine: MariaDB (127.0.0.1:3306, root, empty
# password), PostgreSQL (127.0.0.1:5432, trust) and victoria-metrics (127.0.0.1:8428, the
# InfluxDB 2 write API), and installs Chromium (/usr/bin/chromium, for the web UI's browser
# tests). Installs with apt-get what is missing. Idempotent: a service that already answers is
# left alone.
#   scripts/services.sh up|down|status
set -uo pipefail

VM_PORT="${FASTLANE_VM_PORT:-8428}"
VM_DATA="${FASTLANE_VM_DATA:-/var/lib/fastlane-victoria-metrics}"
VM_LOG=/var/log/fastlane-victoria-metrics.log
APT_UPDATED=0

log() { echo "services: $*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else log "need root for: $*"; return 1; fi
}

apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

wait_for() { # wait_for NAME CHECK...
  local name=$1; shift
  for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  log "$name did not come up"; return 1
}

mariadb_up() { mariadb -h 127.0.0.1 -P 3306 -u root -e 'SELECT 1' ; }
postgres_up() { pg_isready -h 127.0.0.1 -p 5432 && psql -h 127.0.0.1 -U postgres -d postgres -Atc 'SELECT 1'; }
vm_up() { curl -fsS "http://127.0.0.1:${VM_PORT}/health"; }

start_mariadb() {
  mariadb_up >/dev/null 2>&1 && return 0
  command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || apt_install mariadb-server mariadb-client
  as_root mkdir -p /run/mysqld && as_root chown mysql:mysql /run/mysqld
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  wait_for "MariaDB socket" mariadb -u root -e 'SELECT 1' || return 1
  # A fresh install lets root in by socket only: allow it on TCP with an empty password, as the tests expect.
  as_root mariadb -u root -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ''; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; FLUSH PRIVILEGES;" || true
  wait_for MariaDB mariadb_up
}

start_postgres() {
  postgres_up >/dev/null 2>&1 && return 0
  command -v pg_ctlcluster >/dev/null || apt_install postgresql postgresql-client
  local version; version=$(ls /etc/postgresql | sort -V | tail -1)
  local hba="/etc/postgresql/${version}/main/pg_hba.conf"
  # Trust local connections, as the tests expect (a fresh install asks for passwords on TCP).
  if ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nlocal all all trust' "$hba"
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  wait_for PostgreSQL postgres_up
}

start_vm() {
  vm_up >/dev/null 2>&1 && return 0
  command -v victoria-metrics >/dev/null || apt_install victoria-metrics
  command -v curl >/dev/null || apt_install curl
  as_root mkdir -p "$VM_DATA"
  # The default retention (1 month) silently drops older points: keep everything.
  as_root start-stop-daemon --start --oknodo --background --make-pidfile --pidfile /run/fastlane-victoria-metrics.pid \
    --exec "$(command -v victoria-metrics)" -- -storageDataPath="$VM_DATA" -httpListenAddr="127.0.0.1:${VM_PORT}" -retentionPeriod=100y -loggerOutput=stderr
  wait_for victoria-metrics vm_up
}

# Debian's chromium, driven by playwright-core; a font, so pages render text in screenshots.
install_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  apt_install chromium fonts-dejavu-core
}

status() {
  local rc=0
  for s in mariadb postgres vm; do
    if "${s}_up" >/dev/null 2>&1; then echo "$s: up"; else echo "$s: down"; rc=1; fi
  done
  if [ -x /usr/bin/chromium ]; then echo "chromium: installed"; else echo "chromium: missing"; rc=1; fi
  return $rc
}

case "${1:-up}" in
  up)
    command -v curl >/dev/null || apt_install curl
    start_mariadb && start_postgres && start_vm && install_chromium && status ;;
  down)
    as_root start-stop-daemon --stop --oknodo --pidfile /run/fastlane-victoria-metrics.pid >/dev/null 2>&1
    log "victoria-metrics stopped; MariaDB and PostgreSQL are left running (the machine's own services)" ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
