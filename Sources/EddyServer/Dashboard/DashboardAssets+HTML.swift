extension DashboardAssets {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Eddy — live pipelines</title>
        <link rel="stylesheet" href="/dashboard.css">
        <link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='7' fill='%234f7cff'/%3E%3C/svg%3E">
        </head>
        <body>
        <header class="top">
          <div class="brand"><span class="logo"></span>Eddy</div>
          <nav id="tabs" aria-label="Pipelines"></nav>
          <div class="live" id="live" title="Live updates"><span class="dot"></span><span id="live-text">connecting…</span></div>
        </header>
        <main id="app">
          <p class="empty" id="empty">Loading pipelines…</p>
        </main>
        <footer class="foot">API: <a href="/openapi.json">/openapi.json</a> · <a href="/metrics">/metrics</a> · <a href="/api/pipelines">/api/pipelines</a></footer>
        <script src="/dashboard.js"></script>
        </body>
        </html>
        """#
}
