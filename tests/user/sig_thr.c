/*
 * sig_thr.c - signals and threads (docs/signals.md): a signal sent to the
 * process runs its handler in the one thread that does not block it; one
 * sent to a thread (pthread_kill: tgkill) runs in that thread; masks are
 * per thread and a new thread starts with its creator's; exit from one
 * thread ends the others (exit_group: a thread asleep in pause is
 * interrupted and leaves). Compared with Linux's output (tests/user/diff.sh).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static pthread_t worker;
static volatile int ready, done, got_usr1, got_usr2, usr1_in_worker, usr2_in_worker, inherited_block;

static void on_usr1(int sig)
{
    (void)sig;
    usr1_in_worker = pthread_equal(pthread_self(), worker);
    got_usr1 = 1;
}

static void on_usr2(int sig)
{
    (void)sig;
    usr2_in_worker = pthread_equal(pthread_self(), worker);
    got_usr2++;
}

static void nap(void)
{
    struct timespec ts = { 0, 2000000 };

    nanosleep(&ts, NULL);
}

static void *work(void *arg)
{
    sigset_t set, now;

    (void)arg;
    pthread_sigmask(SIG_BLOCK, NULL, &now);
    inherited_block = sigismember(&now, SIGUSR1);
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    ready = 1;
    while (!done)
        pause();
    return NULL;
}

static void *sleeper(void *arg)
{
    (void)arg;
    ready = 1;
    for (;;)
        pause();
    return NULL;
}

int main(void)
{
    sigset_t set;
    pthread_t t2;
    int i;

    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, on_usr2);
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    pthread_create(&worker, NULL, work, NULL);
    for (i = 0; i < 2000 && !ready; i++)
        nap();
    printf("worker started with SIGUSR1 blocked (its creator's mask): %d\n", inherited_block);

    kill(getpid(), SIGUSR1);
    for (i = 0; i < 2000 && !got_usr1; i++)
        nap();
    printf("kill to the process: handled %d, in the worker %d\n", got_usr1, usr1_in_worker);

    pthread_kill(worker, SIGUSR2);
    for (i = 0; i < 2000 && !got_usr2; i++)
        nap();
    printf("pthread_kill to the worker: handled %d, in the worker %d\n", got_usr2, usr2_in_worker);

    done = 1;
    pthread_kill(worker, SIGUSR2);
    pthread_join(worker, NULL);
    printf("worker joined\n");

    ready = 0;
    pthread_create(&t2, NULL, sleeper, NULL);
    for (i = 0; i < 2000 && !ready; i++)
        nap();
    printf("sig_thr: all passed\n");
    fflush(stdout);
    exit(0);                                    /* ends the sleeper too: exit_group */
}
