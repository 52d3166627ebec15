/// The dashboard's page, script and style sheet, embedded in the binary: no build step, no CDN, nothing to
/// install next to `eddy`.
enum DashboardAssets {}
