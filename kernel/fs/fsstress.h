/*
 * fsstress.h - a random write workload on every writable mounted file
 * system (fsstress.c), run by `test=fsstress seed=N` on the command line
 * (kernel/test/dispatch.c) and judged from the outside by
 * tests/qemu/fs-crash.sh: QEMU is killed at a random moment, then fsck.fat,
 * e2fsck, mtools and debugfs look at what reached the disk
 * (docs/files-images.md, "The write workload").
 *
 * What it prints on the log, one line each:
 *   fsstress: seed=N ops=LIMIT            once, at the start (LIMIT 0: no end)
 *   fsstress: fs MOUNT type=T source=S work=DIR  each file system it works
 *                                         on, after the mkdir of its work folder
 *   fsstress: OP PATH [PATH2] [k=v ...]   before each operation starts
 *   fsstress: synced PATH size=N crc32=HEX  after each completed fsync:
 *                                         the file's size and the CRC-32 of
 *                                         its bytes (zlib's), read back
 *   fsstress: error OP PATH: -E           an operation that failed where the
 *                                         workload's model said it would not
 *   fsstress: done N ops, vfs_sync RC     with a limit: after the last
 *                                         operation and a vfs_sync
 * OP is one of create, write, append, truncate, rename, link, unlink, mkdir,
 * rmdir, fsync; paths are absolute, as Tessera sees them.
 */
#pragma once

#include <stdint.h>

/*
 * Run the workload with this seed: for ever when ops is 0 (the test stops
 * QEMU), else for ops operations, then vfs_sync. Returns 0, or -ENOENT when
 * no writable file system is mounted.
 */
int fsstress_run(uint64_t seed, uint64_t ops);
