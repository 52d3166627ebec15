import NIOCore

/// The dashboard's page, script and style sheet: real files in `Dashboard/Assets/` (read, linted and diffed
/// as HTML, JavaScript and CSS), embedded in the binary at build time by SwiftPM — no CDN, nothing to
/// install next to `eddy`.
enum DashboardAssets {
    static let html = ByteBuffer(bytes: PackageResources.index_html)
    static let script = ByteBuffer(bytes: PackageResources.dashboard_js)
    static let style = ByteBuffer(bytes: PackageResources.dashboard_css)
}
