/**
 * The face viewer's keys, as a pure table from a key press to a command.
 *
 * Two sets. Page keys work wherever the focus is, outside text fields, as they always
 * have: + and - zoom, 0 fits, Delete removes the box selected with the mouse. Focus
 * keys work only while the image region itself has keyboard focus: there the region
 * is an application that owns its keys, and a screen's own use of the same key (the
 * arrows step between samples in a review) waits until the focus leaves it.
 */

export type CanvasCommand =
  | { kind: 'zoom'; factor: number }
  | { kind: 'fit' }
  /** Moves (or resizes) the selected box, or pans when none is selected. */
  | { kind: 'arrow'; dx: -1 | 0 | 1; dy: -1 | 0 | 1; large: boolean }
  | { kind: 'add-box' }
  | { kind: 'select'; step: 1 | -1 }
  | { kind: 'delete' }
  | { kind: 'deselect' }
  | { kind: 'toggle-resize' };

/** What the viewer can do right now, which decides whether a key is its own. */
export interface KeyContext {
  /** A box is selected. */
  selected: boolean;
  /** How many boxes are shown. */
  boxes: number;
  /** An AU to draw is chosen and an image is shown. */
  canDraw: boolean;
}

export interface KeyPress {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

export const ZOOM_IN_FACTOR = 1.25;
export const ZOOM_OUT_FACTOR = 0.8;

/** How far one arrow press moves or resizes a box, as a share of the image side. */
export const BOX_STEP = 0.01;
export const BOX_STEP_LARGE = 0.1;
/** How far one arrow press pans the view, in screen pixels. */
export const PAN_STEP = 40;
export const PAN_STEP_LARGE = 200;

const ARROWS: Readonly<Record<string, readonly [-1 | 0 | 1, -1 | 0 | 1]>> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/** A page key's command, or null when the key is not the viewer's. */
export function pageCommandFor(press: KeyPress, context: KeyContext): CanvasCommand | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  switch (press.key) {
    case '+':
    case '=':
      return { kind: 'zoom', factor: ZOOM_IN_FACTOR };
    case '-':
      return { kind: 'zoom', factor: ZOOM_OUT_FACTOR };
    case '0':
      return { kind: 'fit' };
    case 'Delete':
    case 'Backspace':
      return context.selected ? { kind: 'delete' } : null;
    default:
      return null;
  }
}

/**
 * A focus key's command, or null when the key is left to the page (and then to
 * `pageCommandFor`). Keys that would do nothing here are left too, so that Escape with
 * no box selected still leaves a review and Enter with no AU chosen still confirms an
 * AU entry.
 */
export function focusCommandFor(press: KeyPress, context: KeyContext): CanvasCommand | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  const arrow = ARROWS[press.key];
  if (arrow) return { kind: 'arrow', dx: arrow[0], dy: arrow[1], large: press.shiftKey };
  switch (press.key) {
    case 'Enter':
      return context.canDraw ? { kind: 'add-box' } : null;
    case ']':
      return context.boxes > 0 ? { kind: 'select', step: 1 } : null;
    case '[':
      return context.boxes > 0 ? { kind: 'select', step: -1 } : null;
    case 'Delete':
    case 'Backspace':
      return context.selected ? { kind: 'delete' } : null;
    case 'Escape':
      return context.selected ? { kind: 'deselect' } : null;
    case 'r':
    case 'R':
      return context.selected ? { kind: 'toggle-resize' } : null;
    default:
      return null;
  }
}

/** The keys, for the viewer's description and hint. */
export const FOCUS_KEYS_HELP =
  'Keys: Enter adds a box for the chosen AU, [ and ] select a box, arrows move it ' +
  '(Shift: further) or pan, R switches the arrows to resizing, Delete removes it, ' +
  'Escape lets go, + and - zoom, 0 fits.';
