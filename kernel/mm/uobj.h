/*
 * uobj.h - a memory object: where the pages of a MAP_SHARED anonymous
 * mapping live (uobj.c).
 *
 * A private page belongs to the page tables that map it (its frame is
 * counted in frame_ref.h when fork shares it). A shared page cannot: a
 * page first touched after fork, by the child, must appear in the parent
 * too, and MADV_DONTNEED in one process must not lose what the others
 * see. So a shared mapping's frames are held by an object, one slot per
 * page, filled on the first touch in any space; page tables only borrow
 * them (an unmap gives nothing back), and the object frees them when its
 * last mapping goes. Every VMA that maps the object holds a reference:
 * fork's copy of the VMA, each half of a split.
 */
#pragma once

#include <stdint.h>

#include "sync/spinlock.h"

struct uobj {
    unsigned refs;              /* atomic: the VMAs mapping it */
    struct spinlock lock;       /* guards frame[] */
    uint64_t pages;
    uint64_t frame[];           /* physical, 0 until touched */
};

/* An object of `pages` zero pages (none allocated yet); NULL when memory is out. */
struct uobj *uobj_create(uint64_t pages);
void uobj_get(struct uobj *o);
/* The last put frees every frame the object holds (no page table may map them any more). */
void uobj_put(struct uobj *o);
/* The frame of page `index`, a zeroed one allocated on the first call; 0 when memory is out or index is past the end. */
uint64_t uobj_frame(struct uobj *o, uint64_t index);
