/// How `ParquetWriter` lays out a file.
///
/// ```swift
/// var options = ParquetWriteOptions(codec: .zstd)
/// options.dictionary = false
/// ```
public struct ParquetWriteOptions: Sendable {
    public var codec: CompressionCodec
    /// Codec level (0: the codec's default; zstd uses 1, like pyarrow's default).
    public var level: Int32
    /// Dictionary-encode columns, falling back to PLAIN for a chunk whose dictionary outgrows
    /// `dictionaryLimitBytes`.
    public var dictionary: Bool
    public var dictionaryLimitBytes: Int
    /// A row group is cut when its estimated uncompressed size reaches this.
    public var rowGroupBytes: Int
    /// And at most this many rows.
    public var rowGroupRows: Int
    /// Target uncompressed size of a data page.
    public var pageBytes: Int
    /// Key-value metadata written into the footer.
    public var metadata: [(key: String, value: String)]
    /// Also write the `ARROW:schema` key (unless `metadata` has one), so Arrow readers restore the exact
    /// types: time zones, integer widths, strings, decimals.
    public var arrowSchema: Bool

    public init(
        codec: CompressionCodec = .snappy, dictionary: Bool = true, rowGroupBytes: Int = 128 << 20,
        rowGroupRows: Int = 1 << 20, pageBytes: Int = 1 << 20
    ) {
        self.codec = codec
        self.level = 0
        self.dictionary = dictionary
        self.dictionaryLimitBytes = 1 << 20
        self.rowGroupBytes = rowGroupBytes
        self.rowGroupRows = rowGroupRows
        self.pageBytes = pageBytes
        self.metadata = []
        self.arrowSchema = true
    }
}
