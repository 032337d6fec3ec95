import Foundation
import Testing
@testable import Store

extension StoreSuite {
/// Claims on trials: held while their process lives, taken over once it is gone — also when it
/// died before it could write its claim.
@Suite struct TrialClaimsTests {
    @Test func aClaimIsHeldWhileItsProcessLivesAndReleasedByIt() {
        let claims = TrialClaims(folder: temporaryFolder())
        #expect(claims.claim("t1"))
        #expect(!claims.claim("t1"), "this process holds it")
        #expect(claims.held().isEmpty, "held() leaves out this process's own claims")
        claims.release("t1")
        #expect(claims.claim("t1"))
    }

    @Test func aClaimOfAProcessThatIsGoneIsTakenOver() throws {
        let folder = temporaryFolder()
        try "\(TrialClaims.host)\n\(Int32.max)\n2026-01-01T00:00:00Z\n".write(toFile: folder + "/.t1.claim", atomically: true, encoding: .utf8)
        #expect(TrialClaims(folder: folder).claim("t1"))
    }

    /// A claim file created but never written (its process killed in between, or the write lost in a
    /// crash) names no process to ask: it is honoured for a minute, as its writer may be about to
    /// write it, and taken over after that rather than waited on for hours.
    @Test func anUnwrittenClaimIsTakenOverAfterAMinute() throws {
        let folder = temporaryFolder(), path = folder + "/.t1.claim"
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let claims = TrialClaims(folder: folder)
        #expect(!claims.claim("t1"), "a claim just created may be about to be written")
        #expect(claims.held().map(\.trialID) == ["t1"])
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -TrialClaims.unwrittenAfter - 5)], ofItemAtPath: path)
        #expect(claims.held().isEmpty)
        #expect(claims.claim("t1"))
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix(TrialClaims.host + "\n"))
    }
}
}
