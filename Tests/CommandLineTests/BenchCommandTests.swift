import Foundation
import TestSupport
import Testing

/// `flywheel bench` as bench/compare.py reads it: one JSON object per variant and thread count,
/// whose executed FLOPs never exceed the effective (convention) count and whose share of the FMA
/// peak is taken of the executed ones. Rates are not checked here (benchmarks, not timed tests).
@Suite struct BenchCommandTests {
    @Test(arguments: ["cnn-deep-32", "resnet-8-128-rgb"])
    func theJSONLineCarriesEffectiveAndExecutedFLOPs(variant: String) throws {
        let result = try runProcess(builtExecutable("flywheel"), ["bench", "--variant", variant, "--threads", "1", "--seconds", "0.1", "--format", "json"])
        #expect(result.status == 0, "\(result.output)")
        let line = try #require(result.output.split(separator: "\n").first { $0.hasPrefix("{") })
        let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(row["variant"] as? String == variant)
        let effective = try #require(row["train_gflops"] as? Double), executed = try #require(row["executed_train_gflops"] as? Double)
        #expect(executed > 0 && executed <= effective, "executed \(executed), effective \(effective)")
        if let peak = row["fma_peak_gflops"] as? Double, let share = row["executed_fraction_of_fma_peak"] as? Double {
            #expect(abs(share - executed / peak) < 1e-9)
        }
    }
}
