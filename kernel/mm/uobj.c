/*
 * uobj.c - shared anonymous memory objects (see uobj.h).
 */
#include <stdint.h>

#include "mm/heap.h"
#include "mm/mm.h"
#include "mm/uobj.h"

struct uobj *uobj_create(uint64_t pages)
{
    struct uobj *o;

    if (pages > (1ULL << 36) || !(o = kcalloc(1, sizeof *o + pages * sizeof o->frame[0])))
        return NULL;
    o->refs = 1;
    o->pages = pages;
    spin_init(&o->lock, "uobj");
    return o;
}

void uobj_get(struct uobj *o)
{
    __atomic_fetch_add(&o->refs, 1, __ATOMIC_RELAXED);
}

void uobj_put(struct uobj *o)
{
    if (__atomic_sub_fetch(&o->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    for (uint64_t i = 0; i < o->pages; i++)
        if (o->frame[i])
            mm_frame_free(o->frame[i]);
    kfree(o);
}

uint64_t uobj_frame(struct uobj *o, uint64_t index)
{
    uint64_t f;

    if (index >= o->pages)
        return 0;
    spin_lock(&o->lock);
    if (!(f = o->frame[index]) && (f = mm_zeroed_frame()) != PMM_NONE)
        o->frame[index] = f;
    spin_unlock(&o->lock);
    return f;
}
