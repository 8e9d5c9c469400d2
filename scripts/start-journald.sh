#!/usr/bin/env bash
# Start systemd-journald without systemd as PID 1 (containers, CI sandboxes, Debian 12).
#
# Idempotent: does nothing when /run/systemd/journal/socket already exists.
# Also makes sure libsystemd-dev (needed to build the CSystemd module) is installed.
# Must run as root. Leaves journald running in the background.
set -euo pipefail

SOCKET=/run/systemd/journal/socket
JOURNALD=/lib/systemd/systemd-journald
TIMEOUT_SECONDS=10

log() { printf 'start-journald: %s\n' "$*"; }

if [[ $(id -u) -ne 0 ]]; then
    log "must run as root" >&2
    exit 1
fi

if dpkg -s libsystemd-dev >/dev/null 2>&1; then
    log "libsystemd-dev already installed"
else
    log "installing libsystemd-dev"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y libsystemd-dev
fi

if [[ -S $SOCKET ]]; then
    # A socket left behind by a journald that died refuses connections: probe it before trusting it.
    if systemd-cat -t start-journald echo "start-journald: journald is alive" 2>/dev/null; then
        log "journald socket $SOCKET already exists and accepts entries; nothing to start"
        exit 0
    fi
    log "stale journald socket $SOCKET (no journald behind it); restarting journald"
fi

if [[ ! -x $JOURNALD ]]; then
    log "$JOURNALD not found (package systemd); installing systemd"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y systemd
fi

# journald binds its own sockets when systemd does not pass them (no socket activation).
mkdir -p /run/systemd/journal /var/log/journal
# With /var/log/journal present and Storage=auto (the default) the journal is persistent.
if command -v systemd-tmpfiles >/dev/null 2>&1; then
    systemd-tmpfiles --create --prefix /var/log/journal >/dev/null 2>&1 || true
fi

# Stale socket files from a journald that died would make bind(2) fail.
rm -f "$SOCKET" /run/systemd/journal/stdout /run/systemd/journal/dev-log /run/systemd/journal/io.systemd.journal

log "starting $JOURNALD in the background"
nohup setsid "$JOURNALD" </dev/null >/var/log/start-journald.log 2>&1 &
pid=$!

deadline=$((SECONDS + TIMEOUT_SECONDS))
until [[ -S $SOCKET ]]; do
    if ! kill -0 "$pid" 2>/dev/null; then
        log "journald (pid $pid) exited; its output:" >&2
        cat /var/log/start-journald.log >&2 || true
        exit 1
    fi
    if (( SECONDS >= deadline )); then
        log "timed out after ${TIMEOUT_SECONDS}s waiting for $SOCKET" >&2
        exit 1
    fi
    sleep 0.1
done
log "journald running (pid $pid), socket $SOCKET ready (journal files under /run/log/journal until journalctl --flush)"
