/*
 * hello.c - the first program: one line through write(2) itself, one
 * through stdio (musl's printf ends in writev), then exit status 0.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    static const char msg[] = "hello from ring 3\n";

    if (write(1, msg, strlen(msg)) != (ssize_t)strlen(msg))
        return 1;
    printf("hello through stdio, pid %d\n", getpid());
    return 0;
}
