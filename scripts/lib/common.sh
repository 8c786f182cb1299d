# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Shared helpers of the scripts/ tools.  Sourced, not run.

NEURON_CACHE=${NEURON_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/neuron}

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Full release of the newest kernel $2 ("7.3", "6.12", "debug" or a full
# release) in root $1, taken from its /boot so that a point release of the
# Debian package needs no change here.  "debug" is the kernel that
# scripts/debug-kernel installs (release *-neuron-debug); "7.3" never picks
# it.  Prints nothing if there is none.
root_krel() {
	local root=$1 want=$2 f rel best=
	for f in "$root"/boot/vmlinuz-*; do
		[ -e "$f" ] || continue
		rel=${f##*/vmlinuz-}
		case $want:$rel in
		debug:*-neuron-debug) best=$rel; continue ;;
		*:*-neuron-debug) [ "$want" = "$rel" ] || continue ;;
		esac
		case $rel in
		"$want" | "$want".*) best=$(printf '%s\n%s\n' "$best" "$rel" | sed '/^$/d' | sort -V | tail -n1) ;;
		esac
	done
	printf '%s' "$best"
}
