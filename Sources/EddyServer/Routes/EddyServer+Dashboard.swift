import Hummingbird
import NIOCore

extension EddyServer {
    func addDashboardRoutes(to router: Router<BasicRequestContext>) {
        let (html, script, style) = (DashboardAssets.html, DashboardAssets.script, DashboardAssets.style)
        router.get("/") { _, _ in
            Self.asset(html, type: "text/html; charset=utf-8")
        }
        router.get("/dashboard.js") { _, _ in
            Self.asset(script, type: "text/javascript; charset=utf-8")
        }
        router.get("/dashboard.css") { _, _ in
            Self.asset(style, type: "text/css; charset=utf-8")
        }
    }

    static func asset(_ body: ByteBuffer, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: body))
    }
}
