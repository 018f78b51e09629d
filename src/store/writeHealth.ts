/**
 * Whether the store's last write went through, for `/readyz`: a replica whose writes fail (disk full, files
 * not writable, a lock held for too long) should be taken out of rotation while users would only get
 * apologies, and put back as soon as a write succeeds again.
 */
export class WriteHealth {
  private failure: { at: number; reason: string } | undefined;

  succeeded(): void {
    this.failure = undefined;
  }

  failed(reason: string): void {
    this.failure = { at: Date.now(), reason };
  }

  /** empty while the last write succeeded (or none was tried yet) */
  problems(): string[] {
    return this.failure ? [`the store's last write failed: ${this.failure.reason}`] : [];
  }
}
