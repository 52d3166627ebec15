import Foundation
import Testing

@testable import EddyML

@Suite struct ModelFileTests {
    static func smallModel() throws -> ALSModel {
        var ratings = Ratings()
        ratings.append(user: .int(1), item: .string("a"), rating: 5)
        ratings.append(user: .string("ann"), item: .int(-7), rating: 2)
        ratings.append(user: .int(1), item: .int(-7), rating: 3)
        var model = try ALS(rank: 2, maxIterations: 2).train(ratings)
        model.metadata.version = 4
        return model
    }

    @Test func roundTrip() throws {
        let model = try Self.smallModel()
        let decoded = try ModelFile.decode(ModelFile.encode(model), path: "memory")
        #expect(decoded.metadata == model.metadata)
        #expect(decoded.users.ids == model.users.ids && decoded.items.ids == model.items.ids)
        #expect(decoded.userFactors == model.userFactors && decoded.itemFactors == model.itemFactors)
        #expect(decoded.rated.offsets == model.rated.offsets && decoded.rated.columns == model.rated.columns)
        #expect(decoded.recommend(user: .string("ann"), n: 5) == model.recommend(user: .string("ann"), n: 5))
    }

    @Test func writesAndReadsADirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eddy-ml-\(UUID())")
            .path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = try Self.smallModel()
        let path = try ModelFile.write(model, to: directory)
        #expect(path.hasSuffix("/model.als"))
        #expect(try ModelFile.read(path: directory).metadata.version == 4)
        #expect(try ModelFile.read(path: path).userFactors == model.userFactors)
        #expect(throws: ModelFileError.notFound(path: directory + "/nothing")) {
            try ModelFile.read(path: directory + "/nothing")
        }
    }

    /// Every single-byte change is refused with a typed error, never a crash or a different model.
    @Test func everyFlippedByteIsRefused() throws {
        let bytes = ModelFile.encode(try Self.smallModel())
        for position in bytes.indices {
            var damaged = bytes
            damaged[position] ^= 0x5A
            #expect(throws: ModelFileError.self, "byte \(position)") {
                try ModelFile.decode(damaged, path: "f")
            }
        }
    }

    @Test func everyTruncationIsRefused() throws {
        let bytes = ModelFile.encode(try Self.smallModel())
        for length in 0..<bytes.count {
            #expect(throws: ModelFileError.self, "length \(length)") {
                try ModelFile.decode(Array(bytes[0..<length]), path: "f")
            }
        }
        #expect(throws: ModelFileError.self) { try ModelFile.decode(bytes + [0], path: "f") }
    }

    @Test func foreignAndFutureFilesSayWhatTheyAre() throws {
        #expect(throws: ModelFileError.notAModel(path: "f")) {
            try ModelFile.decode(Array("{\"json\": 1}".utf8), path: "f")
        }
        var future = ModelFile.encode(try Self.smallModel())
        future[8] = 9
        #expect(throws: ModelFileError.unsupportedVersion(path: "f", found: 9, supported: 1)) {
            try ModelFile.decode(future, path: "f")
        }
    }
}
