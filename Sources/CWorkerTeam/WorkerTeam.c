// The engine's team of threads (see CWorkerTeam.h).
#include "CWorkerTeam.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define relax() _mm_pause()
#else
#define relax() ((void)0)
#endif

// MAX_THREADS: team threads beyond the caller. SPINS: pauses a thread waits for the next region
// before it sleeps (about 30 µs on a 3–4 GHz CPU whose pause takes tens of cycles).
enum { MAX_THREADS = 255, SPINS = 2000 };

static struct {
    pthread_mutex_t busy;            // held by the caller of a region
    pthread_mutex_t lock;            // guards sleeping and waking
    pthread_cond_t wake;
    atomic_uint generation;          // one more per region
    atomic_int pending;              // team threads still in the current region
    int threads;                     // started so far
    unsigned started_at;             // the generation before the region whose caller started the newest thread
    int workers;                     // of the current region
    fw_team_body body;
    void *context;
} team = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};

// Waits until the generation differs from `seen`: spinning first, then asleep. Returns it.
static unsigned next_generation(unsigned seen) {
    for (int i = 0; i < SPINS; i++) {
        const unsigned g = atomic_load_explicit(&team.generation, memory_order_acquire);
        if (g != seen) return g;
        relax();
    }
    pthread_mutex_lock(&team.lock);
    unsigned g;
    while ((g = atomic_load_explicit(&team.generation, memory_order_acquire)) == seen) pthread_cond_wait(&team.wake, &team.lock);
    pthread_mutex_unlock(&team.lock);
    return g;
}

// Team thread `index` (1 …): every region's worker `index` when the region has that many.
static void *team_thread(void *argument) {
    const int index = (int)(intptr_t)argument;
    unsigned seen = team.started_at;   // so the region it was started for is one it takes part in
    for (;;) {
        seen = next_generation(seen);
        if (index < team.workers) team.body(team.context, index);
        atomic_fetch_sub_explicit(&team.pending, 1, memory_order_acq_rel);
    }
    return NULL;
}

// Starts team threads until there are `count` (called with `busy` held, between regions).
static int start_threads(int count) {
    team.started_at = atomic_load_explicit(&team.generation, memory_order_relaxed);
    while (team.threads < count) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        const int failed = pthread_create(&thread, &attributes, team_thread, (void *)(intptr_t)(team.threads + 1));
        pthread_attr_destroy(&attributes);
        if (failed) return 0;
        team.threads++;
    }
    return 1;
}

int fw_team_run(int workers, fw_team_body body, void *context) {
    if (workers < 1 || workers - 1 > MAX_THREADS) return 0;
    if (pthread_mutex_trylock(&team.busy) != 0) return 0;
    if (!start_threads(workers - 1)) {
        pthread_mutex_unlock(&team.busy);
        return 0;
    }
    team.workers = workers;
    team.body = body;
    team.context = context;
    atomic_store_explicit(&team.pending, team.threads, memory_order_relaxed);
    pthread_mutex_lock(&team.lock);
    atomic_fetch_add_explicit(&team.generation, 1, memory_order_release);
    pthread_cond_broadcast(&team.wake);
    pthread_mutex_unlock(&team.lock);
    body(context, 0);
    while (atomic_load_explicit(&team.pending, memory_order_acquire) != 0) relax();
    pthread_mutex_unlock(&team.busy);
    return 1;
}
