/*
 * ttyfile.c - a terminal as a devfs file (/dev/ttyS0, /dev/tty1, ...): read,
 * write and ioctl go to the terminal layer (kernel/tty/tty.h) unchanged;
 * O_NONBLOCK makes an empty read -EAGAIN. A terminal has no position.
 */
#include "fs/devfs/devices.h"
#include "tty/tty.h"

static long tty_file_read(struct file *f, void *buf, size_t len, uint64_t *pos)
{
    (void)pos;
    return tty_read(f->inode->priv, buf, len, (f->flags & O_NONBLOCK) != 0);
}

static long tty_file_write(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
    (void)pos;
    return tty_write(f->inode->priv, buf, len);
}

static long tty_file_ioctl(struct file *f, unsigned long cmd, unsigned long arg)
{
    return tty_ioctl(f->inode->priv, cmd, (void *)arg);
}

const struct file_ops devfs_tty_fops = {
    .read = tty_file_read,
    .write = tty_file_write,
    .ioctl = tty_file_ioctl,
};
