#ifndef FLYWHEEL_WORKER_TEAM_H
#define FLYWHEEL_WORKER_TEAM_H

// The engine's team of threads for its parallel regions (a batch split into one chunk per worker,
// then everyone waits for everyone). The threads are started on first use and kept; between
// regions each spins on a generation counter for a few tens of microseconds, then sleeps on a
// condition variable — so a region that follows another soon, as a network's layers do, starts in
// well under a microsecond, where waking parked threads (DispatchQueue.concurrentPerform) costs
// several. Which worker runs which chunk is fixed by its index, so results do not depend on it.

/// A region's work: called once per worker index, 0 … workers − 1.
typedef void (*fw_team_body)(void *context, int worker);

/// Runs body(context, w) for every w in 0 … workers − 1 — w = 0 on the calling thread, the others on
/// the team's threads — and returns 1 when all have returned. Returns 0 without running anything
/// when the team is busy with another caller's region (another thread's, or this one's, nested):
/// the caller then runs the region some other way.
int fw_team_run(int workers, fw_team_body body, void *context);
#endif
