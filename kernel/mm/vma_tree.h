/*
 * vma_tree.h - an address space's VMAs in an AVL tree keyed by their start
 * address (vma_tree.c).
 *
 * The tree sits beside the sorted list (uvma.next), it does not replace
 * it: walks over a range (unmap, mprotect, fork, exit) follow the list,
 * one step per VMA; the tree answers the one question a walk from the
 * head would make slow once a process maps hundreds of regions (thread
 * stacks, file mappings): which VMA holds, or lies just below, an
 * address (vma_tree_floor), in O(log n), for the page-fault path and
 * mmap. AVL (Adelson-Velsky and Landis, 1962) because its rules fit in a
 * few lines: each node keeps its height, and a node whose subtrees'
 * heights differ by two is rotated back; insert and remove are recursive,
 * at most 2 log2(n) deep.
 *
 * Starts are unique (VMAs never overlap). A stack growing down moves its
 * start lower without leaving its place in the order (nothing starts in
 * the range it takes), so the tree stays valid.
 */
#pragma once

#include <stdint.h>

struct uvma;

void vma_tree_insert(struct uvma **root, struct uvma *v);
void vma_tree_remove(struct uvma **root, struct uvma *v);
/* The VMA with the greatest start <= addr, or NULL. */
struct uvma *vma_tree_floor(struct uvma *root, uint64_t addr);
/* Check the AVL and order rules over the whole tree: the number of VMAs, or -1 when broken (tests). */
long vma_tree_check(const struct uvma *root);
