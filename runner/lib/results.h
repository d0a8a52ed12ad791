/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Result documents (docs/results.md has the schema): every later stage
 * reads only these, and only through result_load(), which refuses unknown
 * schema versions and truncated or incomplete files.
 */
#ifndef DMABENCH_RESULTS_H
#define DMABENCH_RESULTS_H

#include <jansson.h>
#include <stddef.h>

#define RESULT_SCHEMA "dmabench-result"
#define RESULT_SCHEMA_VERSION 1
#define RESULT_MAX_RUNS 100
/* params.c's bound of the threads key */
#define RESULT_MAX_THREADS 4096
/* far above any result a config can make; a bound, not a promise */
#define RESULT_MAX_BYTES (256UL << 20)

/* A string member of @o, or "?" when absent: for printing. */
const char *json_str(json_t *o, const char *key);

int result_write(const char *path, json_t *doc, char *err, size_t len);
json_t *result_load(const char *path, char *err, size_t len);

/* Load every *.json result in a directory (or the one file named). */
json_t *result_load_set(const char *path, char *err, size_t len);

/*
 * The modes a guest kernel refused on its machine, from the MODE.unavailable
 * files the harness leaves in the folder @path: {"MODE": "why"}, the reason
 * cut to printable ASCII. Empty for a file, or a folder without any.
 */
json_t *result_unavailable_modes(const char *path);

/*
 * The IOMMU a result's mode ran on, by --iommu name ("intel", "amd",
 * "virtio") from the QEMU device it records; NULL for direct and swiotlb,
 * and for results without a QEMU machine (a real host).
 */
const char *result_iommu(json_t *doc);

/* Do the result sets @a and @b hold results of more than one IOMMU? */
int result_sets_several_iommus(json_t *a, json_t *b);

/*
 * @doc's mode for a table's mode field: "pt" for passthrough, and with
 * @several IOMMUs the IOMMU's name before it ("amd-strict").
 */
void result_mode_label(json_t *doc, int several, char *buf, size_t len);

/* "VT-d", "AMD-Vi", "virtio-iommu" for result_iommu()'s names. */
const char *iommu_title(const char *iommu);

/*
 * The order of a comparison's IOMMU groups, plots and conclusions: none
 * (direct, swiotlb, one IOMMU), then VT-d, AMD-Vi, virtio-iommu, SMMUv3.
 */
#define IOMMU_ORDER_COUNT 5
/* Two result_iommu() answers name the same IOMMU (or both none). */
int same_iommu(const char *a, const char *b);
extern const char *const iommu_order[IOMMU_ORDER_COUNT];

#endif
