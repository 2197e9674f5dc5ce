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

# pvm_user_build <name>: a build directory for a userspace build of this
# checkout. Its dependency files hold absolute source paths, so when the
# checkout moves (CI clones the repo afresh) the directory is emptied
# rather than left pointing at sources that no longer exist.
pvm_user_build() {
	local d=$PVM_BUILD/$1
	mkdir -p "$d"
	if [ "$(cat "$d/.pvm-repo" 2>/dev/null)" != "$PVM_REPO" ]; then
		find "$d" -mindepth 1 -delete
		echo "$PVM_REPO" > "$d/.pvm-repo"
	fi
	echo "$d"
}
