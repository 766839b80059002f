/*
 * uobj.h - a memory object: where the pages of a MAP_SHARED mapping, or
 * of a file mapping, come from (uobj.c).
 *
 * A private anonymous page belongs to the page tables that map it (its
 * frame is counted in frame_ref.h when fork shares it). A shared page
 * cannot: a page first touched after fork, by the child, must appear in
 * the parent too, and MADV_DONTNEED in one process must not lose what
 * the others see. So a shared mapping's frames are held by an object, one
 * slot per page; page tables only borrow them (an unmap gives nothing
 * back), and the object lets them go when its last mapping goes. Every
 * VMA that maps the object holds a reference: fork's copy of the VMA,
 * each half of a split.
 *
 * Two kinds:
 *   anonymous  (uobj_create) zeroed frames, allocated on the first touch
 *              in any space, freed by the last put;
 *   a file's   (uobj_create_file) the page cache's pages of the mapped
 *              range, every one read and referenced when the object is
 *              made, in the mmap call, where sleeping on the disk is
 *              allowed: the page-fault path runs with interrupts off and
 *              a spinlock held, so it only ever looks a frame up here.
 *              Pages past the end of the file have no frame (0). The
 *              object holds a reference on the open file, so the inode
 *              lives as long as a mapping does.
 * A MAP_SHARED file VMA maps the page cache's frames themselves; a private
 * one copies a page from here on its first touch (uspace.c).
 */
#pragma once

#include <stdint.h>

#include "sync/spinlock.h"

struct file;
struct cpage;

struct uobj {
    unsigned refs;              /* atomic: the VMAs mapping it */
    struct spinlock lock;       /* guards frame[] of an anonymous object */
    struct file *file;          /* a file's object: the open file (a reference); NULL: anonymous */
    struct cpage **cpage;       /* a file's: the page cache pages held, NULL past the end */
    uint64_t file_pgoff;        /* a file's: the file page its page 0 is (/proc/N/maps's offset) */
    uint64_t pages;
    uint64_t frame[];           /* physical, 0 until touched (anonymous) or past the end (a file) */
};

/* An object of `pages` zero pages (none allocated yet); NULL when memory is out. */
struct uobj *uobj_create(uint64_t pages);
/* The `pages` pages of f from page pgoff, read into the page cache now (writable: a
 * MAP_SHARED mapping that may write them); 0 and *out, or a negative errno (the file's
 * read error, -ENOMEM). */
int uobj_create_file(struct file *f, uint64_t pgoff, uint64_t pages, int writable, struct uobj **out);
void uobj_get(struct uobj *o);
/* The last put lets every frame go (no page table may map them any more): an anonymous
 * object's to the frame allocator, a file's back to the page cache, and drops the file. */
void uobj_put(struct uobj *o);
/* The frame of page `index`: an anonymous object allocates a zeroed one on the first call.
 * 0 when memory is out, past the end of the object, or past the end of the file. Never sleeps. */
uint64_t uobj_frame(struct uobj *o, uint64_t index);
/* A file's page `index` was (or may have been) written through a mapping: the page cache
 * writes it back. Nothing for an anonymous object. */
void uobj_dirty(struct uobj *o, uint64_t index);
/* Write a file object's dirty pages back and wait (msync MS_SYNC): 0 or the first error. */
int uobj_sync(struct uobj *o);
