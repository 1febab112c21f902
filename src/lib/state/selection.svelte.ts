/**
 * Samples picked in the grid for a bulk decision: a mask over the dataset, replaced
 * on every change, with shift-click ranges taken in the order the grid shows.
 */
export class Selection {
  mask = $state.raw<Uint8Array>(new Uint8Array(0));
  count = $state(0);
  private anchor: number | null = null;

  has(index: number): boolean {
    return this.mask[index] === 1;
  }

  /** Click toggles one sample; shift-click sets the range from the last click to this one. */
  toggle(index: number, size: number, shown: Int32Array, range: boolean): void {
    const mask = this.sized(size);
    const from = this.anchor === null ? -1 : shown.indexOf(this.anchor);
    const to = shown.indexOf(index);
    if (range && from >= 0 && to >= 0) {
      const value = mask[this.anchor ?? index] === 1 ? 1 : 0;
      for (let p = Math.min(from, to); p <= Math.max(from, to); p++) mask[shown[p] ?? 0] = value;
    } else {
      mask[index] = mask[index] === 1 ? 0 : 1;
    }
    this.anchor = index;
    this.commit(mask);
  }

  selectAll(size: number, shown: Int32Array): void {
    const mask = this.sized(size);
    for (const i of shown) mask[i] = 1;
    this.commit(mask);
  }

  clear(): void {
    this.anchor = null;
    this.commit(new Uint8Array(0));
  }

  indices(): number[] {
    const out: number[] = [];
    this.mask.forEach((v, i) => {
      if (v === 1) out.push(i);
    });
    return out;
  }

  private sized(size: number): Uint8Array {
    const mask = new Uint8Array(size);
    mask.set(this.mask.subarray(0, size));
    return mask;
  }

  private commit(mask: Uint8Array): void {
    let count = 0;
    for (const v of mask) count += v;
    this.mask = mask;
    this.count = count;
  }
}
