/** Where a batch goes: the click repo itself, or a committer that also writes click events (commit-clicks.ts). */
export interface BatchWriter<T> {
  insertMany(items: T[]): Promise<void>;
}

/** What the recorder reports about each commit (the HTTP layer turns it into metrics and logs). */
export interface RecorderObserver {
  committed(count: number, seconds: number): void;
  failed(count: number, error: unknown): void;
}

export class RecorderStoppedError extends Error {
  constructor() {
    super('The click recorder is stopped; no more clicks are accepted');
    this.name = 'RecorderStoppedError';
  }
}

/** Clicks committed together; every request in it waits on the one promise. */
class Batch<T> {
  readonly clicks: T[] = [];
  readonly done: Promise<void>;
  resolve!: () => void;
  reject!: (error: unknown) => void;
  constructor() {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

/**
 * Group commit. `record(click)` resolves once the click is in the database,
 * and only then may its redirect be written: a redirect the client received
 * always has its click stored, even if the process is SIGKILLed a moment later.
 *
 * One transaction per click would cap a SQLite server at a few thousand
 * redirects/s (each commit appends and syncs the WAL) and hold a PostgreSQL
 * connection per request. Instead one batch is in flight at a time and the
 * next accumulates meanwhile, so under load a commit carries every click that
 * arrived during the previous one (hundreds at bench load, see BENCHMARKS.md)
 * and at low load a lone click is committed on the next turn of the event
 * loop. There is no timer: waiting to fill a batch would only add latency.
 *
 * One promise per batch rather than per click keeps the hot path at one
 * array push per request.
 */
export class ClickRecorder<T> {
  private readonly queue: Batch<T>[] = [];
  /** The batch new clicks join; null when the last one was handed to the flusher. */
  private open: Batch<T> | null = null;
  private inFlight = false;
  private scheduled = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly clicks: BatchWriter<T>,
    private readonly batchMax: number,
    private readonly observer?: RecorderObserver,
  ) {
    if (!(batchMax >= 1)) throw new Error('batchMax must be at least 1');
  }

  /** Resolves when the click is committed; rejects if its batch failed or the recorder is stopped. */
  record(click: T): Promise<void> {
    if (this.stopped) return Promise.reject(new RecorderStoppedError());
    let batch = this.open;
    if (batch === null || batch.clicks.length >= this.batchMax) {
      batch = new Batch<T>();
      this.queue.push(batch);
      this.open = batch;
    }
    batch.clicks.push(click);
    this.schedule();
    return batch.done;
  }

  /** Clicks accepted but not committed yet. */
  get pending(): number {
    let n = 0;
    for (const b of this.queue) n += b.clicks.length;
    return n;
  }

  /** Commits everything queued, then refuses new clicks. */
  async drain(): Promise<void> {
    this.stopped = true;
    if (this.queue.length === 0 && !this.inFlight) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.inFlight || this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    // setImmediate, not a microtask: the commit starts after this turn's I/O
    // callbacks have run, so every request that arrived together joins it.
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const batch = this.queue.shift();
    if (batch === undefined) return;
    if (batch === this.open) this.open = null;
    this.inFlight = true;
    const started = performance.now();
    // A repo that throws synchronously fails the batch like a rejected commit.
    new Promise<void>((resolve) => resolve(this.clicks.insertMany(batch.clicks))).then(
      () => {
        this.observer?.committed(batch.clicks.length, (performance.now() - started) / 1000);
        this.settled();
        batch.resolve();
      },
      (error: unknown) => {
        this.observer?.failed(batch.clicks.length, error);
        this.settled();
        batch.reject(error);
      },
    );
  };

  private settled(): void {
    this.inFlight = false;
    if (this.queue.length > 0) this.schedule();
    else if (this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
