#!/usr/bin/env bash
# Starts the machine's PostgreSQL (the Debian cluster, installed by debian-packages.sh where absent) and gives the
# tests a throwaway database of their own: role custody_test, database custody_test. Writes the URL the PostgreSQL tests
# read (the password included) to $CUSTODY_TEST_POSTGRES_FILE, by default ~/.config/custody/test-postgres.url,
# owner-only. The tests create one schema each in that database and drop it when done; they fail, never skip, when the
# URL is missing or the database cannot be reached. Run as root or with sudo; .ci/run runs it before the build.
# Idempotent: a running cluster, an existing role and database, and the password already written are kept, so that
# several checkouts' builds can share them.
set -euo pipefail

url_file=${CUSTODY_TEST_POSTGRES_FILE:-${XDG_CONFIG_HOME:-$HOME/.config}/custody/test-postgres.url}
as_root=()
as_postgres=(runuser -u postgres --)
if [ "$(id -u)" -ne 0 ]; then
    as_root=(sudo)
    as_postgres=(sudo -u postgres)
fi

if ! command -v pg_lsclusters >/dev/null; then
    echo "error: PostgreSQL is not installed; run tools/build/debian-packages.sh first" >&2
    exit 1
fi
cluster=$(pg_lsclusters --no-header | head -n 1)
if [ -z "$cluster" ]; then
    version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
    echo "creating the PostgreSQL $version cluster 'main'"
    "${as_root[@]}" pg_createcluster "$version" main
    cluster=$(pg_lsclusters --no-header | head -n 1)
fi
read -r version name port status _ <<<"$cluster"
if [ "$status" != "online" ]; then
    echo "starting PostgreSQL $version/$name on port $port"
    # without --skip-systemctl-redirect, pg_ctlcluster hands over to systemd, which this machine does not run
    "${as_root[@]}" pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start
fi
for _ in $(seq 1 30); do
    if "${as_postgres[@]}" psql -p "$port" -qAtc 'SELECT 1' >/dev/null 2>&1; then
        break
    fi
    sleep 1
done

password=
if [ -f "$url_file" ]; then
    password=$(sed -n 's|^postgresql://custody_test:\([^@]*\)@.*|\1|p' "$url_file")
fi
if [ -z "$password" ]; then
    password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
fi
"${as_postgres[@]}" psql -p "$port" -v ON_ERROR_STOP=1 -qAt -v pw="$password" >/dev/null <<'SQL'
SELECT format('CREATE ROLE custody_test LOGIN PASSWORD %L', :'pw')
    WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'custody_test') \gexec
SELECT format('ALTER ROLE custody_test LOGIN PASSWORD %L', :'pw') \gexec
SELECT 'CREATE DATABASE custody_test OWNER custody_test'
    WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'custody_test') \gexec
SQL
mkdir -p "$(dirname "$url_file")"
umask 077
printf 'postgresql://custody_test:%s@127.0.0.1:%s/custody_test\n' "$password" "$port" >"$url_file.tmp"
mv "$url_file.tmp" "$url_file"
echo "PostgreSQL $version on port $port: test database custody_test (URL in $url_file)"
