/// One track of a catalogue: its id, what people see (name, artists, album, genre) and its raw audio
/// features in the catalogue's feature order.
///
/// ```swift
/// let track = Track(id: "2wrJq5XKLnmhRXHIAf9xBa", name: "10,000 Hours", artists: ["Dan + Shay", "Justin Bieber"],
///                   album: "10,000 Hours", genre: "country", features: [0.654, 0.63, 10, -4.644, 1, …])
/// ```
public struct Track: Sendable, Hashable {
    public var id: String
    public var name: String
    public var artists: [String]
    public var album: String
    public var genre: String?
    /// Raw values, one per ``TrackCatalogue/featureNames`` entry; a non-finite value means missing.
    public var features: [Double]

    public init(
        id: String, name: String = "", artists: [String] = [], album: String = "", genre: String? = nil,
        features: [Double]
    ) {
        self.id = id
        self.name = name
        self.artists = artists
        self.album = album
        self.genre = genre
        self.features = features
    }
}
