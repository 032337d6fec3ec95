import Store

/// Why a run stopped before its plan was done, other than bad input.
public enum RunError: Error, CustomStringConvertible {
    /// The disk or the folder refused a trial file (full, over quota, read-only, no permission,
    /// an I/O error): the run stopped, every trial file already written is complete and kept.
    case writeFailed(HDF5Error, finished: Int)
    /// Another process holds the trial's claim (`TrialClaims`): it is training it now.
    case claimedElsewhere(String, by: TrialClaims.Claim?)

    public var description: String {
        switch self {
        case .writeFailed(let error, let finished):
            "\(error). The run stopped there: \(finished) trial(s) finished in this run and every trial file written is complete; "
                + "free space (or fix the folder's permissions) and run the same command again to finish the rest"
        case .claimedElsewhere(let trialID, let claim):
            "trial \(trialID) is being run by another process" + (claim.map { " (\($0.host), pid \($0.pid), since \($0.started))" } ?? "")
        }
    }
}
