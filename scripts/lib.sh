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

# pvm_uapi_overlay <build dir>: this repo's uAPI headers for one kernel
# build. The tree keeps its own include/uapi/drm/panthor_drm.h, for
# upstream panthor; a build searches <build dir>/include before the tree's
# include/uapi, so panthor-vm's #include <drm/panthor_drm.h> finds this
# repo's header there. Our header includes "drm.h", which includes
# "drm_mode.h": both are found next to it. The "upstream" kernel gets no
# overlay.
pvm_uapi_overlay() {
	local d=$1/include/drm h
	mkdir -p "$d"
	for h in panthor_drm.h panthor_vm_sim.h; do
		ln -sfn "$PVM_REPO/include/uapi/drm/$h" "$d/$h"
	done
	for h in drm.h drm_mode.h; do
		ln -sfn "$KSRC/include/uapi/drm/$h" "$d/$h"
	done
}
