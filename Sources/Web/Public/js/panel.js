// The handle an overview panel gives home.js: its element, a promise of its first answer, and
// update()/stop() for the overview's poll. One copy of the refresh rule every panel follows: read
// again at most every `refreshMs`, never while a read is out, and stop once the panel has left
// the page.

/// `panel` carries `fixed` (a fixture, never reloaded), `stopped`, `loading` and `last` (when the
/// last read started); `load()` starts a read, `stop()` ends the panel.
export function panelHandle({ panel, element, ready, refreshMs, load, stop }) {
  return {
    element,
    ready,
    update: () => {
      if (panel.fixed || panel.stopped) return;
      if (!element.isConnected) { stop(); return; }
      if (panel.loading || Date.now() - panel.last < refreshMs - 500) return;
      load();
    },
    stop,
  };
}

/// A promise and the function that settles it (for a panel's first answer).
export function settled() {
  let settle;
  const promise = new Promise((resolve) => { settle = resolve; });
  return { promise, settle };
}
