#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install build dependencies, unpack Debian's linux-source-6.12 into the
# cache and overlay the driver. Idempotent and safe to rerun after an
# interrupted run: every step checks its own result.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKGS="linux-source-6.12 bc bison flex libelf-dev libssl-dev libdrm-dev \
gcc-aarch64-linux-gnu make gcc clang libclang-rt-14-dev python3 perl \
xz-utils pkg-config kmod cpio rsync valgrind device-tree-compiler"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	pvm_say "installing:$missing"
	[ "$(id -u)" = 0 ] || SUDO=sudo
	${SUDO:-} apt-get update -qq
	DEBIAN_FRONTEND=noninteractive ${SUDO:-} apt-get install -y -qq $missing >/dev/null
fi

mkdir -p "$PVM_CACHE" "$PVM_BUILD"
if [ ! -f "$KSRC/.pvm-unpacked" ]; then
	tarball=$(ls /usr/src/linux-source-$PVM_KVER.tar.* 2>/dev/null | head -1)
	[ -n "$tarball" ] || pvm_die "linux-source-$PVM_KVER tarball not found in /usr/src"
	pvm_say "unpacking $tarball into $PVM_CACHE"
	tmp="$PVM_CACHE/unpack.$$"
	rm -rf "$tmp" "$KSRC"
	mkdir -p "$tmp"
	tar -C "$tmp" -xf "$tarball"
	mv "$tmp"/linux-source-$PVM_KVER "$KSRC"
	rm -rf "$tmp"
	touch "$KSRC/.pvm-unpacked"
fi

# Objects built from another checkout (CI clones the repo afresh) may be
# newer than this checkout's sources, and make would keep them: when the
# overlay changes checkout, drop every object built from it.
if [ "$(cat "$PVM_CACHE/.pvm-linked-repo" 2>/dev/null)" != "$PVM_REPO" ]; then
	rm -rf "$PVM_BUILD"/*/drivers/gpu/drm/panthor-vm "$PVM_BUILD/arm64-mod"
	echo "$PVM_REPO" > "$PVM_CACHE/.pvm-linked-repo"
fi

# Overlay: the driver is a symlink into this repo, so edits here are what
# the kernel builds. The uAPI headers are not put into the tree (it keeps
# its own panthor_drm.h, which upstream panthor builds against): each of
# our kernel builds gets them in its build directory (pvm_uapi_overlay).
ln -sfn "$PVM_REPO/drivers/gpu/drm/panthor-vm" "$KSRC/drivers/gpu/drm/panthor-vm"
hdr="$KSRC/include/uapi/drm/panthor_drm.h"
if [ -L "$hdr" ] || [ -L "$KSRC/include/uapi/drm/panthor_vm_sim.h" ]; then
	# An older preparation replaced the tree's header: restore it, and
	# drop what was built against the old path, whose dependency files
	# would not see later edits of this repo's header.
	pvm_say "restoring the tree's own include/uapi/drm/panthor_drm.h"
	rm -f "$hdr" "$KSRC/include/uapi/drm/panthor_vm_sim.h"
	[ -f "$hdr.upstream" ] && mv "$hdr.upstream" "$hdr"
	rm -rf "$PVM_BUILD"/*/drivers/gpu/drm/panthor-vm "$PVM_BUILD/arm64-mod"
fi
[ -f "$hdr" ] && [ ! -L "$hdr" ] || pvm_die "$hdr is missing from the tree"

# Kconfig: the repo's top-level Kconfig (driver + software GPU) is linked
# in and sourced after upstream panthor's. An older hook that sourced the
# driver's Kconfig directly is replaced.
ln -sfn "$PVM_REPO/Kconfig" "$KSRC/drivers/gpu/drm/Kconfig.panthor-vm"
kc="$KSRC/drivers/gpu/drm/Kconfig"
sed -i '\|^source "drivers/gpu/drm/panthor-vm/Kconfig"$|d' "$kc"
grep -q 'Kconfig.panthor-vm' "$kc" ||
	sed -i 's|^source "drivers/gpu/drm/panthor/Kconfig"$|&\nsource "drivers/gpu/drm/Kconfig.panthor-vm"|' "$kc"
grep -q 'Kconfig.panthor-vm' "$kc" || pvm_die "could not hook panthor-vm into $kc"
mk="$KSRC/drivers/gpu/drm/Makefile"
grep -q 'panthor-vm/' "$mk" ||
	echo 'obj-y += panthor-vm/' >> "$mk"
sed -i 's|^obj-$(CONFIG_DRM_PANTHOR_VM) += panthor-vm/$|obj-y += panthor-vm/|' "$mk"
