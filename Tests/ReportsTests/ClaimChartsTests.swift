import Testing
@testable import Reports

/// How a claim's chart turns conditions into lines.
@Suite struct ClaimChartsTests {
    @Test func conditionsThatShareAnXBecomeFamiliesThatTheLoneReferenceStarts() {
        let names = ["none", "uniform-1", "uniform-10", "class-10", "class-30"]
        let families = ClaimCharts.families(names, x: [0, 1, 10, 10, 30])
        #expect(families.map(\.name) == ["uniform", "class"])
        #expect(families.map(\.members) == [[0, 1, 2], [0, 3, 4]])
    }

    @Test func conditionsWithDistinctXAreOneLine() {
        let families = ClaimCharts.families(["n25", "n50", "n100"], x: [25, 50, 100])
        #expect(families.count == 1 && families[0].members == [0, 1, 2])
    }
}
