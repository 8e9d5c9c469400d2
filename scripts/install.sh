#!/usr/bin/env bash
# Build ecsdiagd in release mode and install it with its systemd unit, journal catalog and default config.
#
# Usage: scripts/install.sh [--no-build]
#   DESTDIR=/tmp/pkg  stage into a directory tree instead of / (packaging); systemctl/journalctl are skipped
#   PREFIX=/usr/local where the binary goes ($PREFIX/bin/ecsdiagd); the unit's paths are rewritten to match
#   UNITDIR=/etc/systemd/system   where the unit goes (use /usr/lib/systemd/system for distribution packages)
#   ECSDIAGD_BINARY=path          install this binary instead of building one (implies --no-build)
# An existing /etc/ecsdiagd/ecsdiagd.toml is never overwritten.
set -euo pipefail

DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
UNITDIR=${UNITDIR:-/etc/systemd/system}
CATALOGDIR=/usr/lib/systemd/catalog
CONFIGDIR=/etc/ecsdiagd
BUILD=1
BINARY=${ECSDIAGD_BINARY:-}
[[ -n $BINARY ]] && BUILD=0

for arg in "$@"; do
    case $arg in
        --no-build) BUILD=0 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown argument: $arg" >&2; exit 2 ;;
    esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
log() { printf 'install.sh: %s\n' "$*"; }

if [[ $BUILD -eq 1 ]]; then
    log "building release binary"
    swift build -c release --product ecsdiagd
fi
if [[ -z $BINARY ]]; then
    BINARY=$(swift build -c release --show-bin-path)/ecsdiagd
fi
if [[ ! -x $BINARY ]]; then
    log "no release binary at $BINARY (run without --no-build)" >&2
    exit 1
fi

BINDIR=$PREFIX/bin
log "installing $DESTDIR$BINDIR/ecsdiagd"
install -d -m 0755 "$DESTDIR$BINDIR" "$DESTDIR$UNITDIR" "$DESTDIR$CATALOGDIR" "$DESTDIR$CONFIGDIR"
install -m 0755 "$BINARY" "$DESTDIR$BINDIR/ecsdiagd"

log "installing $DESTDIR$UNITDIR/ecsdiagd.service"
sed "s|/usr/local/bin/ecsdiagd|$BINDIR/ecsdiagd|g" systemd/ecsdiagd.service >"$DESTDIR$UNITDIR/ecsdiagd.service"
chmod 0644 "$DESTDIR$UNITDIR/ecsdiagd.service"

log "installing $DESTDIR$CATALOGDIR/ecsdiagd.catalog"
install -m 0644 systemd/ecsdiagd.catalog "$DESTDIR$CATALOGDIR/ecsdiagd.catalog"

if [[ -e $DESTDIR$CONFIGDIR/ecsdiagd.toml ]]; then
    log "keeping existing $DESTDIR$CONFIGDIR/ecsdiagd.toml"
else
    log "installing default $DESTDIR$CONFIGDIR/ecsdiagd.toml"
    install -m 0644 systemd/ecsdiagd.toml "$DESTDIR$CONFIGDIR/ecsdiagd.toml"
fi

if [[ -z $DESTDIR ]]; then
    log "updating the journal catalog"
    journalctl --update-catalog
    if [[ -d /run/systemd/system ]]; then
        log "reloading systemd; start with: systemctl enable --now ecsdiagd"
        systemctl daemon-reload
    else
        log "systemd is not PID 1 here; the unit is installed but not loaded"
    fi
else
    log "staged into $DESTDIR; run 'journalctl --update-catalog' and 'systemctl daemon-reload' on the target"
fi
