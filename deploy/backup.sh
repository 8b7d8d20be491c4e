#!/usr/bin/env bash
# ocop nightly backup (docs/deployment.md, "Backups").
#
#   1. PostgreSQL: pg_dump in custom format to $OCOP_BACKUP_DIR/db/ocop-YYYYmmdd-HHMMSS.dump,
#      checked with pg_restore --list, plus a .sha256 file;
#   2. media: an rsync snapshot of $OCOP_MEDIA_ROOT to $OCOP_BACKUP_DIR/media/YYYYmmdd-HHMMSS/,
#      hard-linked to the previous snapshot (unchanged files take no space);
#   2b. the keys that sign certificate labels ($OCOP_SIGNING_KEYS_DIR): copied to
#      $OCOP_BACKUP_DIR/keys/ (never pruned: a lost key makes its printed labels unverifiable);
#   3. retention: dumps and snapshots older than $OCOP_BACKUP_RETENTION_DAYS days are deleted
#      (only after steps 1 and 2 succeeded; the newest of each is always kept);
#   4. optional: the whole backup directory is copied to $OCOP_BACKUP_RSYNC_TARGET.
#
# Runs as the ocop user with /etc/ocop/ocop.env in its environment (ocop-backup.service). By hand:
#     sudo -u ocop bash -c 'set -a; . /etc/ocop/ocop.env; set +a; /opt/ocop/app/deploy/backup.sh'
# Exits non-zero (and the unit's OnFailure= alert fires) if any step fails.
set -euo pipefail
umask 077

log() { printf '%s backup: %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }

: "${DATABASE_URL:?DATABASE_URL is not set (run with /etc/ocop/ocop.env loaded)}"
BACKUP_DIR="${OCOP_BACKUP_DIR:-/var/backups/ocop}"
RETENTION_DAYS="${OCOP_BACKUP_RETENTION_DAYS:-14}"
MEDIA_ROOT="${OCOP_MEDIA_ROOT:-${OCOP_VAR_DIR:-/var/lib/ocop}/media}"
KEYS_DIR="${OCOP_SIGNING_KEYS_DIR:-${OCOP_VAR_DIR:-/var/lib/ocop}/keys}"
RSYNC_TARGET="${OCOP_BACKUP_RSYNC_TARGET:-}"
PYTHON="${OCOP_PYTHON:-/opt/ocop/venv/bin/python}"

[[ "$RETENTION_DAYS" =~ ^[0-9]+$ && "$RETENTION_DAYS" -ge 1 ]] \
    || die "OCOP_BACKUP_RETENTION_DAYS must be a whole number of days >= 1 (got '$RETENTION_DAYS')"
for tool in pg_dump pg_restore rsync flock sha256sum; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
[[ -x "$PYTHON" ]] || die "$PYTHON not found (set OCOP_PYTHON)"

# --- Connection: parse DATABASE_URL exactly as Django does (dj-database-url) and hand it to libpq
# through PG* variables, so that no password ever appears on a command line (visible in `ps`).
pg_env="$("$PYTHON" - <<'PY'
import os, shlex, sys
import dj_database_url

cfg = dj_database_url.parse(os.environ["DATABASE_URL"])
if cfg["ENGINE"] not in ("django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis"):
    sys.exit(f"DATABASE_URL is not a PostgreSQL database ({cfg['ENGINE']})")
libpq = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
         "sslkey": "PGSSLKEY", "connect_timeout": "PGCONNECT_TIMEOUT", "options": "PGOPTIONS",
         "target_session_attrs": "PGTARGETSESSIONATTRS", "passfile": "PGPASSFILE"}
values = {"PGHOST": cfg.get("HOST"), "PGPORT": cfg.get("PORT"), "PGUSER": cfg.get("USER"),
          "PGPASSWORD": cfg.get("PASSWORD"), "PGDATABASE": cfg.get("NAME")}
for key, value in (cfg.get("OPTIONS") or {}).items():
    if key in libpq:
        values[libpq[key]] = value
for name, value in values.items():
    if value not in (None, ""):
        print(f"export {name}={shlex.quote(str(value))}")
PY
)" || die "cannot parse DATABASE_URL"
unset PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE PGSSLMODE PGSSLROOTCERT PGSSLCERT PGSSLKEY \
    PGCONNECT_TIMEOUT PGOPTIONS PGTARGETSESSIONATTRS PGPASSFILE
eval "$pg_env"
export PGAPPNAME=ocop-backup

# --- Setup ---------------------------------------------------------------------------------------
stamp="$(date +%Y%m%d-%H%M%S)"
mkdir -p "$BACKUP_DIR/db" "$BACKUP_DIR/media"
exec 9>"$BACKUP_DIR/.lock"
flock --nonblock 9 || die "another backup is running (lock $BACKUP_DIR/.lock)"
# Leftovers of an interrupted run (we hold the lock, so nothing else is writing them).
rm -rf "$BACKUP_DIR"/db/.*.partial "$BACKUP_DIR"/media/.*.partial

dump="$BACKUP_DIR/db/ocop-$stamp.dump"
dump_tmp="$BACKUP_DIR/db/.ocop-$stamp.dump.partial"
media_snap="$BACKUP_DIR/media/$stamp"
media_tmp="$BACKUP_DIR/media/.$stamp.partial"
cleanup() { rm -rf "$dump_tmp" "$media_tmp"; }
trap cleanup EXIT

# --- 1. Database ---------------------------------------------------------------------------------
log "dumping database ${PGDATABASE:-?} on ${PGHOST:-local socket}"
pg_dump --format=custom --compress=6 --file="$dump_tmp" || die "pg_dump failed"
pg_restore --list "$dump_tmp" >/dev/null || die "the dump cannot be read back by pg_restore"
mv "$dump_tmp" "$dump"
(cd "$BACKUP_DIR/db" && sha256sum "$(basename "$dump")" > "$(basename "$dump").sha256")
log "database: $dump ($(du -h "$dump" | cut -f1))"

# --- 2. Media (after the dump: every file the dump refers to already exists) ----------------------
if [[ -d "$MEDIA_ROOT" ]]; then
    link_dest=()
    if [[ -L "$BACKUP_DIR/media/latest" && -d "$BACKUP_DIR/media/latest/" ]]; then
        link_dest=(--link-dest="$(readlink -f "$BACKUP_DIR/media/latest")")
    fi
    rc=0
    rsync -a --delete "${link_dest[@]}" "$MEDIA_ROOT/" "$media_tmp/" || rc=$?
    # 24 = some files vanished during the copy (deleted by a user meanwhile): not an error.
    if [[ $rc -ne 0 && $rc -ne 24 ]]; then
        die "rsync of $MEDIA_ROOT failed (exit $rc)"
    fi
    mv "$media_tmp" "$media_snap"
    ln -sfn "$stamp" "$BACKUP_DIR/media/latest"
    log "media: $media_snap ($(find "$media_snap" -type f | wc -l) files)"
else
    log "WARNING: $MEDIA_ROOT does not exist; no media snapshot"
fi

# --- 2b. Signing keys (added to, never deleted from: old keys verify labels already printed) -----
if [[ -d "$KEYS_DIR" ]]; then
    install -d -m 0700 "$BACKUP_DIR/keys"
    rsync -a "$KEYS_DIR/" "$BACKUP_DIR/keys/" || die "rsync of $KEYS_DIR failed"
    log "keys: $(find "$BACKUP_DIR/keys" -name '*.pem' | wc -l) signing keys kept"
fi

# --- 3. Retention (by the date in the name: rsync gives snapshot directories old mtimes) ---------
cutoff="$(date -d "-$RETENTION_DAYS days" +%Y%m%d-%H%M%S)"
newest_dump="$(basename "$dump")"
removed=0
for file in "$BACKUP_DIR"/db/ocop-*.dump; do
    [[ -e "$file" ]] || continue
    name="$(basename "$file")"
    file_stamp="${name#ocop-}"
    file_stamp="${file_stamp%.dump}"
    if [[ "$name" != "$newest_dump" && "$file_stamp" < "$cutoff" ]]; then
        rm -f "$file" "$file.sha256"
        removed=$((removed + 1))
    fi
done
for dir in "$BACKUP_DIR"/media/[0-9]*-[0-9]*; do
    [[ -d "$dir" ]] || continue
    name="$(basename "$dir")"
    if [[ "$name" != "$(readlink "$BACKUP_DIR/media/latest" || true)" && "$name" < "$cutoff" ]]; then
        rm -rf "$dir"
        removed=$((removed + 1))
    fi
done
log "retention: $RETENTION_DAYS days, $removed old backup(s) removed"

# --- 4. Off-site copy (optional) -----------------------------------------------------------------
if [[ -n "$RSYNC_TARGET" ]]; then
    log "copying to $RSYNC_TARGET"
    rsync -a -H --delete --exclude=.lock --exclude='.*.partial' "$BACKUP_DIR/" "$RSYNC_TARGET/" \
        || die "off-site copy to $RSYNC_TARGET failed"
fi

log "done"
