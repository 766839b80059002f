/*
 * robust.c - a lock holder that dies, and what its waiters learn
 * (set_robust_list and the kernel's walk at exit: kernel/proc/robust.c),
 * with prctl's names: a process-shared robust mutex in MAP_SHARED memory,
 * taken by a child that then exits without unlocking; the parent's lock
 * returns EOWNERDEAD, the mutex is made consistent and works again. The
 * same with the parent already waiting when the child dies (the wake-up),
 * and with a child that execs instead of exiting (the walk at exec).
 * get_robust_list gives back the head the caller set; PR_SET_NAME and
 * PR_GET_NAME, and /proc/self/comm showing the name.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int bad;

static void check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    bad += !ok;
}

static pthread_mutex_t *shared_mutex(void)
{
    pthread_mutexattr_t a;
    pthread_mutex_t *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

    if (m == MAP_FAILED)
        return NULL;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(m, &a);
    return m;
}

/* A child takes the lock and ends (exit, or exec of a program that exits at once). */
static pid_t holder(pthread_mutex_t *m, int by_exec, int pipe_w)
{
    pid_t pid = fork();

    if (pid == 0) {
        pthread_mutex_lock(m);
        write(pipe_w, "L", 1);          /* it holds the lock now */
        if (by_exec)
            execv("/proc/self/exe", (char *[]){ "robust", "exit", NULL });
        usleep(50000);                  /* time for the parent to start waiting */
        _exit(0);                       /* dies holding it */
    }
    return pid;
}

static void owner_dies(const char *how, int by_exec, int wait_first)
{
    pthread_mutex_t *m = shared_mutex();
    int p[2], status = 0, r;
    char c;

    if (!m || pipe(p)) {
        check(how, 0);
        return;
    }
    pid_t pid = holder(m, by_exec, p[1]);
    read(p[0], &c, 1);
    if (!wait_first)
        waitpid(pid, &status, 0);       /* dead before we ask */
    r = pthread_mutex_lock(m);          /* with wait_first, asleep until the child dies */
    if (wait_first)
        waitpid(pid, &status, 0);
    printf("%s: lock returned %s\n", how, r == EOWNERDEAD ? "EOWNERDEAD" : r == 0 ? "0" : strerror(r));
    check(how, r == EOWNERDEAD);
    check("  made consistent", pthread_mutex_consistent(m) == 0);
    check("  unlocked and locked again", pthread_mutex_unlock(m) == 0 && pthread_mutex_lock(m) == 0 &&
          pthread_mutex_unlock(m) == 0);
    close(p[0]);
    close(p[1]);
    munmap(m, 4096);
}

static void robust_list_calls(void)
{
    long head[3] = { 0, 0, 0 };
    void *got = NULL;
    size_t len = 0;

    head[0] = (long)head;               /* an empty list points at itself */
    check("set_robust_list with a wrong size: EINVAL",
          syscall(SYS_set_robust_list, head, 23) == -1 && errno == EINVAL);
    check("set_robust_list", syscall(SYS_set_robust_list, head, sizeof head) == 0);
    check("get_robust_list gives it back",
          syscall(SYS_get_robust_list, 0, &got, &len) == 0 && got == head && len == sizeof head);
    check("get_robust_list of no such thread: ESRCH",
          syscall(SYS_get_robust_list, 999999, &got, &len) == -1 && errno == ESRCH);
    check("get_robust_list into a bad pointer: EFAULT",
          syscall(SYS_get_robust_list, 0, (void *)8, &len) == -1 && errno == EFAULT);
}

static void names(void)
{
    char name[16] = "", comm[64] = "";
    int fd;

    check("PR_SET_NAME", prctl(PR_SET_NAME, "renamed-and-cut-here") == 0);
    check("PR_GET_NAME: cut to 15 bytes", prctl(PR_GET_NAME, name) == 0 && strcmp(name, "renamed-and-cut") == 0);
    fd = open("/proc/self/comm", O_RDONLY);
    check("/proc/self/comm shows it", fd >= 0 && read(fd, comm, sizeof comm - 1) > 0 &&
          strcmp(comm, "renamed-and-cut\n") == 0);
    close(fd);
    check("an unknown option: EINVAL", prctl(0x7fff, 0, 0, 0, 0) == -1 && errno == EINVAL);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exit") == 0)
        return 0;                       /* the exec'd child: its old program's locks are released */
    setvbuf(stdout, NULL, _IONBF, 0);
    owner_dies("owner exited, then lock", 0, 0);
    owner_dies("lock waiting, then owner exited", 0, 1);
    owner_dies("owner exec'd, then lock", 1, 0);
    robust_list_calls();
    names();
    printf("robust: %s\n", bad ? "FAILED" : "all passed");
    return bad != 0;
}
