/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef IGT_VGEM_H
#define IGT_VGEM_H

/**
 * DOC: vgem helpers (IGT's lib/igt_vgem.h subset)
 *
 * vgem is the kernel's virtual GEM driver: dumb buffers in system memory
 * that can be CPU-mapped and exported as dma-bufs, plus fences on them.
 * The panthor tests use it as "another device" to import buffers from and
 * as a source of fences that only the test signals.
 *
 * Open it with __drm_open_driver(DRIVER_VGEM) (-1 when there is no vgem
 * device) or drm_open_driver(DRIVER_VGEM) (skips), as IGT does. The
 * functions have IGT's names and semantics: vgem_*() assert, __vgem_*()
 * return a negative errno or NULL. In an IGT tree, IGT's own igt_vgem.h
 * replaces this file.
 */

#include <stdbool.h>
#include <stdint.h>

/**
 * struct vgem_bo - A vgem dumb buffer.
 * @handle: GEM handle on the vgem fd (out).
 * @width: pixels per line (in).
 * @height: lines (in).
 * @bpp: bits per pixel (in).
 * @pitch: bytes per line (out).
 * @size: bytes (out).
 */
struct vgem_bo {
	uint32_t handle;
	uint32_t width, height;
	uint32_t bpp, pitch;
	uint64_t size;
};

int __vgem_create(int fd, struct vgem_bo *bo);
void vgem_create(int fd, struct vgem_bo *bo);
void *__vgem_mmap(int fd, struct vgem_bo *bo, unsigned int prot);
void *vgem_mmap(int fd, struct vgem_bo *bo, unsigned int prot);

/** VGEM_FENCE_WRITE: vgem_fence_attach() flag, an exclusive (write) fence. */
#define VGEM_FENCE_WRITE 0x1

bool vgem_has_fences(int fd);
uint32_t vgem_fence_attach(int fd, struct vgem_bo *bo, unsigned int flags);
int __vgem_fence_signal(int fd, uint32_t fence);
void vgem_fence_signal(int fd, uint32_t fence);

#endif /* IGT_VGEM_H */
