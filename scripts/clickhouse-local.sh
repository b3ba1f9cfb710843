#!/usr/bin/env bash
# A private ClickHouse server for tests and benchmarks: its own ports and data folder, never the
# system service. Installs Debian's clickhouse-server with apt when it is absent.
#
#   scripts/clickhouse-local.sh start [DIR] [HTTP_PORT]   prints the HTTP URL once it answers
#   scripts/clickhouse-local.sh stop  [DIR]
#   scripts/clickhouse-local.sh ensure                    installs only; exit 1 if impossible
#
# DIR defaults to .data/clickhouse-test; HTTP_PORT to 18123 (native port = HTTP_PORT + 1,
# interserver port = HTTP_PORT + 2). A server already answering for DIR is reused.
set -euo pipefail
cd "$(dirname "$0")/.."

cmd="${1:-start}"
dir="$(realpath -m "${2:-.data/clickhouse-test}")"
http_port="${3:-18123}"

find_server() {
  for b in /usr/sbin/clickhouse-server /usr/bin/clickhouse-server /usr/bin/clickhouse; do
    [ -x "$b" ] && { echo "$b"; return 0; }
  done
  command -v clickhouse-server 2>/dev/null || return 1
}

ensure() {
  find_server >/dev/null && return 0
  command -v apt-get >/dev/null || { echo "clickhouse-server is not installed and apt-get is unavailable" >&2; return 1; }
  [ "$(id -u)" = 0 ] || { echo "clickhouse-server is not installed and installing it needs root" >&2; return 1; }
  echo "installing clickhouse-server from apt" >&2
  (apt-get install -y -qq clickhouse-server >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clickhouse-server >/dev/null 2>&1; }) ||
    { echo "apt-get install clickhouse-server failed" >&2; return 1; }
  # The package's own service is not ours to run.
  (command -v systemctl >/dev/null && systemctl disable --now clickhouse-server >/dev/null 2>&1) || true
  find_server >/dev/null
}

answers() { curl -sf -m 1 "http://127.0.0.1:$1/?query=SELECT%201" >/dev/null 2>&1; }

start() {
  ensure
  local server; server="$(find_server)"
  mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/format_schemas" "$dir/log"
  if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null && answers "$(cat "$dir/port")"; then
    echo "http://127.0.0.1:$(cat "$dir/port")"
    return 0
  fi
  cat >"$dir/users.xml" <<'XML'
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
    <profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
  cat >"$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$dir/log/server.log</log><errorlog>$dir/log/error.log</errorlog><size>50M</size><count>2</count></logger>
  <http_port>$http_port</http_port>
  <tcp_port>$((http_port + 1))</tcp_port>
  <interserver_http_port>$((http_port + 2))</interserver_http_port>
  <listen_host>127.0.0.1</listen_host>
  <path>$dir/data/</path>
  <tmp_path>$dir/tmp/</tmp_path>
  <user_files_path>$dir/user_files/</user_files_path>
  <format_schema_path>$dir/format_schemas/</format_schema_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
</yandex>
XML
  "$server" --config-file="$dir/config.xml" >"$dir/log/stdout.log" 2>&1 &
  echo $! >"$dir/pid"
  echo "$http_port" >"$dir/port"
  for _ in $(seq 1 200); do
    if answers "$http_port"; then echo "http://127.0.0.1:$http_port"; return 0; fi
    kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "clickhouse-server did not start; see $dir/log/" >&2
  tail -5 "$dir/log/error.log" "$dir/log/stdout.log" >&2 2>/dev/null || true
  return 1
}

stop() {
  [ -f "$dir/pid" ] || return 0
  local pid; pid="$(cat "$dir/pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/pid"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  ensure) ensure ;;
  *) echo "usage: $0 start|stop|ensure [DIR] [HTTP_PORT]" >&2; exit 2 ;;
esac
