/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The panthor-vm authors
 */
#ifndef IGT_H
#define IGT_H

/**
 * DOC: igt.h
 *
 * The one header IGT tests include; pulls in the parts of the library this
 * compatibility layer provides.
 */

#include "drmtest.h"
#include "igt_core.h"
#include "ioctl_wrappers.h"

#endif /* IGT_H */
