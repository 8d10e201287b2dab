import { describe, expect, it } from 'vitest';
import { PageCache } from './page-cache.js';

describe('micro cache of the public pages', () => {
  const page = (body: string) => async () => ({ body, etag: `"${body}"`, type: 'text/html' });

  it('renders a URL at most once per TTL and again after it', async () => {
    const cache = new PageCache(5000);
    let renders = 0;
    const render = async () => {
      renders++;
      return page(`v${renders}`)();
    };
    expect((await cache.get('/a', 1000, render)).body).toBe('v1');
    expect((await cache.get('/a', 5999, render)).body).toBe('v1');
    expect((await cache.get('/b', 5999, render)).body).toBe('v2');
    expect((await cache.get('/a', 6000, render)).body).toBe('v3');
    expect(renders).toBe(3);
  });

  it('forgets everything on a write, and caches nothing with TTL 0', async () => {
    const cache = new PageCache(5000);
    await cache.get('/a', 0, page('alt'));
    cache.clear();
    expect((await cache.get('/a', 1, page('neu'))).body).toBe('neu');
    const off = new PageCache(0);
    await off.get('/a', 0, page('eins'));
    expect((await off.get('/a', 0, page('zwei'))).body).toBe('zwei');
  });

  it('stays bounded', async () => {
    const cache = new PageCache(5000, 3);
    for (const k of ['/1', '/2', '/3', '/4']) await cache.get(k, 0, page(k));
    let rendered = false;
    await cache.get('/1', 1, async () => {
      rendered = true;
      return page('/1')();
    });
    expect(rendered).toBe(true);
  });
});
