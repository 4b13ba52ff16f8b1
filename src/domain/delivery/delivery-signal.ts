// An in-process wake-up call for the delivery dispatcher. Whoever commits
// events (a link use case after its transaction, a replay) calls notify(); the
// dispatcher of this process claims at once instead of at its next poll.
// Other processes find the work at their next poll (see worker/delivery-dispatcher.ts).

export interface DeliverySignal {
  notify(): void;
  /** Registers a listener; returns a function that removes it. */
  subscribe(listener: () => void): () => void;
}

export function createDeliverySignal(): DeliverySignal {
  const listeners = new Set<() => void>();
  return {
    notify() {
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
