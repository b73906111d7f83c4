// Tiny DOM builder: no innerHTML, so no markup injection and nothing the CSP blocks.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export const $ = (id) => document.getElementById(id);

/// Updates `container` to hold `children` (elements with a `data-key`), reusing the elements whose
/// key is unchanged: their attributes and content are replaced, the element itself stays, so focus
/// and references (tests, assistive tech) survive a poll.
export function patch(container, children) {
  const old = new Map([...container.children].map((el) => [el.dataset.key, el]));
  const keep = new Set();
  children.forEach((next, i) => {
    const key = next.dataset.key;
    let el = old.get(key);
    if (el && el.tagName === next.tagName) {
      for (const { name } of [...el.attributes]) if (!next.hasAttribute(name)) el.removeAttribute(name);
      for (const { name, value } of [...next.attributes]) if (el.getAttribute(name) !== value) el.setAttribute(name, value);
      patchChildren(el, next);
    } else {
      el = next;
    }
    keep.add(el);
    if (container.children[i] !== el) container.insertBefore(el, container.children[i] ?? null);
  });
  for (const el of [...container.children]) if (!keep.has(el)) el.remove();
}

function patchChildren(el, next) {
  // Same shape: recurse so nested elements keep their identity; else replace the content.
  const a = [...el.childNodes], b = [...next.childNodes];
  const same = a.length === b.length && a.every((n, i) => n.nodeType === b[i].nodeType && n.nodeName === b[i].nodeName);
  if (!same) { el.replaceChildren(...b); return; }
  a.forEach((n, i) => {
    const m = b[i];
    if (n.nodeType === Node.TEXT_NODE) { if (n.textContent !== m.textContent) n.textContent = m.textContent; return; }
    for (const { name } of [...n.attributes]) if (!m.hasAttribute(name)) n.removeAttribute(name);
    for (const { name, value } of [...m.attributes]) if (n.getAttribute(name) !== value) n.setAttribute(name, value);
    patchChildren(n, m);
  });
}
