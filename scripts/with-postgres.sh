#!/usr/bin/env bash
# Run CMD... with PLUGBOARD_TEST_POSTGRES_URL pointing at a throwaway PostgreSQL 15 cluster on a
# free loopback port. The cluster runs as the `postgres` user (PostgreSQL refuses root) and is
# always stopped and removed, whatever CMD does. Installs Debian's `postgresql` if it is missing.
set -euo pipefail
if [ "$#" -eq 0 ]; then
    echo "usage: scripts/with-postgres.sh CMD [ARGS...]" >&2
    exit 2
fi
B=/usr/lib/postgresql/15/bin
if [ ! -x "$B/pg_ctl" ]; then
    echo "with-postgres: installing postgresql (Debian package)" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
fi
AS_PG=()
if [ "$(id -u)" -eq 0 ]; then AS_PG=(runuser -u postgres --); fi
D=$(mktemp -d /tmp/pb-pg.XXXXXX)
chmod 755 "$D"
[ "$(id -u)" -eq 0 ] && chown postgres "$D"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
cleanup() {
    "${AS_PG[@]}" "$B/pg_ctl" -D "$D/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$D"
}
trap cleanup EXIT INT TERM
"${AS_PG[@]}" "$B/initdb" -D "$D/data" -A trust -U postgres >/dev/null
"${AS_PG[@]}" "$B/pg_ctl" -D "$D/data" \
    -o "-p $PORT -k $D -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
    -l "$D/log" -w start >/dev/null
export PLUGBOARD_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
echo "with-postgres: PostgreSQL 15 on 127.0.0.1:$PORT" >&2
set +e
"$@"
status=$?
set -e
exit $status
