#!/usr/bin/env bash
# with-postgres.sh — run a command against a private, throwaway PostgreSQL server.
#
# Usage:
#   scripts/with-postgres.sh COMMAND [ARGS...]
#
# Starts a fresh PostgreSQL cluster in a new temporary directory, listening
# only on 127.0.0.1 on a free TCP port, runs COMMAND with the variables below
# in its environment, then stops the server and deletes all of its data (also
# when COMMAND fails or the script is interrupted). Exits with COMMAND's status.
#
# Exported to COMMAND:
#   MLP_TEST_POSTGRES_URL   postgres://mlp:mlp@127.0.0.1:PORT/mlp_test
#                           (role mlp: LOGIN SUPERUSER, password mlp; database
#                           mlp_test owned by mlp)
#   MLP_TEST_POSTGRES_DATA  the cluster's data directory
#   MLP_TEST_POSTGRES_SOCKET_DIR  the directory of its unix socket (local
#                           connections are trusted), for URLs like
#                           postgres://mlp@/mlp_test?host=DIR&port=PORT
#   MLP_TEST_POSTGRES_CA    a throwaway CA (PEM) that signed the server's
#                           certificate; the server has ssl = on and its
#                           certificate names DNS:localhost only (so
#                           sslmode=verify-full passes for host localhost and
#                           fails for 127.0.0.1). TCP takes both TLS and plain
#                           connections. Unset when openssl is missing.
#   MLP_TEST_POSTGRES_CTL   path of a pg_ctl wrapper with -D, -l, -w already
#                           given and run as the right user, e.g.
#                             $MLP_TEST_POSTGRES_CTL restart
#                             $MLP_TEST_POSTGRES_CTL stop -m immediate
#                             $MLP_TEST_POSTGRES_CTL start
#                           All settings (port, sockets, ...) live in the
#                           cluster's postgresql.conf, so the server always
#                           comes back with the same ones.
#
# Optional input:
#   MLP_TEST_POSTGRES_AUTH  authentication for TCP connections: trust (default),
#                           md5 or scram-sha-256. With trust the password in the
#                           URL is simply not asked for.
#
# The server binaries come from the newest /usr/lib/postgresql/*/bin (Debian
# packages); if none are installed, the `postgresql` package is installed with
# apt-get. When run as root, the server runs as the `postgres` system user
# (initdb refuses root); otherwise it runs as the invoking user.
#
# Ctrl-C (SIGINT to the process group) stops the command and cleans up. Like
# any shell wrapper, a SIGTERM/SIGHUP sent to this script alone takes effect
# once COMMAND has exited; signal the whole process group to stop both.
#
# Example:
#   scripts/with-postgres.sh bash -c 'psql "$MLP_TEST_POSTGRES_URL" -c "select 1"'

set -euo pipefail

me=with-postgres
auth=${MLP_TEST_POSTGRES_AUTH:-trust}
case $auth in
  trust | md5 | scram-sha-256) ;;
  *)
    echo "$me: MLP_TEST_POSTGRES_AUTH must be trust, md5 or scram-sha-256 (got '$auth')" >&2
    exit 2
    ;;
esac

if [[ $# -eq 0 ]]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

# --- locate (or install) the server binaries -------------------------------

find_bindir() {
  local dir best=""
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x $dir/initdb && -x $dir/pg_ctl && -x $dir/postgres ]] || continue
    if [[ -z $best ]] || [[ $(printf '%s\n%s\n' "$best" "$dir" | sort -V | tail -n 1) == "$dir" ]]; then
      best=$dir
    fi
  done
  printf '%s' "$best"
}

bindir=$(find_bindir)
if [[ -z $bindir ]]; then
  echo "$me: no PostgreSQL server found, installing the 'postgresql' package" >&2
  sudo=()
  if [[ $EUID -ne 0 ]]; then
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  bindir=$(find_bindir)
  if [[ -z $bindir ]]; then
    echo "$me: PostgreSQL server binaries still not found under /usr/lib/postgresql/*/bin" >&2
    exit 1
  fi
fi

psql_bin=$bindir/psql
[[ -x $psql_bin ]] || psql_bin=$(command -v psql)
isready_bin=$bindir/pg_isready
[[ -x $isready_bin ]] || isready_bin=$(command -v pg_isready)

# Who runs the server: the postgres system user when we are root.
as_server=()
server_user=$(id -un)
if [[ $EUID -eq 0 ]]; then
  as_server=(runuser -u postgres --)
  server_user=postgres
fi

# --- temporary directory and cleanup ----------------------------------------

if [[ $EUID -eq 0 ]]; then
  # Must be reachable by the postgres user, whatever TMPDIR says.
  tmp=$(mktemp -d /tmp/with-postgres.XXXXXXXX)
  chown postgres: "$tmp"
else
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/with-postgres.XXXXXXXX")
fi
chmod 700 "$tmp"

data=$tmp/data
log=$tmp/server.log
ctl=$tmp/pg_ctl

# Run a server-side program as the server user, from a directory it can read.
server_run() {
  (cd "$tmp" && "${as_server[@]}" "$@")
}

# shellcheck disable=SC2317  # only reached from the EXIT trap
server_pid() {
  local pid=""
  if [[ -f $data/postmaster.pid ]]; then
    read -r pid <"$data/postmaster.pid" || true
  fi
  [[ $pid =~ ^[0-9]+$ ]] && printf '%s' "$pid"
}

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  local rc=$? pid i
  trap - EXIT INT TERM HUP
  trap '' PIPE
  if pid=$(server_pid); then
    server_run "$bindir/pg_ctl" -D "$data" -s -w -t 30 -m immediate stop >/dev/null 2>&1 || true
    # Last resort: the postmaster we started refuses to go away.
    if pid=$(server_pid) && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == postgres ]]; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$tmp"
  # pg_ctl daemonizes the postmaster, so init reaps it, not us, and some inits
  # only do that every second or so. Give exited postmasters (zombies) a few
  # seconds to disappear, so nothing of ours is visible after we return.
  if command -v pgrep >/dev/null 2>&1; then
    for ((i = 0; i < 50; i++)); do
      pgrep -u "$server_user" -r Z -x postgres >/dev/null 2>&1 || break
      sleep 0.1
    done
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

show_log() {
  echo "$me: $1; last lines of the server log:" >&2
  tail -n 50 "$log" >&2 2>/dev/null || true
}

# --- create the cluster ---------------------------------------------------

if ! server_run "$bindir/initdb" -D "$data" -U postgres --auth=trust --no-locale -E UTF8 --no-sync \
  >"$tmp/initdb.log" 2>&1; then
  echo "$me: initdb failed:" >&2
  cat "$tmp/initdb.log" >&2
  exit 1
fi

# Quote a value for postgresql.conf.
conf_quote() {
  printf "'%s'" "${1//\'/\'\'}"
}

{
  echo
  echo "# --- added by scripts/with-postgres.sh ---"
  echo "listen_addresses = '127.0.0.1'"
  echo "unix_socket_directories = $(conf_quote "$tmp")"
  echo "max_connections = 300"
  echo "fsync = off"
  echo "synchronous_commit = off"
  echo "full_page_writes = off"
  if [[ $auth == md5 ]]; then
    echo "password_encryption = 'md5'"
  else
    echo "password_encryption = 'scram-sha-256'"
  fi
} >>"$data/postgresql.conf"

# Local socket connections are always trusted (only the server user and root
# can reach the socket directory); TCP on loopback uses the chosen method,
# with TLS (hostssl) and without (hostnossl): the tests try both.
cat >"$data/pg_hba.conf" <<EOF
local     all all trust
hostssl   all all 127.0.0.1/32 $auth
hostnossl all all 127.0.0.1/32 $auth
EOF
chown --reference="$data/postgresql.conf" "$data/pg_hba.conf"

# --- TLS: a throwaway CA and a server certificate it signed ------------------
#
# The certificate names DNS:localhost and no IP address, so that verify-full
# can be seen to check the host name. The CA's key never leaves $tmp.

ca=""
if command -v openssl >/dev/null 2>&1; then
  ca=$tmp/ca.crt
  if ! {
    openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
      -keyout "$tmp/ca.key" -out "$ca" -days 2 -subj "/CN=with-postgres throwaway CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" &&
      openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
        -keyout "$data/server.key" -out "$tmp/server.csr" -subj "/CN=localhost" &&
      openssl x509 -req -in "$tmp/server.csr" -CA "$ca" -CAkey "$tmp/ca.key" -set_serial "0x$(openssl rand -hex 8)" \
        -days 2 -out "$data/server.crt" -extfile <(printf '%s\n' "subjectAltName=DNS:localhost" \
          "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth")
  } >"$tmp/openssl.log" 2>&1; then
    echo "$me: making the TLS certificates failed:" >&2
    cat "$tmp/openssl.log" >&2
    exit 1
  fi
  # The server refuses a key others can read.
  chmod 600 "$data/server.key"
  chown --reference="$data/postgresql.conf" "$data/server.key" "$data/server.crt"
  chmod 644 "$ca"
  {
    echo "ssl = on"
    echo "ssl_cert_file = 'server.crt'"
    echo "ssl_key_file = 'server.key'"
  } >>"$data/postgresql.conf"
else
  echo "$me: openssl not found: the server runs without TLS and MLP_TEST_POSTGRES_CA is not set" >&2
fi

# --- the pg_ctl wrapper handed to the command ------------------------------

{
  echo '#!/usr/bin/env bash'
  echo '# pg_ctl for the throwaway cluster of scripts/with-postgres.sh'
  echo 'set -euo pipefail'
  printf 'cd %q\n' "$tmp"
  printf 'exec'
  printf ' %q' "${as_server[@]}" "$bindir/pg_ctl" -D "$data" -l "$log" -s -w -t 30
  printf ' "$@"\n'
} >"$ctl"
chmod 755 "$ctl"

# --- start it on a free port -------------------------------------------------

free_port() {
  if command -v python3 >/dev/null 2>&1 &&
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' 2>/dev/null; then
    return 0
  fi
  local p
  for ((p = 54320; p < 54320 + 1000; p++)); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      printf '%s\n' "$p"
      return 0
    fi
  done
  return 1
}

port=""
for attempt in 1 2 3 4 5; do
  if ! port=$(free_port); then
    echo "$me: no free TCP port found" >&2
    exit 1
  fi
  # The last `port` line in postgresql.conf wins.
  echo "port = $port" >>"$data/postgresql.conf"
  if "$ctl" start >/dev/null 2>&1; then
    break
  fi
  # Lost a race for the port? Try another one; otherwise give up.
  if [[ $attempt -lt 5 ]] && grep -q 'could not bind\|Address already in use' "$log" 2>/dev/null; then
    server_run "$bindir/pg_ctl" -D "$data" -s -m immediate stop >/dev/null 2>&1 || true
    continue
  fi
  show_log "the server did not start"
  exit 1
done

ready=""
for ((i = 0; i < 300; i++)); do
  if "$isready_bin" -q -h 127.0.0.1 -p "$port" -d postgres -t 1 >/dev/null 2>&1; then
    ready=1
    break
  fi
  sleep 0.1
done
if [[ -z $ready ]]; then
  show_log "the server does not accept connections on 127.0.0.1:$port after 30 s"
  exit 1
fi

if ! "$psql_bin" -X -q -v ON_ERROR_STOP=1 -h "$tmp" -p "$port" -U postgres -d postgres \
  -c "CREATE ROLE mlp LOGIN SUPERUSER PASSWORD 'mlp'" \
  -c "CREATE DATABASE mlp_test OWNER mlp" >"$tmp/setup.log" 2>&1; then
  echo "$me: creating role mlp / database mlp_test failed:" >&2
  cat "$tmp/setup.log" >&2
  show_log "setup failed"
  exit 1
fi

version=$("$bindir/postgres" --version | sed 's/^.*(PostgreSQL) //')
echo "$me: PostgreSQL $version on 127.0.0.1:$port" >&2

# --- run the command -------------------------------------------------------

export MLP_TEST_POSTGRES_URL="postgres://mlp:mlp@127.0.0.1:$port/mlp_test"
export MLP_TEST_POSTGRES_DATA=$data
export MLP_TEST_POSTGRES_SOCKET_DIR=$tmp
export MLP_TEST_POSTGRES_CTL=$ctl
if [[ -n $ca ]]; then
  export MLP_TEST_POSTGRES_CA=$ca
fi

# The command gets our stderr; bash's own "Terminated"-style notices about it
# go to /dev/null, so a vanished stderr (closed pipe) cannot kill this script
# before it has cleaned up.
status=0
exec {stderr}>&2
{ "$@" 2>&"$stderr" {stderr}>&-; } 2>/dev/null || status=$?
exec {stderr}>&-
exit "$status"
