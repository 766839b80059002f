/*
 * vma_tree.c - the AVL tree of VMAs (see vma_tree.h).
 */
#include <stddef.h>
#include <stdint.h>

#include "mm/uspace.h"
#include "mm/vma_tree.h"
#include "mutant.h"

static int height(const struct uvma *n)
{
    return n ? n->height : 0;
}

static void fix_height(struct uvma *n)
{
    int l = height(n->left), r = height(n->right);

    n->height = 1 + (l > r ? l : r);
}

static struct uvma *rotate_right(struct uvma *n)
{
    struct uvma *l = n->left;

    n->left = l->right;
    l->right = n;
    fix_height(n);
    fix_height(l);
    return l;
}

static struct uvma *rotate_left(struct uvma *n)
{
    struct uvma *r = n->right;

    n->right = r->left;
    r->left = n;
    fix_height(n);
    fix_height(r);
    return r;
}

/* n's subtrees are balanced and differ in height by at most two: n's subtree balanced again. */
static struct uvma *balance(struct uvma *n)
{
    int diff = height(n->left) - height(n->right);

    fix_height(n);
    if (MUTANT_ENABLED(vma_tree))
        return n;                       /* never rebalanced: a list in order of insertion */
    if (diff > 1) {
        if (height(n->left->left) < height(n->left->right))
            n->left = rotate_left(n->left);
        return rotate_right(n);
    }
    if (diff < -1) {
        if (height(n->right->right) < height(n->right->left))
            n->right = rotate_right(n->right);
        return rotate_left(n);
    }
    return n;
}

static struct uvma *insert(struct uvma *n, struct uvma *v)
{
    if (!n) {
        v->left = v->right = NULL;
        v->height = 1;
        return v;
    }
    if (v->start < n->start)
        n->left = insert(n->left, v);
    else
        n->right = insert(n->right, v);
    return balance(n);
}

/* n's subtree without its lowest node, which goes to *min. */
static struct uvma *remove_min(struct uvma *n, struct uvma **min)
{
    if (!n->left) {
        *min = n;
        return n->right;
    }
    n->left = remove_min(n->left, min);
    return balance(n);
}

static struct uvma *remove(struct uvma *n, struct uvma *v)
{
    struct uvma *min, *rest;

    if (!n)
        return NULL;
    if (v->start < n->start) {
        n->left = remove(n->left, v);
    } else if (v->start > n->start) {
        n->right = remove(n->right, v);
    } else {                            /* n is v: its successor takes its place */
        if (!n->right)
            return n->left;
        rest = remove_min(n->right, &min);
        min->left = n->left;
        min->right = rest;
        return balance(min);
    }
    return balance(n);
}

void vma_tree_insert(struct uvma **root, struct uvma *v)
{
    *root = insert(*root, v);
}

void vma_tree_remove(struct uvma **root, struct uvma *v)
{
    *root = remove(*root, v);
}

struct uvma *vma_tree_floor(struct uvma *n, uint64_t addr)
{
    struct uvma *best = NULL;

    while (n) {
        if (n->start <= addr) {
            best = n;
            n = n->right;
        } else {
            n = n->left;
        }
    }
    return best;
}

/* The subtree's node count with every start in [lo, hi), or -1. */
static long check(const struct uvma *n, uint64_t lo, uint64_t hi)
{
    long l, r;

    if (!n)
        return 0;
    if (n->start < lo || n->start >= hi)
        return -1;
    l = check(n->left, lo, n->start);
    r = check(n->right, n->start + 1, hi);
    if (l < 0 || r < 0 || n->height != 1 + (height(n->left) > height(n->right) ? height(n->left) : height(n->right)))
        return -1;
    if (height(n->left) - height(n->right) > 1 || height(n->right) - height(n->left) > 1)
        return -1;
    return l + r + 1;
}

long vma_tree_check(const struct uvma *root)
{
    return check(root, 0, ~0ULL);
}
