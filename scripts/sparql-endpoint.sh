#!/usr/bin/env bash
# Starts / stops a throw-away Virtuoso SPARQL 1.1 server on loopback for tests (query, update, Graph Store Protocol).
#
#   scripts/sparql-endpoint.sh start [STATE_DIR]   # prints the endpoint URL (http://127.0.0.1:PORT/sparql) on stdout
#   scripts/sparql-endpoint.sh stop  [STATE_DIR]   # shuts the server down cleanly, removes its files from STATE_DIR
#   scripts/sparql-endpoint.sh status [STATE_DIR]  # exit 0 when running (prints the URL), 1 when not
#
# STATE_DIR (default ${TMPDIR:-/tmp}/pe-trace-virtuoso) holds a fresh database, the generated virtuoso.ini, the
# log and the pid; nothing outside it is touched. Ports: PE_TRACE_VIRTUOSO_HTTP_PORT (default 18890) and
# PE_TRACE_VIRTUOSO_SQL_PORT (default 11111), both bound to 127.0.0.1 only. Needs Debian's
# `virtuoso-opensource` package (virtuoso-t, isql-vt) and node. The SPARQL user may update (SPARQL_UPDATE granted)
# and write through the Graph Store Protocol at http://127.0.0.1:PORT/sparql-graph-crud — acceptable only
# because the server is loopback-only and lives for one test run.
set -euo pipefail

cmd="${1:-}"
state="${2:-${TMPDIR:-/tmp}/pe-trace-virtuoso}"
http_port="${PE_TRACE_VIRTUOSO_HTTP_PORT:-18890}"
sql_port="${PE_TRACE_VIRTUOSO_SQL_PORT:-11111}"
url="http://127.0.0.1:${http_port}/sparql"

die() { echo "sparql-endpoint: $*" >&2; exit 1; }

isql() { isql-vt "127.0.0.1:${sql_port}" dba dba "$@"; }

running() {
  [[ -f "$state/virtuoso.pid" ]] && kill -0 "$(cat "$state/virtuoso.pid")" 2>/dev/null
}

write_ini() {
  local vad=/usr/share/virtuoso-opensource-7/vad
  cat >"$state/virtuoso.ini" <<EOF
[Database]
DatabaseFile       = $state/db/virtuoso.db
ErrorLogFile       = $state/virtuoso.log
LockFile           = $state/db/virtuoso.lck
TransactionFile    = $state/db/virtuoso.trx
xa_persistent_file = $state/db/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $state/db/virtuoso-temp.db
TransactionFile    = $state/db/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:${sql_port}
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 10
CheckpointInterval       = 0
CaseMode                 = 2
AllowOSCalls             = 0
DirsAllowed              = ., $state, $vad
NumberOfBuffers          = 20000
MaxDirtyBuffers          = 15000
MaxQueryMem              = 1G
ThreadsPerQuery          = 2

[HTTPServer]
ServerPort                  = 127.0.0.1:${http_port}
ServerRoot                  = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections        = 10
ServerThreads               = 10
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
Charset                     = UTF-8
EnabledGzipContent          = 0

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 120
DefaultQuery               = ASK {}

[Plugins]
LoadPath = /usr/lib/x86_64-linux-gnu/virtuoso-opensource-7/hosting
EOF
}

start() {
  command -v virtuoso-t >/dev/null || die "virtuoso-t not found: apt-get install -y virtuoso-opensource"
  command -v isql-vt >/dev/null || die "isql-vt not found: apt-get install -y virtuoso-opensource"
  if running; then echo "$url"; return 0; fi
  # Only ever wipe a state folder this script made (it holds our virtuoso.ini) or an empty one.
  if [[ -d "$state" && -n "$(ls -A "$state")" && ! -f "$state/virtuoso.ini" ]]; then die "$state is not empty and not a state folder of this script"; fi
  rm -rf "$state"
  mkdir -p "$state/db"
  write_ini
  # +foreground keeps the server our child, so the pid we record is the server's own.
  (cd "$state" && exec virtuoso-t +configfile "$state/virtuoso.ini" +foreground >"$state/stdout.log" 2>&1) &
  echo $! >"$state/virtuoso.pid"
  local i
  for i in $(seq 1 120); do
    if ! running; then cat "$state/virtuoso.log" >&2 2>/dev/null || true; die "virtuoso exited during start-up (log above)"; fi
    if isql 'exec=status();' >/dev/null 2>&1; then break; fi
    sleep 0.5
  done
  isql 'exec=status();' >/dev/null 2>&1 || die "virtuoso did not accept SQL connections on 127.0.0.1:${sql_port}"
  # Writes over HTTP: the anonymous SPARQL user may run SPARQL Update and the Graph Store Protocol, and has
  # read/write permission on every graph (loopback-only, throw-away database).
  isql >"$state/grants.log" 2>&1 <<'SQL'
GRANT SPARQL_UPDATE TO "SPARQL";
GRANT EXECUTE ON DB.DBA.SPARQL_INSERT_DICT_CONTENT TO "SPARQL";
GRANT EXECUTE ON DB.DBA.SPARQL_DELETE_DICT_CONTENT TO "SPARQL";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);
SQL
  for i in $(seq 1 60); do
    # node is always there (the project needs it); curl may not be.
    if node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "${url}?query=ASK%20%7B%7D" 2>/dev/null; then echo "$url"; return 0; fi
    sleep 0.5
  done
  die "virtuoso's HTTP listener did not answer at $url"
}

stop() {
  if running; then
    local pid
    pid="$(cat "$state/virtuoso.pid")"
    # A clean shutdown (checkpoint, close files); SIGTERM as the fallback, SIGKILL only if it hangs.
    isql 'exec=shutdown();' >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; sleep 2; fi
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  # Remove the database only from a folder this script made; keep anything else's.
  if [[ -f "$state/virtuoso.ini" ]]; then rm -rf "$state/db" "$state/virtuoso.ini" "$state/virtuoso.pid" "$state/"*.log; rmdir "$state" 2>/dev/null || true; fi
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) if running; then echo "$url"; else exit 1; fi ;;
  *) die "usage: $0 start|stop|status [STATE_DIR]" ;;
esac
