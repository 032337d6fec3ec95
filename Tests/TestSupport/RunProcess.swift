import Foundation

/// Runs `executable` with `arguments` (in `directory` when given, with `environment` added to
/// this process's), capturing standard output and error together. Returns exit status 127
/// without running when the file is not executable.
public func runProcess(_ executable: String, _ arguments: [String], in directory: String? = nil,
                       environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
    guard FileManager.default.isExecutableFile(atPath: executable) else { return (127, "\(executable) not found") }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The path of an executable product built beside the running test bundle.
public func builtExecutable(_ name: String) -> String {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path
}

/// The package's root folder (where Package.swift is), found from this file's path.
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// A Python interpreter with `packages` importable: the virtual environment `.build/python-venv`,
/// created and provisioned with pip on first use (as CI does on a fresh machine).
/// - Parameter packages: pip names paired with the module that proves they are installed.
public func pythonEnvironment(_ packages: [(pip: String, module: String)]) throws -> String {
    let venv = packageRoot + "/.build/python-venv"
    let python = venv + "/bin/python"
    let imports = "import " + packages.map(\.module).joined(separator: ", ")
    if try runProcess(python, ["-c", imports]).status == 0 { return python }
    if !FileManager.default.isExecutableFile(atPath: python) {
        let created = try runProcess("/usr/bin/env", ["python3", "-m", "venv", venv])
        guard created.status == 0 else { throw PythonSetupError(message: "python3 -m venv failed: \(created.output)") }
    }
    let installed = try runProcess(venv + "/bin/pip", ["install", "-q"] + packages.map(\.pip))
    guard installed.status == 0 else { throw PythonSetupError(message: "pip install failed: \(installed.output)") }
    return python
}

/// The test's Python environment could not be set up.
public struct PythonSetupError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
