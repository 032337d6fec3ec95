import Datasets
import Engine
import Foundation
import Store

/// Runs an experiment's plan locally: `jobs` trials side by side, each on `threadsPerJob`
/// engine threads, one atomic HDF5 file per finished trial. Finished trials are verified and
/// skipped (resume is the default); `fresh` moves old results aside first.
public final class ExperimentRunner: @unchecked Sendable {
    public let config: ExperimentConfig
    public let resultsFolder: String
    public let jobs: Int
    public let threadsPerJob: Int
    private let log: @Sendable (String) -> Void
    private let status: @Sendable (RunStatus) -> Void
    private let verbose: Bool
    private var running: [String: String] = [:]
    private let lock = NSLock()
    private var queue = TrialQueue([])
    private var finished: [TrialRecord] = []
    /// Trials this run has set out to run, over all rounds (the progress total).
    private var total = 0
    /// The first trial file the disk or the folder refused (the run stops there).
    private var writeFailure: HDF5Error?
    /// Trials a job passed over because another run had claimed them.
    private var passedOver: Set<String> = []
    /// Claims on the trials this run trains, shared with other runs on the same folder.
    private var claims: TrialClaims { TrialClaims(folder: trialsFolder) }
    private let seedData: SeedData
    private var stopping = false
    private var startedAt = Date()
    /// Trials other plans put in the same folder (a claim's other conditions): not this plan's,
    /// and not from another resolution of it either.
    public var siblingTrials: Set<String> = []
    /// The threads this run shares with the experiments a suite runs beside it (nil: it runs alone
    /// and starts `jobs` trials at once); its log lines and status then name the experiment.
    public var budget: CoreBudget?
    /// "NAME: " before what a run shares with others says about its trials, else nothing.
    private var sharedTag: String { budget == nil ? "" : config.name + ": " }

    /// - Parameters: `resultsFolder` is `results/NAME`; trials go to its `trials/` folder.
    ///   `threadsPerJob` nil picks cores / jobs.
    /// - Parameters: `status` is called as trials start and epochs finish, for a live progress
    ///   display; `verbose` adds a log line per epoch.
    public init(config: ExperimentConfig, resultsFolder: String, jobs: Int = 1, threadsPerJob: Int? = nil, verbose: Bool = false,
                log: @escaping @Sendable (String) -> Void = { print($0) }, status: @escaping @Sendable (RunStatus) -> Void = { _ in }) {
        self.config = config
        seedData = SeedData(config)
        self.resultsFolder = resultsFolder
        self.jobs = max(1, jobs)
        self.threadsPerJob = threadsPerJob ?? Parallelism.threads(sharingCoresAmong: jobs)
        self.log = log
        self.status = status
        self.verbose = verbose
    }

    public var trialsFolder: String { resultsFolder + "/trials" }

    /// Moves existing results aside (to `<folder>.old-<timestamp>`), never deleting them.
    public func moveOldResultsAside() throws {
        guard FileManager.default.fileExists(atPath: resultsFolder) else { return }
        let aside = resultsFolder + ".old-" + String(Int(Date().timeIntervalSince1970))
        try FileManager.default.moveItem(atPath: resultsFolder, toPath: aside)
        log("moved earlier results to \(aside)")
    }

    /// Asks the runner to start no further trials (trials in flight finish).
    public func stop() { lock.withLock { stopping = true } }

    /// Runs every trial of the plan without a verified result file — in rounds, as the results
    /// call for more (model stacks, seeds the sequential rule adds) — trying each at most once,
    /// and passing over (then waiting for) trials another run on the same folder has claimed;
    /// returns every verified record of the final plan (earlier ones included), and the ids that
    /// are still missing.
    public func run() throws -> (records: [TrialRecord], missing: [String]) {
        try FileManager.default.createDirectory(atPath: trialsFolder, withIntermediateDirectories: true)
        let scan = try TrialDirectory(path: trialsFolder).scan()
        for problem in scan.problems { log("warning: \(problem) (it will be rerun)") }
        warnAboutOtherResolutions(scan.records + scan.superseded, plan: config.plan(given: scan.records + scan.superseded))
        BLASThreads.set(1)
        startedAt = Date()
        let executor = makeExecutor()
        var attempted: Set<String> = [], firstRound = true, waitingSaid = false
        while !lock.withLock({ stopping }) {
            let known = try recordsOnDisk()
            let plan = config.plan(given: known)
            let done = Set(known.filter { $0.status != .failed }.map(\.trialID))
            let elsewhere = Dictionary(claims.held().map { ($0.trialID, $0) }, uniquingKeysWith: { a, _ in a })
            let todo = longestFirst(plan.filter { !done.contains($0.id) && !attempted.contains($0.id) && elsewhere[$0.id] == nil })
            if todo.isEmpty, let held = plan.first(where: { !done.contains($0.id) && elsewhere[$0.id] != nil }).flatMap({ elsewhere[$0.id] }) {
                if !waitingSaid {
                    let count = plan.filter { !done.contains($0.id) && elsewhere[$0.id] != nil }.count
                    log("\(config.name): waiting for \(count) trial(s) another run is training on this folder (\(held.host), pid \(held.pid))")
                    waitingSaid = true
                }
                Thread.sleep(forTimeInterval: 1)
                continue
            }
            if firstRound {
                log("\(config.name): \(plan.count) trials, \(plan.count - todo.count) already done, \(todo.count) to run "
                    + "(\(jobs) job\(jobs == 1 ? "" : "s") × \(threadsPerJob) thread\(threadsPerJob == 1 ? "" : "s")"
                    + (budget.map { ", sharing \($0.capacity) thread\($0.capacity == 1 ? "" : "s") with the experiments beside it)" } ?? ")"))
            } else if !todo.isEmpty {
                log("\(config.name): the results so far call for \(todo.count) more trial(s) (model stacks, or seeds the sequential rule adds); "
                    + "\(plan.count) in the plan now")
            }
            firstRound = false
            guard !todo.isEmpty else { break }
            attempted.formUnion(todo.map(\.id))
            runRound(todo, executor)
            attempted.subtract(lock.withLock { passedOver })   // claimed by another run meanwhile: wait for them instead
        }
        if let failure = lock.withLock({ writeFailure }) {
            throw RunError.writeFailed(failure, finished: lock.withLock { finished.count })
        }
        let known = try recordsOnDisk()
        let plan = config.plan(given: known)
        let planned = Set(plan.map(\.id))
        let records = known.filter { planned.contains($0.trialID) }
        let present = Set(records.map(\.trialID))
        return (records, plan.map(\.id).filter { !present.contains($0) })
    }

    /// `record` as this experiment analyses it: the analysis (what the arms choose on, the margin,
    /// the sequential rule) is not part of a trial's id, so a trial another experiment or condition
    /// trained under another analysis — a claim's condition that chooses on checked labels beside
    /// one that chooses on the labels as delivered — is read under this one's.
    private func readUnderThisAnalysis(_ record: TrialRecord) -> TrialRecord {
        var record = record
        record.analysisPlan = config.analysisPlan
        return record
    }

    /// Every readable trial file in the folder, older resolutions included, read under this
    /// experiment's analysis (so the plan's sequential looks, too, judge by its margin).
    private func recordsOnDisk() throws -> [TrialRecord] {
        let scan = try TrialDirectory(path: trialsFolder).scan()
        return (scan.records + scan.superseded).map(readUnderThisAnalysis)
    }

    /// Runs `todo` on `jobs` threads until it is done or the run is stopped.
    private func runRound(_ todo: [Trial], _ executor: TrialExecutor) {
        lock.withLock { total += todo.count }
        queue = TrialQueue(todo.map { ($0, $0.curationKeys) })
        let group = DispatchGroup()
        for _ in 0..<min(jobs, max(todo.count, 1)) {
            group.enter()
            Thread.detachNewThread { [self] in
                Parallelism.withWorkers(threadsPerJob) { work(executor) }
                group.leave()
            }
        }
        group.wait()
    }

    /// Says how many trial files hold a trial of the plan (same arm, variant and seed) under another
    /// id: run from another resolution of the experiment, so never reused as this plan's.
    private func warnAboutOtherResolutions(_ records: [TrialRecord], plan: [Trial]) {
        let planned = Set(plan.map(\.id)).union(siblingTrials)
        let keys = Set(plan.map { "\($0.arm.rawValue) \($0.variant.name) \($0.seed)" })
        let others = records.filter { !planned.contains($0.trialID) && $0.experiment == config.name
            && keys.contains("\($0.arm.rawValue) \($0.variant) \($0.seed)") }
        guard let example = others.first else { return }
        log("warning: \(others.count) trial file(s) in \(trialsFolder) were run from another resolution of these trials (an edited "
            + "experiment file, other overrides, or a default that changed since; e.g. \(example.trialID)); they are kept, not reused, "
            + "and this run trains the plan's own. --fresh moves the folder aside first")
    }

    /// Trials in the order to start them: the most expensive first (`Trial.estimatedCost`), so the
    /// trials left at the end are short and no job sits idle while one long trial finishes. The
    /// order changes no result: each trial is a pure function of its config and seed.
    func longestFirst(_ trials: [Trial]) -> [Trial] {
        let imageSize = config.data.scenario == nil ? 32 : config.data.imageSize
        var flopsPerSample: [Architecture: Double] = [:]   // one model built per architecture, not per trial
        let costs = trials.map { trial in
            let architecture = trial.variant.recipe.architecture
            if flopsPerSample[architecture] == nil {
                let model = try? Recipe(architecture: architecture).model(inputChannels: 1, imageSize: imageSize, classes: 2, seed: 0)
                flopsPerSample[architecture] = Double(model?.trainingFLOPsPerSample ?? 1)
            }
            return trial.estimatedCost(flopsPerSample: flopsPerSample[architecture]!)
        }
        return trials.indices.sorted { (-costs[$0], $0) < (-costs[$1], $1) }.map { trials[$0] }
    }

    /// The executor every trial of this run uses (human reviews go to `reviews/`).
    private func makeExecutor() -> TrialExecutor {
        TrialExecutor(experiment: config, reviewFolder: resultsFolder + "/reviews")
    }

    /// Runs trial `index` of the plan alone (a Slurm array task), unless a verified result for it
    /// is already there. Returns the record, and whether it was run now (false: skipped).
    /// - Throws: `ConfigError` when `index` is outside the plan.
    public func runTrial(at index: Int) throws -> (record: TrialRecord, ranNow: Bool) {
        try FileManager.default.createDirectory(atPath: trialsFolder, withIntermediateDirectories: true)
        let known = try recordsOnDisk()
        let trial = try trial(at: index, of: config.plan(given: known))
        if let done = known.first(where: { $0.trialID == trial.id && $0.status != .failed }) {
            return (done, false)
        }
        guard claims.claim(trial.id) else { throw RunError.claimedElsewhere(trial.id, by: claims.held().first { $0.trialID == trial.id }) }
        defer { claims.release(trial.id) }
        BLASThreads.set(1)
        let executor = makeExecutor()
        let data = try config.data(seed: trial.seed)
        let record = Parallelism.withWorkers(threadsPerJob) { executor.run(trial, data: data) }
        try TrialFile.write(record, to: trialsFolder)
        return (record, true)
    }

    /// The trial at `index`: the one the scheduler was handed at that index (`plan.tsv`, written
    /// at submission, since later results can add trials to the plan), else the plan's own.
    /// - Throws: `ConfigError` when the index is outside the plan, or plan.tsv names a trial the
    ///   experiment no longer plans.
    private func trial(at index: Int, of plan: [Trial]) throws -> Trial {
        guard let rows = PlanFile.read(in: resultsFolder)?.rows else {
            guard plan.indices.contains(index) else { throw ConfigError("--index \(index): the plan of \(config.name) has trials 0...\(plan.count - 1)") }
            return plan[index]
        }
        guard let row = rows.first(where: { $0.index == index }) else {
            throw ConfigError("--index \(index): \(PlanFile.path(in: resultsFolder)) lists trials 0...\(rows.count - 1)")
        }
        guard let trial = plan.first(where: { $0.id == row.trialID }) else {
            throw ConfigError("--index \(index): \(PlanFile.path(in: resultsFolder)) names trial \(row.trialID), which this experiment file and "
                              + "overrides do not plan; was the file edited after the jobs were submitted? Submit again")
        }
        return trial
    }

    /// One job: trials until none is left, each holding its threads of `budget` when there is one.
    private func work(_ executor: TrialExecutor) {
        while true {
            let tookOne = budget.map { $0.holding(threadsPerJob) { runNext(executor) } } ?? runNext(executor)
            guard tookOne else { return }
        }
    }

    /// Takes the next trial of the round and runs it, unless another run has claimed or finished
    /// it; false when none was left to take.
    private func runNext(_ executor: TrialExecutor) -> Bool {
        let taken: Trial? = lock.withLock { stopping ? nil : queue.next(isStored: executor.cache.isStored) }
        guard let trial = taken else { return false }
        guard claims.claim(trial.id) else {
            lock.withLock { queue.finished(trial.id); passedOver.insert(trial.id) }
            return true
        }
        defer { claims.release(trial.id) }
        if FileManager.default.fileExists(atPath: trialsFolder + "/" + TrialFile.fileName(for: trial.id)) {   // another run finished it meanwhile
            lock.withLock { queue.finished(trial.id) }
            return true
        }
        let label = sharedTag + "\(trial.arm) \(trial.variant.name) seed \(trial.seed)"
        report(trial.id, "\(label): preparing data")
        do {
            let record = executor.run(trial, data: try seedData.dataset(seed: trial.seed)) { epoch in
                report(trial.id, "\(label): epoch \(epoch.epoch)/\(trial.variant.recipe.training.epochs)")
                if verbose { log(String(format: "  %@ epoch %d: train loss %.4f, train %.3f, val %@", label, epoch.epoch, epoch.trainLoss,
                                    epoch.trainAccuracy, epoch.validationAccuracyText)) }
            }
            try TrialFile.write(record, to: trialsFolder)
            let (count, total) = lock.withLock { finished.append(record); running[trial.id] = nil; queue.finished(trial.id); return (finished.count, self.total) }
            let accuracy = record.metrics?.scoresText(config.analysisPlan.metric) ?? record.error
            log(String(format: "[%d/%d] %@%@ %@ seed %d: %@, %@ (%.1f s)%@", count, total, sharedTag, trial.arm.rawValue, trial.variant.name,
                       trial.seed, record.status.rawValue, accuracy, record.wallSeconds, eta(done: count, of: total)))
        } catch let error as HDF5Error where error.isWriteFailure {
            // The disk or the folder refused the file: every later trial would fail the same way.
            lock.withLock { queue.finished(trial.id); running[trial.id] = nil; writeFailure = writeFailure ?? error; stopping = true }
            log("[\(trial.id)] could not be written: \(error)")
        } catch {
            lock.withLock { queue.finished(trial.id); running[trial.id] = nil }
            log("[\(trial.id)] could not run: \(error)")
        }
        return true
    }

    /// Tells the status display what trial `id` is doing now.
    private func report(_ id: String, _ activity: String) {
        let snapshot: RunStatus = lock.withLock {
            running[id] = activity
            let elapsed = Date().timeIntervalSince(startedAt)
            let eta = finished.isEmpty ? nil : elapsed / Double(finished.count) * Double(total - finished.count)
            return RunStatus(done: finished.count, total: total, running: running.keys.sorted().map { running[$0]! }, secondsLeft: eta)
        }
        status(snapshot)
    }

    /// ", about M:SS left", from the mean pace so far (empty when done).
    private func eta(done: Int, of total: Int) -> String {
        guard done < total else { return "" }
        let left = Int(Date().timeIntervalSince(startedAt) / Double(done) * Double(total - done))
        return String(format: ", about %d:%02d left", left / 60, left % 60)
    }
}
