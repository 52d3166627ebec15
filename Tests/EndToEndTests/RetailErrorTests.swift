import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `eddy run retail` refuses bad input with the CLI's contract: one `error:` line saying what to do, a
/// non-zero exit, nothing on stdout.
@Suite struct RetailErrorTests {
    @Test func badTriggerNamesTheAcceptedValues() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        #expect(try eddy.run(["topics", "create", "motion"]).status == 0)
        for trigger in ["sometimes", "0ms", "5x", "-1s"] {
            let result = try eddy.run(["run", "retail", "--trigger=\(trigger)"])
            expectOneLineError(result, containing: ["--trigger", "'\(trigger)'", "continuous", "once", "1s"])
            #expect(result.stdout.isEmpty)
        }
    }

    @Test func missingTopicSaysHowToCreateIt() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        let result = try eddy.run(["run", "retail", "--trigger", "once"])
        expectOneLineError(
            result, containing: ["topic 'motion' does not exist", "eddy topics create motion"])
        #expect(result.stdout.isEmpty)
        let other = try eddy.run(["run", "retail", "--trigger", "once", "--topic", "nope"])
        expectOneLineError(other, containing: ["topic 'nope' does not exist", "eddy topics create nope"])
    }

    @Test func negativeCheckpointIntervalIsRefused() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        #expect(try eddy.run(["produce", "motion", "--create"], lines: ["{}"]).status == 0)
        let result = try eddy.run(["run", "retail", "--trigger", "once", "--checkpoint-interval=-1"])
        expectOneLineError(result, containing: ["--checkpoint-interval", "negative"])
        #expect(result.stdout.isEmpty)
    }

    /// A checkpoint written by another query (here `--top 2`, then the default 3) is refused, pointing at
    /// `--reset` and `--name`.
    @Test func changedQueryOnAnOldCheckpointIsRefused() throws {
        let eddy = try EddyBinary()
        defer { eddy.cleanUp() }
        #expect(try eddy.run(["simulate", "motion", "100", "--seed", "1", "--to", "motion"]).status == 0)
        #expect(
            try eddy.run(["run", "retail", "--trigger", "once", "--output", "top", "--top", "2"]).status == 0)
        let result = try eddy.run(["run", "retail", "--trigger", "once", "--output", "top"])
        expectOneLineError(result, containing: ["checkpoint", "--reset"])
        #expect(result.stdout.isEmpty)
    }
}
