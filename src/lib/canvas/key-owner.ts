/**
 * Gives a focused element first say over the keys pressed in it.
 *
 * Screens listen for their keys on the window in the capture phase, which runs
 * before any element's own handler, so an element cannot claim a key by handling it
 * itself. This listener is added when the module loads, before any screen mounts
 * its own, and window listeners run in the order they were added: a key that an
 * owner takes here never reaches the screens.
 */

/** Handles a key pressed inside the owner; true when it was the owner's. */
export type KeyHandler = (event: KeyboardEvent) => boolean;

const owners = new Map<Element, KeyHandler>();

function route(event: KeyboardEvent): void {
  if (event.defaultPrevented || !(event.target instanceof Node)) return;
  for (const [element, handle] of owners) {
    if (!element.contains(event.target)) continue;
    if (handle(event)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
    return;
  }
}

if (typeof window !== 'undefined') window.addEventListener('keydown', route, { capture: true });

/** Lets `element` take the keys pressed while the focus is in it; returns the undo. */
export function ownKeys(element: Element, handle: KeyHandler): () => void {
  owners.set(element, handle);
  return () => {
    if (owners.get(element) === handle) owners.delete(element);
  };
}
