/*
 * uobj.c - memory objects behind shared and file mappings (see uobj.h).
 */
#include <stdint.h>

#include "errno.h"
#include "fs/pagecache.h"
#include "fs/vfs.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "mm/uobj.h"

static struct uobj *alloc(uint64_t pages)
{
    struct uobj *o;

    if (pages > (1ULL << 36) || !(o = kcalloc(1, sizeof *o + pages * sizeof o->frame[0])))
        return NULL;
    o->refs = 1;
    o->pages = pages;
    spin_init(&o->lock, "uobj");
    return o;
}

struct uobj *uobj_create(uint64_t pages)
{
    return alloc(pages);
}

int uobj_create_file(struct file *f, uint64_t pgoff, uint64_t pages, int writable, struct uobj **out)
{
    uint64_t size = f->inode->size, end = (size + PAGE_CACHE_SIZE - 1) / PAGE_CACHE_SIZE;
    struct uobj *o = alloc(pages);
    int err = 0;

    if (!o || !(o->cpage = kcalloc(pages, sizeof *o->cpage))) {
        kfree(o);
        return -ENOMEM;
    }
    file_get(f);
    o->file_pgoff = pgoff;
    o->file = f;
    for (uint64_t i = 0; i < pages && pgoff + i < end && !err; i++)
        if ((err = pagecache_get_page(f->inode, pgoff + i, &o->cpage[i])) == 0)
            o->frame[i] = o->cpage[i]->phys;
        else
            o->cpage[i] = NULL;
    if (err) {
        uobj_put(o);
        return err;
    }
    /* Dirtying a page from the fault path (uobj_dirty) must not be the first dirty page of the
     * boot: that one starts the flusher thread, which cannot be made with a spinlock held. */
    if (writable && o->cpage[0])
        pagecache_mark_dirty(o->cpage[0]);
    *out = o;
    return 0;
}

void uobj_get(struct uobj *o)
{
    __atomic_fetch_add(&o->refs, 1, __ATOMIC_RELAXED);
}

void uobj_put(struct uobj *o)
{
    if (__atomic_sub_fetch(&o->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    if (o->file) {
        for (uint64_t i = 0; i < o->pages; i++)
            if (o->cpage[i])
                pagecache_put_page(o->cpage[i]);
        kfree(o->cpage);
        file_put(o->file);
    } else {
        for (uint64_t i = 0; i < o->pages; i++)
            if (o->frame[i])
                mm_frame_free(o->frame[i]);
    }
    kfree(o);
}

uint64_t uobj_frame(struct uobj *o, uint64_t index)
{
    uint64_t f;

    if (index >= o->pages)
        return 0;
    if (o->file)
        return o->frame[index];
    spin_lock(&o->lock);
    if (!(f = o->frame[index]) && (f = mm_zeroed_frame()) != PMM_NONE)
        o->frame[index] = f;
    spin_unlock(&o->lock);
    return f;
}

void uobj_dirty(struct uobj *o, uint64_t index)
{
    if (o->file && index < o->pages && o->cpage[index])
        pagecache_mark_dirty(o->cpage[index]);
}

int uobj_sync(struct uobj *o)
{
    return o->file ? pagecache_sync_inode(o->file->inode) : 0;
}
