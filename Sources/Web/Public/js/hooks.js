// What views call back into the page shell for: a failed poll, an answer's freshness, the header.
// app.js installs the real functions at start-up; views import this module instead of app.js, so
// the module graph has no cycle (app.js → views/detail.js → app.js was one).
export const hooks = {
  /// Handles a failed poll; returns true when the session ended.
  failed: (_source, _error) => false,
  /// Records an answer's freshness fields (stale, asOf, reason).
  fresh: (_source, _answer) => {},
  /// Redraws the header and the stale banner.
  renderChrome: () => {},
};

export function installHooks(functions) {
  Object.assign(hooks, functions);
}
