public import Foundation

/// The page's static files, shipped inside the binary's resource bundle so `aifactory serve`
/// needs no install step and no build step for the front end.
public enum WebAssets {
    /// Root folder of the static files (`index.html`, `app.js`, `styles.css`, …).
    public static var root: URL? {
        Bundle.module.url(forResource: "Public", withExtension: nil)
    }

    /// Where Debian's `libjs-chart.js` installs Chart.js; read at run time and served under
    /// `/vendor/chart.js/`. When it is missing the page draws tables instead of charts.
    public static let chartJSRoot = URL(fileURLWithPath: "/usr/share/javascript/chart.js", isDirectory: true)

    /// The Content-Security-Policy sent with the page: no inline script or style, nothing from
    /// another origin, no framing.
    public static let contentSecurityPolicy = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ].joined(separator: "; ")
}
