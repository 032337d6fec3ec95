#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A child process started as a shell starts a command: no signal blocked and every signal at its
/// default action. Foundation's `Process` lets the child inherit the signal mask of the thread
/// that starts it, and a test's worker threads block SIGINT and SIGTERM — so a child started that
/// way receives them through any signal source, even one its own code has broken, and a test of
/// how a command answers Ctrl-C could not fail.
public final class ShellLikeProcess {
    /// The child's process id.
    public let pid: pid_t
    private let output: FileHandle
    /// The output read so far.
    private var received = ""

    /// Starts `executable` with `arguments` in `directory`, its standard output and error merged.
    public init(_ executable: String, _ arguments: [String], in directory: String) throws {
        var pipe: [Int32] = [0, 0]
        guard Glibc.pipe(&pipe) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        posix_spawn_file_actions_adddup2(&actions, pipe[1], STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&actions, pipe[1], STDERR_FILENO)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        // The shell changes folder, then becomes the command (exec): the child is the command itself.
        let argv = (["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory, executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let failure = posix_spawn(&child, "/bin/sh", &actions, &attributes, argv, environ)
        close(pipe[1])
        guard failure == 0 else { close(pipe[0]); throw POSIXError(.init(rawValue: failure) ?? .EIO) }
        pid = child
        output = FileHandle(fileDescriptor: pipe[0], closeOnDealloc: true)
    }

    /// Reads the child's output until `enough` holds for all of it so far, or the output ends.
    /// - Returns: everything read so far.
    @discardableResult
    public func read(until enough: (String) -> Bool) -> String {
        while !enough(received) {
            let chunk = output.availableData
            if chunk.isEmpty { break }
            received += String(decoding: chunk, as: UTF8.self)
        }
        return received
    }

    /// Sends `signal` to the child.
    public func send(_ signal: Int32) { kill(pid, signal) }

    /// Waits for the child to end.
    /// - Returns: its exit status (or minus the signal that killed it) and all its output.
    public func finish() -> (status: Int32, output: String) {
        received += String(decoding: output.readDataToEndOfFile(), as: UTF8.self)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7f
        return (signal == 0 ? (status >> 8) & 0xff : -signal, received)
    }
}
