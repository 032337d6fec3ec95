#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import ArgumentParser
import Audit
import Curation
import Datasets
import Engine
import Foundation
import Harness
import Store

/// Entry point: makes sure OpenBLAS runs the kernels this CPU supports, then parses the command.
@main
enum Main {
    static func main() {
        restartWithBetterBLASKernelsIfNeeded()
        setvbuf(stdout, nil, _IOLBF, 0)   // one log line at a time, also into pipes and files
        do {
            var command = try Flywheel.parseAsRoot()
            try command.run()
        } catch let error as RunError {
            FileHandle.standardError.write("error: \(error)\n".data(using: .utf8)!)
            exit(1)
        } catch let error as HDF5Error where error.isWriteFailure {
            // The disk or the folder refused an output file: not bad input, nothing half-written left.
            FileHandle.standardError.write("error: \(error)\n".data(using: .utf8)!)
            exit(1)
        } catch let error as BadInput {
            FileHandle.standardError.write("error: \(error)\n".data(using: .utf8)!)
            exit(2)
        } catch let error where Flywheel.exitCode(for: error) == .validationFailure {
            // A command line that cannot be used (an unknown option or value, options that exclude
            // each other) is bad input too: the message and the usage, then status 2.
            FileHandle.standardError.write((Flywheel.fullMessage(for: error) + "\n").data(using: .utf8)!)
            exit(2)
        } catch {
            Flywheel.exit(withError: error)
        }
    }

    /// OpenBLAS fixes its kernels when the library loads, before `main`; when it fell back to
    /// generic ones on a CPU it does not recognise, run this program again with
    /// `OPENBLAS_CORETYPE` set (once: the variable is then present and the check passes).
    private static func restartWithBetterBLASKernelsIfNeeded() {
        guard let core = OpenBLASKernelChoice.override() else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // execv returns only on failure; carry on with the kernels we have.
    }
}

/// Errors that mean the input was wrong (a file, key or value), which exit with status 2.
protocol BadInput: Error {}
extension DatasetError: BadInput {}
extension HDF5Error: BadInput {}
extension CurationError: BadInput {}
extension ConfigError: BadInput {}
extension AuditError: BadInput {}
