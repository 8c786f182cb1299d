# SPDX-License-Identifier: MIT
# Shared helpers of the scripts/ tools.  Sourced, not run.

NEURON_CACHE=${NEURON_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/neuron}

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "error: $*"; exit 1; }
