// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { ownKeys } from './key-owner';

/** A screen's key listener, added as screens add theirs: on the window, capturing. */
const screenKeys: string[] = [];
const screen = (event: KeyboardEvent) => screenKeys.push(event.key);
window.addEventListener('keydown', screen, { capture: true });

function keyOn(target: Element, key: string): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
  target.dispatchEvent(event);
  return event;
}

afterEach(() => {
  screenKeys.length = 0;
  document.body.replaceChildren();
});

describe('ownKeys', () => {
  it("takes the owner's keys before a screen's capturing window listener sees them", () => {
    const region = document.createElement('div');
    const outside = document.createElement('button');
    document.body.append(region, outside);
    const release = ownKeys(region, (event) => event.key === 'ArrowRight');

    expect(keyOn(region, 'ArrowRight').defaultPrevented).toBe(true);
    expect(screenKeys).toEqual([]);
    // Keys the owner does not take, and keys pressed elsewhere, reach the screen.
    expect(keyOn(region, 'a').defaultPrevented).toBe(false);
    keyOn(outside, 'ArrowRight');
    expect(screenKeys).toEqual(['a', 'ArrowRight']);

    release();
    keyOn(region, 'ArrowRight');
    expect(screenKeys).toEqual(['a', 'ArrowRight', 'ArrowRight']);
  });

  it('leaves a key already handled alone', () => {
    const region = document.createElement('div');
    document.body.append(region);
    let asked = 0;
    const release = ownKeys(region, () => ++asked > 0);
    const event = new KeyboardEvent('keydown', { key: 'x', bubbles: true, cancelable: true });
    event.preventDefault();
    region.dispatchEvent(event);
    expect(asked).toBe(0);
    expect(screenKeys).toEqual(['x']);
    release();
  });
});
