import Hummingbird
import Metrics

/// Counts responses by status class (`eddy_http_responses_total{class="2xx"}`). The counters are made once:
/// looking a metric up per request would cost more than serving a cached table.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    private let success = Counter(label: "eddy_http_responses_total", dimensions: [("class", "2xx")])
    private let clientError = Counter(label: "eddy_http_responses_total", dimensions: [("class", "4xx")])
    private let serverError = Counter(label: "eddy_http_responses_total", dimensions: [("class", "5xx")])
    private let other = Counter(label: "eddy_http_responses_total", dimensions: [("class", "other")])

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let response = try await next(request, context)
        switch response.status.code {
        case 200..<300: success.increment()
        case 400..<500: clientError.increment()
        case 500..<600: serverError.increment()
        default: other.increment()
        }
        return response
    }
}
