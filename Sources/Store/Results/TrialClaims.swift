#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Claims on the trials a run is about to train, one file each (`trials/.<id>.claim`, created
/// with `O_EXCL`, which is atomic on local filesystems and on NFS v3 and later), so several runs
/// on one results folder — two terminals, two machines sharing the folder, a local run beside a
/// Slurm array — split the plan rather than train a trial twice. A claim names its host, process
/// and start time; one whose process is gone (on the same host), older than `staleAfter`
/// (another host's, which cannot be asked), or left unwritten for `unwrittenAfter` (its process
/// died between creating the file and writing it, or a crash lost the write), is taken over.
public struct TrialClaims: Sendable {
    public let folder: String
    /// How old another host's claim must be before it is taken as abandoned: `FLYWHEEL_CLAIM_TIMEOUT`
    /// seconds, 6 hours by default (longer than any trial of the built-in experiments).
    public let staleAfter: TimeInterval

    /// How long a claim file may stay without its host and process before it is taken as
    /// abandoned: its creator writes them at once after creating it.
    public static let unwrittenAfter: TimeInterval = 60

    /// One claim as its file says it.
    public struct Claim: Sendable, Equatable {
        public let trialID: String
        public let host: String
        public let pid: Int32
        public let started: String

        /// Whether the file lacked its host, process or start time (then host is "?" and pid 0).
        public var isUnwritten: Bool { pid == 0 }
    }

    public init(folder: String) {
        self.folder = folder
        staleAfter = ProcessInfo.processInfo.environment["FLYWHEEL_CLAIM_TIMEOUT"].flatMap(TimeInterval.init) ?? 6 * 3600
    }

    private func path(_ trialID: String) -> String { folder + "/." + trialID + ".claim" }

    /// Claims `trialID` for this process: true when it now holds it (a new claim, or one taken
    /// over from a process that is gone), false when another live process holds it.
    public func claim(_ trialID: String) -> Bool {
        for _ in 0..<2 {
            let descriptor = open(path(trialID), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if descriptor >= 0 {
                let text = "\(Self.host)\n\(getpid())\n\(ISO8601DateFormatter().string(from: Date()))\n"
                _ = text.withCString { write(descriptor, $0, strlen($0)) }
                close(descriptor)
                return true
            }
            guard errno == EEXIST, let held = read(trialID), isStale(held) else { return false }
            unlink(path(trialID))   // abandoned: take it over (the next pass creates it anew)
        }
        return false
    }

    /// Gives up this process's claim on `trialID` (after its file is written, or when it failed).
    public func release(_ trialID: String) {
        guard let held = read(trialID), held.host == Self.host, held.pid == getpid() else { return }
        unlink(path(trialID))
    }

    /// The claims other processes hold now (abandoned ones left out), by trial id.
    public func held() -> [Claim] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix(".") && $0.hasSuffix(".claim") }.sorted()
            .compactMap { read(String($0.dropFirst().dropLast(".claim".count))) }
            .filter { !isStale($0) && !($0.host == Self.host && $0.pid == getpid()) }
    }

    private func read(_ trialID: String) -> Claim? {
        guard let text = try? String(contentsOfFile: path(trialID), encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.count >= 3, let pid = Int32(lines[1]) else { return Claim(trialID: trialID, host: "?", pid: 0, started: "") }
        return Claim(trialID: trialID, host: lines[0], pid: pid, started: lines[2])
    }

    private func isStale(_ claim: Claim) -> Bool {
        if claim.isUnwritten { return age(claim) > Self.unwrittenAfter }
        if claim.host == Self.host { return kill(claim.pid, 0) != 0 && errno == ESRCH }
        return age(claim) > staleAfter
    }

    /// Seconds since the claim's file was last written (0 when it cannot be read).
    private func age(_ claim: Claim) -> TimeInterval {
        let modified = (try? FileManager.default.attributesOfItem(atPath: path(claim.trialID))[.modificationDate] as? Date) ?? Date()
        return Date().timeIntervalSince(modified)
    }

    /// This machine's name, as claims record it.
    static let host: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        return String(cString: buffer)
    }()
}
