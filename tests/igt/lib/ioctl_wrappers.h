/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef IOCTL_WRAPPERS_H
#define IOCTL_WRAPPERS_H

/**
 * DOC: generic DRM ioctl wrappers (IGT's lib/ioctl_wrappers.h subset)
 *
 * gem_close() closes a GEM handle and fails the current block if the kernel
 * refuses; __gem_close() returns the negative errno instead.
 */

#include <stdint.h>

int __gem_close(int fd, uint32_t handle);
void gem_close(int fd, uint32_t handle);

#endif /* IOCTL_WRAPPERS_H */
