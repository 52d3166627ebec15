/// The file format of a ``FileSink`` folder: the `--sink` scheme (`parquet:DIR`, `csv:DIR`) and the files'
/// extension.
///
/// ```swift
/// let format = FileFormat(rawValue: "parquet")   // .parquet, files named part-….parquet
/// ```
public enum FileFormat: String, Sendable, Hashable, CaseIterable {
    case parquet
    case csv

    /// `parquet` or `csv`, without the dot.
    public var fileExtension: String { rawValue }
}
