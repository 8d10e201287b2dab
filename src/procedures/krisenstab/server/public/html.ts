/**
 * A minimal HTML builder for the public pages: every interpolated value is escaped unless it is
 * itself built with `html` (or `raw` for the few constant fragments). Arrays are joined; null,
 * undefined and false render nothing. No template engine, no script: the pages are plain HTML.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** A constant fragment of markup (never user data). */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** Text with line breaks as separate lines (each escaped). */
export function lines(text: string | null | undefined): Html {
  if (!text) return new Html('');
  return new Html(
    text
      .split(/\r?\n/)
      .map((l) => escapeHtml(l))
      .join('<br>'),
  );
}
