import Testing
@testable import Engine

/// What Flywheel reads about the machine: the CPU's name and flags, the BLAS kernel to ask for,
/// the FMA ceiling `flywheel bench` reports.
@Suite struct MachineTests {
    @Test func cpuinfoGivesTheFirstProcessorsModelAndFlags() {
        let text = "processor\t: 0\nmodel name\t: AMD EPYC 9R14\nflags\t\t: fpu avx2 fma avx512f\n\nprocessor\t: 1\nmodel name\t: other\n"
        let info = CPUInfo(cpuinfo: text)
        #expect(info.modelName == "AMD EPYC 9R14")
        #expect(info.flags == ["fpu", "avx2", "fma", "avx512f"])
        #expect(CPUInfo(cpuinfo: "") == CPUInfo(modelName: "unknown", flags: []))
    }

    @Test func aGenericBLASFallbackIsReplacedByTheWidestKernelTheCPURuns() {
        let avx512: Set = ["avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl"]
        #expect(OpenBLASKernelChoice.override(coreName: "Prescott", environment: [:], cpuFlags: avx512) == "SkylakeX")
        #expect(OpenBLASKernelChoice.override(coreName: "Prescott", environment: [:], cpuFlags: ["avx2", "fma"]) == "Haswell")
        #expect(OpenBLASKernelChoice.override(coreName: "Prescott", environment: ["OPENBLAS_CORETYPE": "Haswell"], cpuFlags: avx512) == nil)
        #expect(OpenBLASKernelChoice.override(coreName: "Haswell", environment: [:], cpuFlags: avx512) == nil)
    }

    @Test func theFMAPeakIsMeasuredAtEveryWidthTheCPURunsAndOnlyThere() {
        for width in FMAWidth.allCases {
            let peak = measureFMAPeak(width: width, threads: 1, seconds: 0.02)
            if width.isSupported {
                #expect(peak.map { $0.isFinite && $0 > 0 } == true, "\(width): \(String(describing: peak))")
            } else {
                #expect(peak == nil)
            }
        }
        #expect(FMAWidth(openBLASCore: "Haswell") == .avx2)
        #expect(FMAWidth(openBLASCore: "SkylakeX") == .avx512)
        #expect(FMAWidth(openBLASCore: "Prescott") == nil)
        #expect(FMAWidth.widestSupported == FMAWidth.allCases.last { CPUInfo.current.flags.contains($0 == .avx512 ? "avx512f" : "avx2") })
    }
}
