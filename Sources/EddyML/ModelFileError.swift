/// Why a model file was refused. A model is never half-loaded: any of these leaves the caller's current
/// model in place.
public enum ModelFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(path: String)
    /// The file does not start with the model magic: not an Eddy model.
    case notAModel(path: String)
    case unsupportedVersion(path: String, found: UInt32, supported: UInt32)
    /// Shorter than its header says (an interrupted copy or write).
    case truncated(path: String, expected: Int, found: Int)
    /// The checksum does not match: bytes changed since the file was written.
    case corrupt(path: String, reason: String)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let path):
            return "no model at '\(path)'; train one with: eddy train als --ratings FILE --output \(path)"
        case .notAModel(let path):
            return "'\(path)' is not an Eddy model file (wrong magic bytes)"
        case .unsupportedVersion(let path, let found, let supported):
            return
                "'\(path)' has model format version \(found); this eddy reads version \(supported) (retrain the model with this eddy)"
        case .truncated(let path, let expected, let found):
            return "'\(path)' is truncated: \(found) bytes, the header says \(expected)"
        case .corrupt(let path, let reason):
            return "'\(path)' is corrupt: \(reason); retrain or restore the model"
        case .io(let path, let reason):
            return "cannot access model '\(path)': \(reason)"
        }
    }
}
