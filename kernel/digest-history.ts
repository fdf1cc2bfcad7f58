/**
 * Signatures already seen, as jupyter_client's Session keeps them: a message whose signature was
 * seen before is a replay and is refused. Bounded: past `capacity` the oldest signatures are
 * forgotten (a Set iterates in insertion order), so memory stays flat over any session.
 */
export class DigestHistory {
  private readonly seen = new Set<string>();

  constructor(private readonly capacity = 1 << 16) {}

  /** True the first time a signature is offered, false for a duplicate. Unsigned messages always pass. */
  admit(signature: Buffer): boolean {
    if (signature.length === 0) return true;
    const digest = signature.toString("latin1");
    if (this.seen.has(digest)) return false;
    this.seen.add(digest);
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.values().next().value as string);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}
