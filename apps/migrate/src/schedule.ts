// Per-conversation ordering: a conversation's messages go one at a time in file order (Easemob requires each to
// be later than the last one imported into it), while different conversations proceed in parallel.

/** A FIFO with O(1) shift; a plain array's shift() is O(n) on a long conversation. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;
  get length() {
    return this.items.length - this.head;
  }
  push(item: T) {
    this.items.push(item);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined as T;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

export interface Schedulable {
  conversation: string;
}

/**
 * Holds lines that are read but not yet sent. `take()` returns lines whose conversation has nothing in flight,
 * oldest first; `done()` releases the conversation's next line. Conversations with nothing waiting are dropped,
 * so memory follows the lines buffered, not the conversations seen.
 */
export class Scheduler<T extends Schedulable> {
  /** Lines waiting behind a conversation's head, per conversation with a head ready or in flight. */
  private readonly waiting = new Map<string, Fifo<T>>();
  private readonly ready = new Fifo<T>();
  private count = 0;

  /** Lines held: ready plus waiting (not those in flight). */
  get size() {
    return this.count;
  }

  push(item: T) {
    this.count++;
    const queue = this.waiting.get(item.conversation);
    if (queue) queue.push(item);
    else {
      this.waiting.set(item.conversation, new Fifo());
      this.ready.push(item);
    }
  }

  /** The next line that may be sent now, if any. */
  take(): T | undefined {
    const item = this.ready.shift();
    if (item) this.count--;
    return item;
  }

  /** The line's call has finished (whatever its outcome): its conversation may send the next one. */
  done(item: T) {
    const queue = this.waiting.get(item.conversation);
    const next = queue?.shift();
    if (next) this.ready.push(next);
    else this.waiting.delete(item.conversation);
  }

  /** Conversations with a line ready or in flight. */
  get activeConversations() {
    return this.waiting.size;
  }
}
