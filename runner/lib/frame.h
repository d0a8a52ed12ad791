/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A checked channel for files leaving a guest over a serial port: each file
 * travels as a named frame with its length and CRC-32, so a transfer that
 * was cut short or garbled is detected instead of parsed.
 */
#ifndef DMABENCH_FRAME_H
#define DMABENCH_FRAME_H

#include <stddef.h>

int frame_send(const char *device, const char *name, const char *data,
	       size_t len, char *err, size_t errlen);

/*
 * Extract every frame in @channel into @outdir/NAME. The channel comes from
 * a guest: every header field is checked, NAME is a plain file name, and
 * every frame is verified before any is written. Returns the number of
 * frames written, or -1 with the first problem in @err and nothing written.
 * With @salvage, a damaged channel (a guest that died mid-transfer) still
 * gives the frames verified before the damage: their count is returned and
 * the damage is in @err (empty when there was none).
 */
int frame_unpack(const char *channel, const char *outdir, int salvage,
		 char *err, size_t errlen);

#endif
