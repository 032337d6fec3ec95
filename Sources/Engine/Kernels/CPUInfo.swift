#if canImport(Glibc)
import Glibc
#endif

/// What /proc/cpuinfo says of the first CPU: its model name and instruction-set flags.
public struct CPUInfo: Sendable, Equatable {
    /// For example "AMD EPYC" or "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz" ("unknown" where unavailable).
    public var modelName: String
    /// Feature flags such as "avx2", "fma", "avx512f" (empty where unavailable).
    public var flags: Set<String>

    public init(modelName: String, flags: Set<String>) {
        self.modelName = modelName; self.flags = flags
    }

    /// This machine's CPU, read once.
    public static let current = CPUInfo(cpuinfo: readCPUInfo())

    /// Parses the text of /proc/cpuinfo (the first processor's fields win).
    public init(cpuinfo text: String) {
        var model: String?, flags: Set<String>?
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmed, value = line[line.index(after: colon)...].trimmed
            if key == "model name", model == nil { model = value }
            if key == "flags", flags == nil { flags = Set(value.split(separator: " ").map(String.init)) }
        }
        self.init(modelName: model ?? "unknown", flags: flags ?? [])
    }

    private static func readCPUInfo() -> String {
        guard let file = fopen("/proc/cpuinfo", "r") else { return "" }
        defer { fclose(file) }
        var text = "", line: UnsafeMutablePointer<CChar>?, capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line { text += String(cString: line) }
        return text
    }
}

extension Substring {
    fileprivate var trimmed: String { String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed()) }
}
