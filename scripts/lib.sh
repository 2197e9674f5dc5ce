# SPDX-License-Identifier: GPL-2.0-only
# Common settings for the panthor-vm scripts. Sourced, not run.

PVM_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PVM_CACHE=${PVM_CACHE:-$HOME/.cache/panthor-vm}
PVM_KVER=6.12
KSRC=${KSRC:-$PVM_CACHE/linux-source-$PVM_KVER}
# Build directories; a developer may point PVM_BUILD elsewhere to keep
# parallel work apart.
PVM_BUILD=${PVM_BUILD:-$PVM_CACHE/build}
PVM_JOBS=${PVM_JOBS:-$(nproc)}

pvm_say() { printf '==> %s\n' "$*"; }
pvm_die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
