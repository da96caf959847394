#!/usr/bin/env bash
# Builds the image's base root filesystem from Debian packages (no registry needed) and imports it into the local
# Docker engine as stratus-base:<suite>-<inputs hash>. The tag is derived from everything that shapes the result
# (this script, the suite, the mirror, the packages), so a second run finds it and does nothing.
#   container/base-image.sh [--print-tag] [--rebuild]
# Prints the tag on standard output (progress goes to standard error).
set -euo pipefail

suite="${STRATUS_BASE_SUITE:-bookworm}"
# tini: a minimal PID 1 that forwards signals to the JVM and reaps orphans (the control service starts workers).
packages="tini"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

log() { echo "base-image: $*" >&2; }
die() { echo "base-image: $*" >&2; exit 1; }

# The machine's own Debian mirror (deb822 sources, then the classic list), else Debian's redirector.
mirror() {
  local m=""
  if [ -n "${STRATUS_DEBIAN_MIRROR:-}" ]; then echo "$STRATUS_DEBIAN_MIRROR"; return; fi
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    m="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
  fi
  if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
    m="$(awk '$1 == "deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list)"
  fi
  echo "${m:-http://deb.debian.org/debian}"
}

print_only=false rebuild=false
for arg in "$@"; do
  case "$arg" in
    --print-tag) print_only=true ;;
    --rebuild) rebuild=true ;;
    -h|--help) sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$arg' (use --print-tag or --rebuild)" ;;
  esac
done

url="$(mirror)"
hash="$( { cat "${BASH_SOURCE[0]}"; echo "$suite $url $packages"; } | sha256sum | cut -c1-12)"
tag="stratus-base:$suite-$hash"
if $print_only; then echo "$tag"; exit 0; fi

command -v docker >/dev/null || die "no 'docker' command: install the engine (apt-get install docker.io) and start dockerd"
docker info >/dev/null 2>&1 || die "the Docker engine does not answer ('docker info' fails): start dockerd (see docs/container.md)"
if ! $rebuild && docker image inspect "$tag" >/dev/null 2>&1; then
  log "reusing $tag"
  echo "$tag"
  exit 0
fi
command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install debootstrap"
[ "$(id -u)" = 0 ] || die "debootstrap needs root to build the base (run this as root once; later builds reuse $tag)"

work="$(mktemp -d "${TMPDIR:-/tmp}/stratus-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
log "debootstrap --variant=minbase $suite from $url (about a minute) ..."
start=$SECONDS
if ! debootstrap --variant=minbase --include="${packages// /,}" "$suite" "$rootfs" "$url" > "$work/debootstrap.log" 2>&1; then
  tail -20 "$work/debootstrap.log" >&2
  die "debootstrap failed (log above)"
fi
# The application's user: fixed ids, so that volume permissions can be set from outside; no home, no login shell.
chroot "$rootfs" groupadd --gid 10001 stratus
chroot "$rootfs" useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
  --shell /usr/sbin/nologin stratus
# What the running image never reads: package lists and caches, documentation, manuals, translations.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/cache/debconf/*-old \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* \
  "$rootfs"/var/log/* "$rootfs"/tmp/* "$rootfs"/root/.[!.]* 2>/dev/null || true
log "importing as $tag ..."
tar --numeric-owner -C "$rootfs" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["/bin/bash"]' \
  --message "debootstrap --variant=minbase $suite ($url) + $packages" - "$tag" >/dev/null
log "built $tag in $((SECONDS - start)) s ($(docker image inspect "$tag" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}'))"
echo "$tag"
