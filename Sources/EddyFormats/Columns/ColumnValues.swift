/// Typed, contiguous values of one column: one slot per row (a null row keeps a zero or empty slot, its
/// validity says it is null), never a dictionary per row. The cases follow Parquet's physical types; the
/// column's `FieldType` says how to read them (an `.int32` may be a date, an `.int64` a timestamp).
///
/// ```swift
/// let temperatures = ColumnValues.double([21.5, 22.0, 0])
/// let names = ColumnValues.strings(["a", "bc"])   // .bytes(offsets: [0, 1, 3], data: [97, 98, 99])
/// ```
public enum ColumnValues: Equatable, Sendable {
    case boolean([Bool])
    case int32([Int32])
    case int64([Int64])
    case float([Float])
    case double([Double])
    /// Variable-length values: value i is `data[offsets[i]..<offsets[i + 1]]`; `offsets.count == count + 1`.
    case bytes(offsets: [Int32], data: [UInt8])
    /// Fixed-length values of `width` bytes each, back to back.
    case fixed(width: Int, data: [UInt8])

    public var count: Int {
        switch self {
        case .boolean(let v): v.count
        case .int32(let v): v.count
        case .int64(let v): v.count
        case .float(let v): v.count
        case .double(let v): v.count
        case .bytes(let offsets, _): max(0, offsets.count - 1)
        case .fixed(let width, let data): width == 0 ? 0 : data.count / width
        }
    }

    /// Variable-length values from strings (UTF-8).
    public static func strings(_ values: [String]) -> ColumnValues {
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(values.count + 1)
        var data: [UInt8] = []
        for value in values {
            data.append(contentsOf: value.utf8)
            offsets.append(Int32(data.count))
        }
        return .bytes(offsets: offsets, data: data)
    }

    /// The bytes of value `index` of a `.bytes` or `.fixed` column.
    public func bytes(at index: Int) -> ArraySlice<UInt8> {
        switch self {
        case .bytes(let offsets, let data): data[Int(offsets[index])..<Int(offsets[index + 1])]
        case .fixed(let width, let data): data[index * width..<(index + 1) * width]
        default: []
        }
    }

    /// Value `index` of a `.bytes` column as a string.
    public func string(at index: Int) -> String {
        String(decoding: bytes(at: index), as: UTF8.self)
    }
}
