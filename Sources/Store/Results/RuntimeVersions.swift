@preconcurrency import CHDF5
import Engine

/// The versions a results file records, so a number can be traced to the code that made it.
public enum RuntimeVersions {
    /// Flywheel's own version.
    public static let flywheel = "0.1.0"

    /// The git commit of the Flywheel sources this binary was built from, fixed at build time
    /// (with "+dirty" when they had uncommitted changes; "unknown" when built outside a checkout).
    /// It does not depend on the folder a command runs in.
    public static let flywheelCommit = FlywheelBuild.commit

    /// The HDF5 library linked at run time, e.g. "1.10.8".
    public static var hdf5: String {
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        H5get_libversion(&major, &minor, &release)
        return "\(major).\(minor).\(release)"
    }

    /// The Swift compiler that built this binary (major.minor).
    public static var swift: String {
        #if compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }

    /// Every version, keyed as `TrialRecord.versions` stores them.
    public static var all: [String: String] {
        ["flywheel": flywheel, "hdf5": hdf5, "openblas": BLASThreads.configuration, "swift": swift]
    }
}
