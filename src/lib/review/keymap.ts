import { z } from 'zod';
import { FlagReasonSchema, type FlagReason } from './decision';

/**
 * Keyboard shortcuts of the review screen, as data the user can rebind.
 *
 * A key is a normalized string: modifiers in the order `mod+alt+shift+`, then the key.
 * `mod` is Ctrl or Cmd (either works on any platform, so one keymap serves both).
 * Letters are lower-case and keep `shift+` (`shift+u`); other printable characters
 * drop shift, because the character already says it (`?` is shift+/ on one layout
 * and something else on another). Named keys use KeyboardEvent.key names
 * (`ArrowRight`, `Enter`); the space bar is `Space`.
 *
 * The canvas's zoom keys (`+`, `=`, `-`, `0`) are reserved: the face canvas reads them
 * itself, so binding them would make one key do two things.
 */

export const KEYMAP_VERSION = 1;

/** Flag actions in FlagReasonSchema order, so digit n flags with reason n. */
export const FLAG_ACTIONS = [
  'flag-au-wrong',
  'flag-emotion-wrong',
  'flag-bad-crop',
  'flag-occluded',
  'flag-ambiguous',
  'flag-other',
] as const satisfies readonly `flag-${FlagReason}`[];

export const ActionIdSchema = z.enum([
  'accept',
  'discard',
  ...FLAG_ACTIONS,
  'next',
  'previous',
  'undo',
  'redo',
  'au-entry',
  'change-class',
  'au-not-coded',
  'help',
]);
export type ActionId = z.infer<typeof ActionIdSchema>;
export const ACTION_IDS: readonly ActionId[] = ActionIdSchema.options;

export const ACTION_LABELS: Readonly<Record<ActionId, string>> = {
  accept: 'Accept the labels',
  discard: 'Discard the sample',
  'flag-au-wrong': 'Flag: AU label wrong',
  'flag-emotion-wrong': 'Flag: emotion label wrong',
  'flag-bad-crop': 'Flag: not a face or bad crop',
  'flag-occluded': 'Flag: occluded',
  'flag-ambiguous': 'Flag: ambiguous',
  'flag-other': 'Flag: other',
  next: 'Next sample',
  previous: 'Previous sample',
  undo: 'Undo',
  redo: 'Redo',
  'au-entry': 'Correct AUs: type an AU number, Enter toggles it',
  'change-class': 'Change the emotion class',
  'au-not-coded': 'Mark the AUs as not coded (null)',
  help: 'Show the shortcuts',
};

/** The flag reason of a flag action, or null for other actions. */
export function flagReasonOfAction(action: ActionId): FlagReason | null {
  const at = (FLAG_ACTIONS as readonly string[]).indexOf(action);
  return at < 0 ? null : (FlagReasonSchema.options[at] ?? null);
}

/** Keys the face canvas owns (zoom in, zoom in unshifted, zoom out, fit). */
export const RESERVED_KEYS: readonly string[] = ['+', '=', '-', '0'];

// ---------------------------------------------------------------------------
// Key normalization

const MODIFIER_NAMES: Readonly<Record<string, 'mod' | 'alt' | 'shift'>> = {
  mod: 'mod',
  ctrl: 'mod',
  control: 'mod',
  cmd: 'mod',
  command: 'mod',
  meta: 'mod',
  alt: 'alt',
  option: 'alt',
  shift: 'shift',
};

const NAMED_KEYS = [
  'ArrowLeft',
  'ArrowRight',
  'ArrowUp',
  'ArrowDown',
  'Enter',
  'Escape',
  'Backspace',
  'Delete',
  'Tab',
  'Home',
  'End',
  'PageUp',
  'PageDown',
  'Space',
  'Insert',
  ...Array.from({ length: 12 }, (_, i) => `F${i + 1}`),
];
const NAMED_KEY_BY_LOWER = new Map(NAMED_KEYS.map((k) => [k.toLowerCase(), k]));
NAMED_KEY_BY_LOWER.set('esc', 'Escape');
NAMED_KEY_BY_LOWER.set('return', 'Enter');
NAMED_KEY_BY_LOWER.set('left', 'ArrowLeft');
NAMED_KEY_BY_LOWER.set('right', 'ArrowRight');
NAMED_KEY_BY_LOWER.set('up', 'ArrowUp');
NAMED_KEY_BY_LOWER.set('down', 'ArrowDown');

/** Keys that are only modifiers or carry no key: never a shortcut on their own. */
const NOT_SHORTCUTS = new Set([
  '',
  'Shift',
  'Control',
  'Alt',
  'AltGraph',
  'Meta',
  'OS',
  'CapsLock',
  'NumLock',
  'Fn',
  'Dead',
  'Unidentified',
  'Process',
]);

function compose(mods: { mod: boolean; alt: boolean; shift: boolean }, key: string): string | null {
  let name: string;
  let shift = mods.shift;
  if (key === ' ') {
    name = 'Space';
  } else if ([...key].length === 1) {
    name = key.toLowerCase();
    // Shift stays meaningful only for letters; '?' or '!' already are the shifted key.
    if (name === key.toUpperCase()) shift = false;
  } else {
    if (NOT_SHORTCUTS.has(key)) return null;
    const named = NAMED_KEY_BY_LOWER.get(key.toLowerCase());
    // Other KeyboardEvent.key names (MediaPlayPause, F13 ...) are one alphanumeric word.
    if (named === undefined && !/^[A-Za-z][A-Za-z0-9]*$/.test(key)) return null;
    name = named ?? key;
  }
  return `${mods.mod ? 'mod+' : ''}${mods.alt ? 'alt+' : ''}${shift ? 'shift+' : ''}${name}`;
}

/** The part of a KeyboardEvent a shortcut needs (so tests and workers need no DOM). */
export interface KeyEventLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** A key event as a normalized key string, or null for a bare modifier or dead key. */
export function eventToKey(event: KeyEventLike): string | null {
  return compose(
    { mod: event.ctrlKey || event.metaKey, alt: event.altKey, shift: event.shiftKey },
    event.key,
  );
}

/**
 * A key typed by a person (`Ctrl+Shift+Z`, `Cmd+z`, `shift+U`, `esc`, `mod++`) as a
 * normalized key string, or null when it is not one.
 */
export function normalizeKey(text: string): string | null {
  const mods = { mod: false, alt: false, shift: false };
  let rest = text.trim();
  for (;;) {
    const plus = rest.indexOf('+');
    // A '+' at the very end (or the whole text) is the key itself, as in `mod++`.
    if (plus <= 0 || plus === rest.length - 1) break;
    const modifier = MODIFIER_NAMES[rest.slice(0, plus).trim().toLowerCase()];
    if (!modifier) return null;
    mods[modifier] = true;
    rest = rest.slice(plus + 1);
  }
  if (rest.length === 0) return null;
  // Upper-case letters typed without shift+ mean the letter, not shift (`U` = `u`).
  return compose(mods, rest.length === 1 ? rest : rest.trim());
}

// ---------------------------------------------------------------------------
// Keymap

const KeySchema = z.string().refine((key) => normalizeKey(key) === key, {
  message: 'not a normalized key (e.g. "a", "shift+u", "mod+z", "ArrowRight")',
});

export const KeymapSchema = z
  .object({
    version: z.literal(KEYMAP_VERSION),
    /** Every action, each with its keys (none: no shortcut). */
    bindings: z.record(ActionIdSchema, z.array(KeySchema)),
  })
  .superRefine((keymap, ctx) => {
    for (const problem of keymapProblems(keymap)) {
      ctx.addIssue({
        code: 'custom',
        path: ['bindings', problem.action],
        message: problem.message,
      });
    }
  });
export type Keymap = z.infer<typeof KeymapSchema>;

export const DEFAULT_KEYMAP: Keymap = {
  version: KEYMAP_VERSION,
  bindings: {
    accept: ['a'],
    discard: ['d'],
    'flag-au-wrong': ['1'],
    'flag-emotion-wrong': ['2'],
    'flag-bad-crop': ['3'],
    'flag-occluded': ['4'],
    'flag-ambiguous': ['5'],
    'flag-other': ['6'],
    next: ['ArrowRight', 'j'],
    previous: ['ArrowLeft', 'k'],
    undo: ['mod+z', 'u'],
    // mod+y too: it is redo on Windows, and costs nothing.
    redo: ['mod+shift+z', 'shift+u', 'mod+y'],
    'au-entry': ['c'],
    'change-class': ['e'],
    'au-not-coded': ['n'],
    help: ['?'],
  },
};

export interface KeymapProblem {
  action: ActionId;
  key: string;
  message: string;
}

/** Reserved keys bound, and keys bound to two actions (or twice to one). */
export function keymapProblems(keymap: Pick<Keymap, 'bindings'>): KeymapProblem[] {
  const problems: KeymapProblem[] = [];
  const owner = new Map<string, ActionId>();
  for (const action of ACTION_IDS) {
    for (const key of keymap.bindings[action] ?? []) {
      if (RESERVED_KEYS.includes(key)) {
        problems.push({ action, key, message: `"${key}" is reserved for the image canvas (zoom)` });
      }
      const other = owner.get(key);
      if (other !== undefined) {
        problems.push({ action, key, message: `"${key}" is already bound to ${other}` });
      } else {
        owner.set(key, action);
      }
    }
  }
  return problems;
}

/** The action a normalized key triggers, or null. */
export function actionFor(keymap: Keymap, key: string | null): ActionId | null {
  if (key === null) return null;
  for (const action of ACTION_IDS) if (keymap.bindings[action].includes(key)) return action;
  return null;
}

export type RebindResult =
  { ok: true; keymap: Keymap; key: string; lostBy: ActionId | null } | { ok: false; error: string };

/**
 * Bind `key` to `action`: added to its keys, or in place of `replacing` when given.
 * Another action holding the key loses it (named in lostBy, so the UI can say so).
 * A reserved or unreadable key is refused.
 */
export function rebind(
  keymap: Keymap,
  action: ActionId,
  key: string,
  replacing?: string,
): RebindResult {
  const normalized = normalizeKey(key);
  if (normalized === null) return { ok: false, error: `"${key}" is not a key` };
  if (RESERVED_KEYS.includes(normalized)) {
    return { ok: false, error: `"${normalized}" is reserved for the image canvas (zoom)` };
  }
  const holder = actionFor(keymap, normalized);
  const lostBy = holder !== null && holder !== action ? holder : null;
  const bindings = { ...keymap.bindings };
  if (lostBy) bindings[lostBy] = bindings[lostBy].filter((k) => k !== normalized);
  const own = bindings[action].filter((k) => k !== normalized);
  const old = replacing === undefined ? null : normalizeKey(replacing);
  const at = old === null ? -1 : own.indexOf(old);
  if (at >= 0) own.splice(at, 1, normalized);
  else own.push(normalized);
  bindings[action] = own;
  return { ok: true, keymap: { version: KEYMAP_VERSION, bindings }, key: normalized, lostBy };
}

/** The keymap without `key` on `action`. */
export function unbind(keymap: Keymap, action: ActionId, key: string): Keymap {
  const normalized = normalizeKey(key) ?? key;
  return {
    version: KEYMAP_VERSION,
    bindings: {
      ...keymap.bindings,
      [action]: keymap.bindings[action].filter((k) => k !== normalized),
    },
  };
}

/**
 * A stored keymap, made usable: actions added since it was saved get their default
 * keys (unless another action took them); anything unreadable falls back to the
 * defaults, with the reason.
 */
export function restoreKeymap(stored: unknown): { keymap: Keymap; problems: string[] } {
  const Partial = z.object({
    version: z.literal(KEYMAP_VERSION),
    bindings: z.partialRecord(ActionIdSchema, z.array(KeySchema)),
  });
  const parsed = Partial.safeParse(stored);
  if (!parsed.success) {
    return { keymap: DEFAULT_KEYMAP, problems: ['stored keymap unreadable; defaults used'] };
  }
  const taken = new Set(Object.values(parsed.data.bindings).flat());
  const bindings = { ...DEFAULT_KEYMAP.bindings };
  for (const action of ACTION_IDS) {
    bindings[action] =
      parsed.data.bindings[action] ?? DEFAULT_KEYMAP.bindings[action].filter((k) => !taken.has(k));
  }
  const keymap: Keymap = { version: KEYMAP_VERSION, bindings };
  const problems = keymapProblems(keymap);
  if (problems.length > 0) {
    return {
      keymap: DEFAULT_KEYMAP,
      problems: [...problems.map((p) => p.message), 'defaults used'],
    };
  }
  return { keymap, problems: [] };
}

// ---------------------------------------------------------------------------
// AU entry mode: after the au-entry key, digits + Enter toggle an AU.

export interface AuEntryState {
  active: boolean;
  /** Digits typed so far. */
  buffer: string;
}

export const AU_ENTRY_OFF: AuEntryState = { active: false, buffer: '' };

export interface AuEntryStep {
  state: AuEntryState;
  /** The AU to toggle now (with correction.toggleAu), if any. */
  toggle: number | null;
  /** true: the key belonged to the entry; do not also run its keymap action. */
  consumed: boolean;
}

/** Longest AU number typed (AUs go to 64 in FACS; AD codes are not toggled here). */
const MAX_AU_DIGITS = 2;

/**
 * One key in AU entry mode. While active, the entry takes the digits (so `1`..`6` do
 * not flag and `0` does not zoom: AU 10 needs it), Enter (toggle the typed AU; Enter
 * on nothing leaves the mode), Backspace, Escape (leave), and the au-entry key itself
 * (leave). Any other key is not consumed and runs its action as usual.
 */
export function auEntryKey(keymap: Keymap, state: AuEntryState, key: string | null): AuEntryStep {
  const entryKeys = keymap.bindings['au-entry'];
  if (!state.active) {
    const entering = key !== null && entryKeys.includes(key);
    return {
      state: entering ? { active: true, buffer: '' } : state,
      toggle: null,
      consumed: entering,
    };
  }
  if (key === null) return { state, toggle: null, consumed: false };
  if (/^\d$/.test(key)) {
    const buffer = state.buffer.length < MAX_AU_DIGITS ? state.buffer + key : state.buffer;
    return { state: { active: true, buffer }, toggle: null, consumed: true };
  }
  if (key === 'Backspace') {
    return {
      state: { active: true, buffer: state.buffer.slice(0, -1) },
      toggle: null,
      consumed: true,
    };
  }
  if (key === 'Enter') {
    const au = Number(state.buffer);
    if (state.buffer === '') return { state: AU_ENTRY_OFF, toggle: null, consumed: true };
    return { state: { active: true, buffer: '' }, toggle: au >= 1 ? au : null, consumed: true };
  }
  if (key === 'Escape' || entryKeys.includes(key)) {
    return { state: AU_ENTRY_OFF, toggle: null, consumed: true };
  }
  return { state, toggle: null, consumed: false };
}
