/**
 * A short-lived cache of rendered public pages in this process (a "micro cache"): under load the
 * status page and the slot listing are rendered at most once per `ttlMs` per URL, not once per
 * request. Any write of this family in this process (catalogue, situation, booking, cancellation,
 * release of a room) clears it at once; another instance of a central installation shows such a
 * change after at most `ttlMs` (the pages tell shared caches `max-age` anyway). Slots created
 * through the core's room API appear after at most `ttlMs`. Holds no personal data: only what the
 * public pages show.
 */
export interface CachedPage {
  body: string | Buffer;
  etag: string;
  type: string;
}

export class PageCache {
  private readonly pages = new Map<string, CachedPage & { until: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 2000,
  ) {}

  async get(key: string, now: number, render: () => Promise<CachedPage>): Promise<CachedPage> {
    if (this.ttlMs <= 0) return render();
    const hit = this.pages.get(key);
    if (hit && hit.until > now) return hit;
    const page = await render();
    if (this.pages.size >= this.maxEntries) this.pages.clear();
    this.pages.set(key, { ...page, until: now + this.ttlMs });
    return page;
  }

  /** Forgets every page (after a write). */
  clear(): void {
    this.pages.clear();
  }
}
