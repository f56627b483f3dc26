#!/usr/bin/env bash
# Guardino Hub on one Debian/Ubuntu server, as root:
#
#   ./install.sh [--domain hub.example.com] [--email you@example.com] [--dir /opt/guardino]
#                [--port 3000] [--admin-user admin] [--admin-password '…'] [--dry-run]
#
# Installs Node.js 20 and PostgreSQL, creates the database, the secrets and a system user, installs
# and builds the app from this checkout, creates the first admin, writes the systemd unit and, with
# --domain, Caddy in front for TLS. Run it again to upgrade: secrets, database and admin are kept,
# the code is replaced and rebuilt, and the restart migrates (after a backup, scripts/start.ts).
# --dry-run prints every step and changes nothing (no root needed): CI runs it (tests/install).
# Without systemd as PID 1 (a container) the hub runs in the background instead (decision 025).
#
# Backups need no timer: the worker takes one daily at 03:00 Tehran (worker/crontab) into
# BACKUP_DIR. Node: the distribution's package when it is ≥ 20.19 (Debian 13, Ubuntu 24.10+);
# otherwise (Debian 12 and Ubuntu 24.04 ship 18) the official tarball from nodejs.org, checked
# against its SHASUMS256.txt. This is the operator's OS setup, like apt: the app itself still
# downloads nothing outside the npm registry at install or run time.
set -euo pipefail

NODE_VERSION="${GUARDINO_NODE_VERSION:-20.20.2}"
NODE_MIN="20.19"
APP_USER="guardino"
APP_DIR="/opt/guardino"
DATA_DIR="/var/lib/guardino"
ENV_FILE="${GUARDINO_ENV_FILE:-/etc/guardino/guardino.env}"
UNIT_FILE="/etc/systemd/system/guardino.service"
# Without systemd as PID 1 (a container): the hub runs in the background, its pid and log here.
PID_FILE="/run/guardino.pid"
LOG_DIR="/var/log/guardino"
CADDYFILE="/etc/caddy/Caddyfile"
DB_NAME="guardino"
DB_USER="guardino"
PORT="3000"
DOMAIN=""
EMAIL=""
ADMIN_USER="admin"
ADMIN_PASSWORD=""
DRY_RUN=0
SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STEP=0

usage() { sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
	case "$1" in
		--domain) DOMAIN="${2:?--domain needs a value}"; shift 2 ;;
		--email) EMAIL="${2:?--email needs a value}"; shift 2 ;;
		--dir) APP_DIR="${2:?--dir needs a value}"; shift 2 ;;
		--port) PORT="${2:?--port needs a value}"; shift 2 ;;
		--admin-user) ADMIN_USER="${2:?--admin-user needs a value}"; shift 2 ;;
		--admin-password) ADMIN_PASSWORD="${2:?--admin-password needs a value}"; shift 2 ;;
		--dry-run) DRY_RUN=1; shift ;;
		-h | --help) usage; exit 0 ;;
		*) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
	esac
done

# Values that end up in a config file or a shell command are checked here, once.
[[ "$PORT" =~ ^[0-9]{2,5}$ ]] || { echo "--port: a number" >&2; exit 2; }
[[ -z "$DOMAIN" || "$DOMAIN" =~ ^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$ ]] || { echo "--domain: a host name like hub.example.com" >&2; exit 2; }
[[ -z "$EMAIL" || "$EMAIL" =~ ^[^[:space:]@]+@[^[:space:]@]+$ ]] || { echo "--email: an address" >&2; exit 2; }
[[ "$ADMIN_USER" =~ ^[a-zA-Z0-9_.-]{3,32}$ ]] || { echo "--admin-user: 3–32 letters, digits, _ . -" >&2; exit 2; }
[[ -z "$ADMIN_PASSWORD" || ${#ADMIN_PASSWORD} -ge 10 ]] || { echo "--admin-password: at least 10 characters" >&2; exit 2; }
[[ "$APP_DIR" == /* ]] || { echo "--dir: an absolute path" >&2; exit 2; }

step() { STEP=$((STEP + 1)); printf '\n==> [%d] %s\n' "$STEP" "$*"; }
note() { printf '    %s\n' "$*"; }

# Every change goes through run (a command) or put (a file): in a dry run they only print.
run() {
	printf '    $ %s\n' "$*"
	[ "$DRY_RUN" = 1 ] || "$@"
}
as_app() { run runuser -u "$APP_USER" -- env HOME="$APP_DIR" "$@"; }
# put PATH MODE OWNER < content (a secret file's content is never printed)
put() {
	local path="$1" mode="$2" owner="$3" content
	content="$(cat)"
	printf '    write %s (%s %s)\n' "$path" "$mode" "$owner"
	if [ "$DRY_RUN" = 1 ]; then
		[[ "$path" == "$ENV_FILE" ]] && content="$(sed -E 's/^(SESSION_SECRET|MASTER_KEY|DATABASE_URL|BACKUP_PASSPHRASE)=.+/\1=<secret>/' <<<"$content")"
		while IFS= read -r line; do printf '    | %s\n' "$line"; done <<<"$content"
		return
	fi
	install -d -m 0755 "$(dirname "$path")"
	local tmp
	tmp="$(mktemp "$(dirname "$path")/.guardino.XXXXXX")"
	printf '%s\n' "$content" >"$tmp"
	chmod "$mode" "$tmp"
	chown "$owner" "$tmp"
	mv -f "$tmp" "$path"
}

version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }
env_value() { if [ -r "$ENV_FILE" ]; then sed -n "s/^$1=//p" "$ENV_FILE" | tail -n1; fi; }
random_hex() { openssl rand -hex "$1" 2>/dev/null || head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
# from / : postgres may not enter the directory the operator ran the script in
psql_admin() { (cd / && runuser -u postgres -- psql -v ON_ERROR_STOP=1 -tA "$@"); }

# systemd is the first-class path (every VPS has it). A container has systemctl but no systemd as
# PID 1: `systemctl enable --now` fails there. GUARDINO_SYSTEMD=yes|no overrides the detection;
# a dry run describes the systemd path unless told otherwise.
case "${GUARDINO_SYSTEMD:-auto}" in
	yes) SYSTEMD=1 ;;
	no) SYSTEMD=0 ;;
	*) if [ -d /run/systemd/system ] || [ "$DRY_RUN" = 1 ]; then SYSTEMD=1; else SYSTEMD=0; fi ;;
esac

# PostgreSQL without systemd: postgresql-common's own tools start every cluster that is down.
start_postgres_clusters() {
	if [ "$DRY_RUN" = 1 ]; then
		run pg_ctlcluster "<version>" main start
		return
	fi
	local ver name status found=0
	while read -r ver name _ status _; do
		found=1
		if [ "$status" = online ]; then note "cluster $ver/$name is running"; else run pg_ctlcluster "$ver" "$name" start; fi
	done < <(pg_lsclusters -h)
	if [ "$found" = 0 ]; then
		# the package creates "main" when installed; an image built with create_main_cluster = false has none
		ver="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n1)"
		run pg_createcluster "$ver" main --start
	fi
}

# The unit's ExecStart as a background process of the app user, for a machine without systemd.
node_bin() { command -v node 2>/dev/null || echo /usr/local/bin/node; }
background_pid() { if [ -s "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then cat "$PID_FILE"; fi; }
stop_background() {
	local pid
	pid="$(background_pid)"
	[ -n "$pid" ] || return 0
	# SIGTERM drains the worker (scripts/start.ts); the unit allows 45 s (TimeoutStopSec)
	run kill -TERM "$pid"
	[ "$DRY_RUN" = 1 ] && return 0
	for _ in $(seq 1 45); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
	if kill -0 "$pid" 2>/dev/null; then run kill -KILL "$pid"; fi
	rm -f "$PID_FILE"
}
start_background() {
	printf '    $ runuser -u %s -- setsid %s --import tsx scripts/start.ts (env %s, cwd %s) >>%s/guardino.log &\n' "$APP_USER" "$(node_bin)" "$ENV_FILE" "$APP_DIR" "$LOG_DIR"
	[ "$DRY_RUN" = 1 ] && return
	install -d -o "$APP_USER" -g "$APP_USER" -m 0750 "$LOG_DIR"
	local pid
	# setsid: the hub outlives this shell and its terminal; its output goes to the log, so $(…) returns at once
	# shellcheck disable=SC2016 # the inner script expands its own positional arguments
	pid="$(runuser -u "$APP_USER" -- bash -c 'set -a && . "$1" && set +a && cd "$2" && { setsid "$3" --import tsx scripts/start.ts </dev/null >>"$4/guardino.log" 2>&1 & echo $!; }' _ "$ENV_FILE" "$APP_DIR" "$(node_bin)" "$LOG_DIR")"
	printf '%s\n' "$pid" >"$PID_FILE"
	note "started: pid $pid, log $LOG_DIR/guardino.log"
}

[ "$DRY_RUN" = 1 ] && echo "Dry run: every step is printed, nothing is changed."

step "Preflight: root, Debian or Ubuntu, systemd"
if [ "$DRY_RUN" = 0 ]; then
	[ "$(id -u)" = 0 ] || { echo "Run as root (sudo ./install.sh), or try --dry-run." >&2; exit 1; }
	# shellcheck disable=SC1091
	. /etc/os-release
	[[ " ${ID:-} ${ID_LIKE:-} " =~ \ (debian|ubuntu)\  ]] || { echo "Debian or Ubuntu only (found ${ID:-unknown})." >&2; exit 1; }
fi
if [ "$SYSTEMD" = 0 ]; then
	note "no systemd as PID 1 (a container?): PostgreSQL and the hub are started directly, the hub in the"
	note "background without restart on failure or at boot; on a server with systemd, the unit does that"
fi
note "source: $SOURCE_DIR → $APP_DIR, data: $DATA_DIR, env: $ENV_FILE"

step "Distribution packages: PostgreSQL, git, curl, openssl${DOMAIN:+, Caddy}"
packages=(ca-certificates curl openssl git rsync xz-utils postgresql)
[ -n "$DOMAIN" ] && packages+=(caddy)
run apt-get update -qq
run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}"
if [ "$SYSTEMD" = 1 ]; then run systemctl enable --now postgresql; else start_postgres_clusters; fi

step "Node.js ≥ $NODE_MIN"
current="$(node -v 2>/dev/null | tr -d v || true)"
candidate="$(apt-cache policy nodejs 2>/dev/null | sed -n 's/^ *Candidate: \([0-9][0-9.]*\).*/\1/p' | head -n1 || true)"
if [ -n "$current" ] && version_ge "$current" "$NODE_MIN"; then
	note "node $current is installed: kept"
elif [ -n "$candidate" ] && version_ge "$candidate" "$NODE_MIN"; then
	note "the distribution's nodejs $candidate is new enough"
	run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
else
	note "the distribution's nodejs (${candidate:-none}) is older than $NODE_MIN: official Node $NODE_VERSION from nodejs.org, checksum-verified"
	case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) echo "unsupported CPU $(uname -m)" >&2; exit 1 ;; esac
	tarball="node-v$NODE_VERSION-linux-$arch.tar.xz"
	url="https://nodejs.org/dist/v$NODE_VERSION"
	work=/tmp/guardino-node
	[ "$DRY_RUN" = 1 ] || work="$(mktemp -d)"
	run curl -fsSLo "$work/$tarball" "$url/$tarball"
	run curl -fsSLo "$work/SHASUMS256.txt" "$url/SHASUMS256.txt"
	printf '    $ (cd %s && grep " %s$" SHASUMS256.txt | sha256sum -c -)\n' "$work" "$tarball"
	[ "$DRY_RUN" = 1 ] || (cd "$work" && grep " $tarball\$" SHASUMS256.txt | sha256sum -c -)
	run install -d "/opt/node-v$NODE_VERSION"
	run tar -xJf "$work/$tarball" -C "/opt/node-v$NODE_VERSION" --strip-components=1
	for bin in node npm npx; do run ln -sfn "/opt/node-v$NODE_VERSION/bin/$bin" "/usr/local/bin/$bin"; done
	[ "$DRY_RUN" = 1 ] || rm -rf "$work"
fi

step "System user $APP_USER and directories"
if id "$APP_USER" >/dev/null 2>&1; then
	note "user $APP_USER exists: kept"
else
	run useradd --system --home-dir "$APP_DIR" --shell /usr/sbin/nologin "$APP_USER"
fi
run install -d -o "$APP_USER" -g "$APP_USER" -m 0750 "$APP_DIR" "$DATA_DIR" "$DATA_DIR/backups" "$DATA_DIR/reports"

step "Database $DB_NAME (PostgreSQL, local socket and password)"
db_password="$(env_value DATABASE_URL | sed -n 's#^postgres://[^:]*:\([^@]*\)@.*#\1#p')"
if [ -n "$db_password" ]; then
	note "password from $ENV_FILE: kept"
else
	db_password="$(random_hex 24)"
	note "new password generated"
fi
if [ "$DRY_RUN" = 1 ]; then
	note "create role $DB_USER and database $DB_NAME when missing; (re)set the role's password; the role may create databases (npm run restore builds a new one)"
else
	# the password is hex: safe inside the SQL literal
	if [ "$(psql_admin -c "select 1 from pg_roles where rolname = '$DB_USER'")" != 1 ]; then
		run psql_admin -c "create role $DB_USER login"
	fi
	# createdb: `npm run restore` restores into a new database and renames it into place (decision 017)
	printf '    $ psql: alter role %s login createdb password <secret>\n' "$DB_USER"
	psql_admin -c "alter role $DB_USER login createdb password '$db_password'" >/dev/null
	if [ "$(psql_admin -c "select 1 from pg_database where datname = '$DB_NAME'")" != 1 ]; then
		run runuser -u postgres -- createdb -O "$DB_USER" "$DB_NAME"
	fi
fi

step "Secrets and settings ($ENV_FILE): kept when present, generated when missing"
keep_or() {
	local name="$1" fallback="$2" value
	value="$(env_value "$name")"
	if [ -n "$value" ]; then note "$name: kept" >&2; printf '%s' "$value"; else note "$name: new" >&2; printf '%s' "$fallback"; fi
}
session_secret="$(keep_or SESSION_SECRET "$(random_hex 32)")"
master_key="$(keep_or MASTER_KEY "$( (openssl rand -base64 32 2>/dev/null) || head -c 32 /dev/urandom | base64)")"
if [ -n "$DOMAIN" ]; then public_url="https://$DOMAIN" host=127.0.0.1 trust_proxy=1; else public_url="$(keep_or PUBLIC_URL "http://$(hostname -I 2>/dev/null | awk '{print $1}'):$PORT")" host=0.0.0.0 trust_proxy=false; fi
backup_passphrase="$(env_value BACKUP_PASSPHRASE)"
put "$ENV_FILE" 0640 "root:$APP_USER" <<EOF
# Guardino Hub — written by install.sh; a re-run keeps the secrets. All variables: .env.example.
# Keep a copy of MASTER_KEY elsewhere: without it the stored panel credentials cannot be read.
NODE_ENV=production
DATABASE_URL=postgres://$DB_USER:$db_password@127.0.0.1:5432/$DB_NAME
SESSION_SECRET=$session_secret
MASTER_KEY=$master_key
PUBLIC_URL=$public_url
HOST=$host
PORT=$PORT
TRUST_PROXY=$trust_proxy
WORKER_IN_PROCESS=true
BACKUP_DIR=$DATA_DIR/backups
BACKUP_PASSPHRASE=$backup_passphrase
REPORTS_DIR=$DATA_DIR/reports
EOF

step "App code: $SOURCE_DIR → $APP_DIR"
if [ "$SOURCE_DIR" = "$APP_DIR" ]; then
	note "installing in place"
else
	# node_modules, build output and local data are rebuilt, never copied (and, excluded, never
	# deleted by --delete); files gone from the new version are removed.
	run rsync -a --delete --exclude=/node_modules --exclude=/.data --exclude=/build --exclude=/.git --exclude=/app/generated --exclude=/.npm --exclude=/.env "$SOURCE_DIR/" "$APP_DIR/"
	run chown -R "$APP_USER:$APP_USER" "$APP_DIR"
fi

step "Dependencies (npm ci) and the production build"
# npm ci needs every optional package of the lockfile; some registry mirrors lack other
# platforms' ones (docs STACK "npm on this machine"): then npm install with the same lockfile.
as_app bash -c "cd '$APP_DIR' && { npm ci --include=dev --no-audit --no-fund || npm install --include=dev --no-audit --no-fund; }"
as_app bash -c "cd '$APP_DIR' && npm run build"

step "Migrations and the first admin ($ADMIN_USER)"
# create-admin migrates first; later upgrades migrate when the service starts, after a backup.
has_admin=""
[ "$DRY_RUN" = 1 ] || has_admin="$(psql_admin -d "$DB_NAME" -c "select 1 from users where role = 'admin' limit 1" 2>/dev/null || true)"
if [ "$has_admin" = 1 ]; then
	note "an admin exists: kept (migrations run when the service restarts)"
else
	[ -n "$ADMIN_PASSWORD" ] || ADMIN_PASSWORD="$(random_hex 12)"
	printf '    $ npm run create-admin -- --username %s --password <secret>\n' "$ADMIN_USER"
	if [ "$DRY_RUN" = 0 ]; then
		runuser -u "$APP_USER" -- bash -c "set -a && . '$ENV_FILE' && set +a && cd '$APP_DIR' && npm run -s create-admin -- --username '$ADMIN_USER' --password \"\$1\"" _ "$ADMIN_PASSWORD"
		created_admin=1
	fi
fi

step "systemd unit: web app + worker in one process (scripts/start.ts, as in the Dockerfile)"
put "$UNIT_FILE" 0644 root:root <<EOF
# Written by install.sh. The same start script as the container: backup when migrations are
# pending → migrate → worker schema → web server with the in-process worker (daily backups
# included, worker/crontab). SIGTERM drains running jobs.
[Unit]
Description=Guardino Hub
After=network-online.target postgresql.service
Wants=network-online.target
Requires=postgresql.service

[Service]
User=$APP_USER
Group=$APP_USER
WorkingDirectory=$APP_DIR
EnvironmentFile=$ENV_FILE
ExecStart=$(node_bin) --import tsx scripts/start.ts
KillSignal=SIGTERM
TimeoutStopSec=45
Restart=always
RestartSec=5
NoNewPrivileges=true
ProtectSystem=full
ProtectHome=true
PrivateTmp=true
ReadWritePaths=$APP_DIR $DATA_DIR

[Install]
WantedBy=multi-user.target
EOF
if [ "$SYSTEMD" = 1 ]; then
	run systemctl daemon-reload
	run systemctl enable guardino.service
	run systemctl restart guardino.service
else
	note "no systemd: the unit is written for a later boot with systemd; now the hub is (re)started in the background"
	stop_background
	start_background
fi

if [ -n "$DOMAIN" ]; then
	step "Caddy: TLS for $DOMAIN → 127.0.0.1:$PORT"
	if [ -f "$CADDYFILE" ] && ! grep -q 'managed by guardino install.sh' "$CADDYFILE"; then
		run cp -a "$CADDYFILE" "$CADDYFILE.before-guardino"
	fi
	caddy_global=""
	[ -n "$EMAIL" ] && caddy_global="$(printf '{\n\temail %s\n}\n' "$EMAIL")"
	put "$CADDYFILE" 0644 root:root <<EOF
# managed by guardino install.sh (the previous file, if any: $CADDYFILE.before-guardino)
$caddy_global
$DOMAIN {
	encode gzip
	reverse_proxy 127.0.0.1:$PORT
}
EOF
	if [ "$SYSTEMD" = 1 ]; then
		run systemctl enable caddy
		run systemctl reload-or-restart caddy
	else
		note "no systemd: start Caddy yourself: caddy run --config $CADDYFILE (or caddy reload --config $CADDYFILE)"
	fi
fi

step "Health check"
if [ "$DRY_RUN" = 1 ]; then
	note "wait up to 120 s for http://127.0.0.1:$PORT/resources/healthcheck"
else
	for _ in $(seq 1 60); do
		curl -fsS "http://127.0.0.1:$PORT/resources/healthcheck" >/dev/null 2>&1 && break
		sleep 2
	done
	logs_hint="journalctl -u guardino -n 100"
	[ "$SYSTEMD" = 1 ] || logs_hint="tail -n 100 $LOG_DIR/guardino.log"
	curl -fsS "http://127.0.0.1:$PORT/resources/healthcheck" >/dev/null || { echo "The hub did not come up: $logs_hint" >&2; exit 1; }
fi

printf '\nGuardino Hub: %s\n' "$public_url"
if [ "${created_admin:-0}" = 1 ]; then
	printf 'Admin: %s / %s   (shown once: change it under /password)\n' "$ADMIN_USER" "$ADMIN_PASSWORD"
fi
if [ "$SYSTEMD" = 1 ]; then
	echo "Logs: journalctl -u guardino -f    Upgrade: pull the new code and run ./install.sh again."
else
	echo "Logs: tail -f $LOG_DIR/guardino.log    Stop: kill \$(cat $PID_FILE)    Start again: ./install.sh (or the unit's ExecStart as $APP_USER with $ENV_FILE)"
fi
[ "$DRY_RUN" = 1 ] && echo "Dry run finished: nothing was changed."
exit 0
