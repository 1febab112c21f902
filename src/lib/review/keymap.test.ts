import { describe, expect, it } from 'vitest';
import { FlagReasonSchema } from './decision';
import {
  ACTION_IDS,
  ACTION_LABELS,
  actionFor,
  AU_ENTRY_OFF,
  auEntryKey,
  DEFAULT_KEYMAP,
  eventToKey,
  FLAG_ACTIONS,
  flagReasonOfAction,
  KeymapSchema,
  keymapProblems,
  normalizeKey,
  rebind,
  RESERVED_KEYS,
  restoreKeymap,
  unbind,
  type AuEntryState,
  type Keymap,
} from './keymap';

const ev = (
  key: string,
  mods: Partial<Record<'ctrl' | 'meta' | 'shift' | 'alt', boolean>> = {},
) => ({
  key,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  shiftKey: mods.shift ?? false,
  altKey: mods.alt ?? false,
});

describe('eventToKey', () => {
  it.each([
    [ev('a'), 'a'],
    [ev('A', { shift: true }), 'shift+a'],
    [ev('U'), 'u'], // caps lock: no shift pressed
    [ev('z', { ctrl: true }), 'mod+z'],
    [ev('z', { meta: true }), 'mod+z'],
    [ev('Z', { meta: true, shift: true }), 'mod+shift+z'],
    [ev('?', { shift: true }), '?'],
    [ev('+', { shift: true }), '+'],
    [ev('1'), '1'],
    [ev(' '), 'Space'],
    [ev('ArrowRight'), 'ArrowRight'],
    [ev('ArrowRight', { shift: true }), 'shift+ArrowRight'],
    [ev('Enter', { alt: true }), 'alt+Enter'],
    [ev('Shift', { shift: true }), null],
    [ev('Control', { ctrl: true }), null],
    [ev('Dead'), null],
    [ev('Unidentified'), null],
    [ev(''), null],
  ])('%j -> %j', (event, expected) => {
    expect(eventToKey(event)).toBe(expected);
  });
});

describe('normalizeKey', () => {
  it.each([
    ['a', 'a'],
    ['U', 'u'],
    ['shift+U', 'shift+u'],
    ['Ctrl+Shift+Z', 'mod+shift+z'],
    ['Shift+Cmd+z', 'mod+shift+z'],
    ['ctrl + z', 'mod+z'],
    ['option+x', 'alt+x'],
    ['mod++', 'mod++'],
    ['+', '+'],
    ['esc', 'Escape'],
    ['arrowright', 'ArrowRight'],
    ['Left', 'ArrowLeft'],
    ['space', 'Space'],
    ['f2', 'F2'],
    ['shift+?', '?'],
    ['hyper+a', null],
    ['shift+', null],
    ['', null],
    ['no such key!', null],
  ])('%j -> %j', (text, expected) => {
    expect(normalizeKey(text)).toBe(expected);
  });

  it('is idempotent on every default key', () => {
    for (const keys of Object.values(DEFAULT_KEYMAP.bindings)) {
      for (const key of keys) expect(normalizeKey(key)).toBe(key);
    }
  });
});

describe('DEFAULT_KEYMAP', () => {
  it('is valid, binds every action and leaves the canvas keys alone', () => {
    expect(KeymapSchema.parse(DEFAULT_KEYMAP)).toEqual(DEFAULT_KEYMAP);
    expect(keymapProblems(DEFAULT_KEYMAP)).toEqual([]);
    for (const action of ACTION_IDS) {
      expect(DEFAULT_KEYMAP.bindings[action].length).toBeGreaterThan(0);
      expect(ACTION_LABELS[action]).toBeTruthy();
    }
    for (const key of ['+', '-', '0']) expect(actionFor(DEFAULT_KEYMAP, key)).toBeNull();
  });

  it.each([
    [ev('a'), 'accept'],
    [ev('d'), 'discard'],
    [ev('1'), 'flag-au-wrong'],
    [ev('6'), 'flag-other'],
    [ev('ArrowRight'), 'next'],
    [ev('j'), 'next'],
    [ev('ArrowLeft'), 'previous'],
    [ev('k'), 'previous'],
    [ev('z', { ctrl: true }), 'undo'],
    [ev('u'), 'undo'],
    [ev('Z', { meta: true, shift: true }), 'redo'],
    [ev('U', { shift: true }), 'redo'],
    [ev('y', { ctrl: true }), 'redo'],
    [ev('c'), 'au-entry'],
    [ev('e'), 'change-class'],
    [ev('n'), 'au-not-coded'],
    [ev('?', { shift: true }), 'help'],
    [ev('+', { shift: true }), null],
    [ev('-'), null],
    [ev('0'), null],
    [ev('7'), null],
    [ev('Shift', { shift: true }), null],
  ])('%j triggers %j', (event, action) => {
    expect(actionFor(DEFAULT_KEYMAP, eventToKey(event))).toBe(action);
  });

  it('digits 1-6 flag with the reasons in FlagReasonSchema order', () => {
    FlagReasonSchema.options.forEach((reason, i) => {
      const action = actionFor(DEFAULT_KEYMAP, String(i + 1));
      expect(action).toBe(FLAG_ACTIONS[i]);
      expect(action && flagReasonOfAction(action)).toBe(reason);
    });
    expect(flagReasonOfAction('accept')).toBeNull();
  });
});

describe('KeymapSchema', () => {
  const withBindings = (bindings: Partial<Keymap['bindings']>) => ({
    version: 1,
    bindings: { ...DEFAULT_KEYMAP.bindings, ...bindings },
  });
  it.each([
    ['defaults', withBindings({}), true],
    ['an action without keys', withBindings({ help: [] }), true],
    ['a reserved key', withBindings({ help: ['0'] }), false],
    ['a key on two actions', withBindings({ help: ['a'] }), false],
    ['a key twice on one action', withBindings({ help: ['?', '?'] }), false],
    ['a key not normalized', withBindings({ help: ['Shift+H'] }), false],
    ['a missing action', { version: 1, bindings: { accept: ['a'] } }, false],
    [
      'an unknown action',
      { version: 1, bindings: { ...DEFAULT_KEYMAP.bindings, fly: ['x'] } },
      false,
    ],
    ['another version', { ...withBindings({}), version: 2 }, false],
  ])('%s: valid %s', (_name, keymap, valid) => {
    expect(KeymapSchema.safeParse(keymap).success).toBe(valid);
  });
});

describe('rebind', () => {
  it('takes the key from the action that had it and says which', () => {
    const result = rebind(DEFAULT_KEYMAP, 'help', 'A');
    expect(result).toMatchObject({ ok: true, key: 'a', lostBy: 'accept' });
    if (!result.ok) return;
    expect(result.keymap.bindings.help).toEqual(['?', 'a']);
    expect(result.keymap.bindings.accept).toEqual([]);
    expect(actionFor(result.keymap, 'a')).toBe('help');
    expect(KeymapSchema.safeParse(result.keymap).success).toBe(true);
    expect(DEFAULT_KEYMAP.bindings.accept).toEqual(['a']); // not mutated
  });

  it('replaces one key of an action, keeping its place', () => {
    const result = rebind(DEFAULT_KEYMAP, 'next', 'l', 'j');
    expect(result).toMatchObject({ ok: true, lostBy: null });
    if (result.ok) expect(result.keymap.bindings.next).toEqual(['ArrowRight', 'l']);
  });

  it('rebinding a key the action already has changes nothing', () => {
    const result = rebind(DEFAULT_KEYMAP, 'accept', 'a');
    expect(result).toMatchObject({ ok: true, lostBy: null });
    if (result.ok) expect(result.keymap).toEqual(DEFAULT_KEYMAP);
  });

  it.each([...RESERVED_KEYS, 'shift+=', 'no such key!'])('refuses %j', (key) => {
    expect(rebind(DEFAULT_KEYMAP, 'accept', key).ok).toBe(false);
  });

  it('unbind removes one key', () => {
    expect(unbind(DEFAULT_KEYMAP, 'undo', 'Ctrl+Z').bindings.undo).toEqual(['u']);
  });
});

describe('restoreKeymap', () => {
  it('keeps a valid stored keymap', () => {
    const custom = rebind(DEFAULT_KEYMAP, 'help', 'h');
    if (!custom.ok) throw new Error('rebind failed');
    expect(restoreKeymap(custom.keymap)).toEqual({ keymap: custom.keymap, problems: [] });
  });

  it('fills actions added since it was saved, without stealing keys', () => {
    const { help: _help, ...older } = DEFAULT_KEYMAP.bindings;
    const stored = { version: 1, bindings: { ...older, accept: ['a', '?'] } };
    const { keymap, problems } = restoreKeymap(stored);
    expect(problems).toEqual([]);
    expect(keymap.bindings.help).toEqual([]);
    expect(keymap.bindings.accept).toEqual(['a', '?']);
  });

  it.each([null, 'x', { version: 2, bindings: {} }, { version: 1, bindings: { help: ['0'] } }])(
    'falls back to the defaults for %j',
    (stored) => {
      const { keymap, problems } = restoreKeymap(stored);
      expect(keymap).toEqual(DEFAULT_KEYMAP);
      expect(problems.length).toBeGreaterThan(0);
    },
  );
});

describe('auEntryKey', () => {
  /** Feeds keys one by one; returns the toggles and the final state. */
  function type(keys: (string | null)[], from: AuEntryState = AU_ENTRY_OFF) {
    let state = from;
    const toggles: number[] = [];
    const passed: (string | null)[] = [];
    for (const key of keys) {
      const step = auEntryKey(DEFAULT_KEYMAP, state, key);
      state = step.state;
      if (step.toggle !== null) toggles.push(step.toggle);
      if (!step.consumed) passed.push(key);
    }
    return { state, toggles, passed };
  }

  it.each([
    ['c opens, digits + Enter toggle', ['c', '1', '2', 'Enter'], [12], true, []],
    ['several AUs in a row', ['c', '1', 'Enter', '2', '5', 'Enter'], [1, 25], true, []],
    ['0 belongs to the entry (AU 10)', ['c', '1', '0', 'Enter'], [10], true, []],
    ['at most two digits', ['c', '1', '2', '3', 'Enter'], [12], true, []],
    ['Backspace edits', ['c', '1', '3', 'Backspace', '2', 'Enter'], [12], true, []],
    ['Enter on nothing closes', ['c', 'Enter'], [], false, []],
    ['Escape closes and drops the digits', ['c', '4', 'Escape', 'Enter'], [], false, ['Enter']],
    ['c again closes', ['c', 'c'], [], false, []],
    ['AU 0 is no AU', ['c', '0', 'Enter'], [], true, []],
    ['other keys pass through', ['c', 'ArrowRight', 'a'], [], true, ['ArrowRight', 'a']],
    ['closed: digits pass through to the keymap', ['1', 'Enter'], [], false, ['1', 'Enter']],
    ['null keys pass through', ['c', null], [], true, [null]],
  ] as const)('%s', (_name, keys, toggles, active, passed) => {
    const result = type([...keys]);
    expect(result.toggles).toEqual(toggles);
    expect(result.state.active).toBe(active);
    expect(result.passed).toEqual(passed);
  });

  it('follows a rebound entry key', () => {
    const custom = rebind(DEFAULT_KEYMAP, 'au-entry', 'x', 'c');
    if (!custom.ok) throw new Error('rebind failed');
    expect(auEntryKey(custom.keymap, AU_ENTRY_OFF, 'x').state.active).toBe(true);
    expect(auEntryKey(custom.keymap, AU_ENTRY_OFF, 'c').state.active).toBe(false);
  });
});
