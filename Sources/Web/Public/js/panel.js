// The handle an overview panel gives home.js: its element, a promise of its first answer, and
// update()/stop() for the overview's poll. One copy of the refresh rule every panel follows: read
// again at most every `refreshMs`, never while a read is out, and stop once the panel has left
// the page.

import { api } from './api.js';
import { hooks } from './hooks.js';

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

/// One read of a panel's answer, the lifecycle every overview panel shares: a newer read or a
/// stopped panel drops this one's answer, a signed-out session goes to `hooks.failed(source)`,
/// and `loading`, `aria-busy` (when `busy`) and the first-answer promise are settled at the end.
/// `show(answer, seq)` puts an answer on screen, `failed(error)` says why there is none;
/// `stop`, when given, ends a panel that left the page while the read was out.
export async function readInto(panel, { source, path, busy = true, show, failed, stop }) {
  const seq = ++panel.seq;
  const section = panel.els.section;
  panel.loading = true;
  panel.last = Date.now();
  if (busy) section.setAttribute('aria-busy', 'true');
  try {
    const answer = await api(path);
    if (panel.stopped || seq !== panel.seq) return;
    if (stop && !section.isConnected) { stop(); return; } // replaced while the read was out
    await show(answer, seq);
  } catch (error) {
    if (panel.stopped || seq !== panel.seq) return;
    if (error.status === 401) { hooks.failed(source, error); return; }
    failed(error);
  } finally {
    if (seq === panel.seq) {
      panel.loading = false;
      if (busy) section.removeAttribute('aria-busy');
      panel.settle?.();
    }
  }
}
