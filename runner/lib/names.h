/* SPDX-License-Identifier: GPL-2.0 */
/* Names of the ABI's enums as they appear in configs, results and reports. */
#ifndef DMABENCH_NAMES_H
#define DMABENCH_NAMES_H

#include <stdint.h>

const char *api_name(uint32_t api);
const char *mode_name(uint32_t mode);
const char *pattern_name(uint32_t pattern);
const char *dir_name(uint32_t dir);

/* Each returns the enum value, or -1 if the name is unknown. */
int api_from_name(const char *name);
int mode_from_name(const char *name);
int pattern_from_name(const char *name);
int dir_from_name(const char *name);

/* The valid names of each kind, space separated, for error messages. */
const char *api_names(void);
const char *mode_names(void);

/* Strict, lazy and passthrough: the modes that boot with an IOMMU. */
int mode_uses_iommu(uint32_t mode);

/* @mode (a name) as a table's 7-column mode field: "pt" for passthrough. */
const char *mode_column(const char *mode);
const char *pattern_names(void);
const char *dir_names(void);

#endif
