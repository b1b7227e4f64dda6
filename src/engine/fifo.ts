/** A first-in first-out queue over a growable ring buffer: O(1) push and shift, no array shifting. */
export class Fifo<T> {
  private items: (T | undefined)[];
  private head = 0;
  private _size = 0;

  constructor(initialCapacity = 16) {
    this.items = new Array<T | undefined>(Math.max(4, initialCapacity));
  }

  get size(): number {
    return this._size;
  }

  push(item: T): void {
    if (this._size === this.items.length) this.grow();
    this.items[(this.head + this._size) % this.items.length] = item;
    this._size++;
  }

  shift(): T | undefined {
    if (this._size === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this._size--;
    return item;
  }

  peek(): T | undefined {
    return this._size === 0 ? undefined : this.items[this.head];
  }

  /** Remove and return every item, oldest first. */
  drain(): T[] {
    const out: T[] = [];
    while (this._size > 0) out.push(this.shift() as T);
    return out;
  }

  private grow(): void {
    const old = this.items;
    const next = new Array<T | undefined>(old.length * 2);
    for (let i = 0; i < this._size; i++) next[i] = old[(this.head + i) % old.length];
    this.items = next;
    this.head = 0;
  }
}
