import Foundation

/// The page's static files, shipped inside the binary's resource bundle so `aifactory serve`
/// needs no install step and no build step for the front end.
public enum WebAssets {
    /// Root folder of the static files (`index.html`, `app.js`, `styles.css`, …).
    public static var root: URL? {
        Bundle.module.url(forResource: "Public", withExtension: nil)
    }
}
