/// Why a Parquet (or CSV) file could not be read or written, naming the file and column when known.
///
/// ```swift
/// do { _ = try ParquetReader(path: "x.parquet").readAll() }
/// catch let error as ParquetError { print(error) }   // x.parquet: column 'price': page 3: …
/// ```
public struct ParquetError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// Not a Parquet file (wrong magic) or not readable at all.
        case notParquet
        /// The file ends before the data its metadata describes.
        case truncated
        /// Metadata or page contents are inconsistent.
        case corrupt
        /// A valid feature this reader or writer does not implement.
        case unsupported
        /// A codec's shared library could not be opened.
        case missingLibrary
        /// Opening, reading or writing the file failed.
        case io
        /// The caller's data does not fit (schema mismatch, bad CSV).
        case invalidInput
    }

    public var kind: Kind
    public var message: String
    public var file: String?
    public var column: String?

    public init(_ kind: Kind, _ message: String, file: String? = nil, column: String? = nil) {
        self.kind = kind
        self.message = message
        self.file = file
        self.column = column
    }

    public var description: String {
        var text = ""
        if let file { text += "\(file): " }
        if let column { text += "column '\(column)': " }
        return text + message
    }

    func with(file: String? = nil, column: String? = nil) -> ParquetError {
        var copy = self
        if copy.file == nil { copy.file = file }
        if copy.column == nil { copy.column = column }
        return copy
    }
}

extension ParquetError {
    static func corrupt(_ message: String) -> ParquetError { ParquetError(.corrupt, message) }

    init(_ error: ThriftError, while what: String) {
        let kind: Kind = if case .truncated = error { .truncated } else { .corrupt }
        self.init(kind, "\(what): \(error)")
    }
}
