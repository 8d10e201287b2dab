import {
  centsToInput,
  formatDate,
  formatIban,
  parseEuroToCents,
  parseGermanDate,
  parseGermanNumber,
} from '../format.js';

/**
 * Reads the JSON Schema a procedure definition serves (zod's toJSONSchema with the field metadata:
 * title = label, description = help, section, widget, options = German labels of enum values)
 * and turns it into a list of fields to render. Form values are kept as the clerk typed them
 * (flat, keyed by dotted path) and converted to API data only when sending.
 */

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  section?: string;
  widget?: string;
  options?: Record<string, string>;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  maxLength?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  format?: string;
  [key: string]: unknown;
}

export type Widget =
  | 'text'
  | 'textarea'
  | 'date'
  | 'datetime'
  | 'select'
  | 'number'
  | 'money'
  | 'iban'
  | 'yesno';

export interface LeafField {
  kind: 'field';
  /** Dotted path relative to the form root (`person.familienname`, `eltern.0.name`). */
  path: string;
  name: string;
  label: string;
  help?: string;
  required: boolean;
  widget: Widget;
  integer: boolean;
  options: Array<{ value: string; label: string }>;
  maxLength?: number;
  section?: string;
  /** Enclosing objects (relative paths) that the schema requires: they are sent even when empty. */
  containers?: string[];
}

export interface GroupField {
  kind: 'group';
  path: string;
  label: string;
  help?: string;
  required: boolean;
  minItems: number;
  maxItems?: number;
  /** Fields of one item, with paths relative to the item. */
  item: FormNode[];
  /** Label of one item, e.g. "Elternteil". */
  itemLabel: string;
  section?: string;
  containers?: string[];
}

export type FormNode = LeafField | GroupField;

export type FormValues = Record<string, string | boolean | undefined>;
export type FormCounts = Record<string, number>;
export interface FormState {
  values: FormValues;
  counts: FormCounts;
}

export function emptyState(): FormState {
  return { values: {}, counts: {} };
}

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let s = schema;
  for (let i = 0; i < 10 && s.$ref; i++) {
    const name = s.$ref.replace(/^#\/(\$defs|definitions)\//, '');
    const target = root.$defs?.[name] ?? (root.definitions as Record<string, JsonSchema> | undefined)?.[name];
    if (!target) break;
    const { $ref: _ignored, ...rest } = s;
    s = { ...target, ...rest };
  }
  // Optional/nullable unions: take the non-null branch, keep the outer metadata.
  const union = s.anyOf ?? s.oneOf;
  if (union) {
    const nonNull = union.filter((u) => u.type !== 'null');
    if (nonNull.length === 1 && nonNull[0]) {
      const { anyOf: _a, oneOf: _o, ...outer } = s;
      return resolve({ ...nonNull[0], ...outer }, root);
    }
  }
  if (s.allOf?.length === 1 && s.allOf[0]) {
    const { allOf: _x, ...outer } = s;
    return resolve({ ...s.allOf[0], ...outer }, root);
  }
  return s;
}

function typeOf(s: JsonSchema): string | undefined {
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null');
  return s.type;
}

function widgetOf(s: JsonSchema): Widget {
  const w = s.widget as Widget | undefined;
  if (w) return w;
  const t = typeOf(s);
  if (s.enum) return 'select';
  if (t === 'boolean') return 'yesno';
  if (t === 'number' || t === 'integer') return 'number';
  if (s.format === 'date') return 'date';
  return 'text';
}

function join(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}

/** Walks a form schema into renderable nodes; nested objects are flattened into their fields. */
export function collectNodes(
  schema: JsonSchema,
  root: JsonSchema = schema,
  base = '',
  section?: string,
  containers: string[] = [],
): FormNode[] {
  const s = resolve(schema, root);
  const out: FormNode[] = [];
  const required = new Set(s.required ?? []);
  for (const [key, raw] of Object.entries(s.properties ?? {})) {
    const prop = resolve(raw, root);
    const path = join(base, key);
    const sec = (prop.section as string | undefined) ?? section;
    const t = typeOf(prop);
    if (t === 'object' && prop.properties) {
      // A required object is sent even if all its fields are empty, so its own fields get the errors.
      const inner =
        required.has(key) && containers.length === (base ? base.split('.').length : 0)
          ? [...containers, path]
          : containers;
      out.push(...collectNodes(prop, root, path, sec, inner));
    } else if (t === 'array' && prop.items) {
      const items = resolve(prop.items, root);
      const label = prop.title ?? key;
      const itemNodes =
        typeOf(items) === 'object'
          ? collectNodes(items, root, '', sec)
          : [leafOf('wert', items, true, sec, items.title ?? label)];
      out.push({
        kind: 'group',
        containers,
        path,
        label,
        ...(prop.description ? { help: prop.description } : {}),
        required: required.has(key),
        minItems: prop.minItems ?? 0,
        ...(prop.maxItems !== undefined ? { maxItems: prop.maxItems } : {}),
        item: itemNodes,
        itemLabel: (items.title as string | undefined) ?? 'Eintrag',
        ...(sec ? { section: sec } : {}),
      });
    } else {
      out.push({ ...leafOf(path, prop, required.has(key), sec, prop.title ?? key), containers });
    }
  }
  return out;
}

function leafOf(
  path: string,
  s: JsonSchema,
  required: boolean,
  section: string | undefined,
  label: string,
): LeafField {
  const widget = widgetOf(s);
  const labels = s.options ?? {};
  const options = (s.enum ?? Object.keys(labels)).map((v) => ({
    value: String(v),
    label: labels[String(v)] ?? String(v),
  }));
  return {
    kind: 'field',
    path,
    name: path.split('.').pop() ?? path,
    label,
    ...(s.description ? { help: s.description } : {}),
    required,
    widget,
    integer: typeOf(s) === 'integer',
    options,
    ...(typeof s.maxLength === 'number' ? { maxLength: s.maxLength } : {}),
    ...(section ? { section } : {}),
  };
}

/** Groups nodes by their section, in the order of the definition's sections; the rest last. */
export function bySection(
  nodes: FormNode[],
  sections: Array<{ id: string; title: string; description?: string }>,
): Array<{ id: string; title: string; description?: string; nodes: FormNode[] }> {
  const known = new Set(sections.map((s) => s.id));
  const result = sections
    .map((s) => ({ ...s, nodes: nodes.filter((n) => n.section === s.id) }))
    .filter((s) => s.nodes.length > 0);
  const rest = nodes.filter((n) => !n.section || !known.has(n.section));
  if (rest.length) result.push({ id: 'weitere', title: 'Weitere Angaben', nodes: rest });
  return result;
}

// ---- values <-> data ----

function leafToData(field: LeafField, raw: string | boolean | undefined): unknown {
  if (field.widget === 'yesno') return typeof raw === 'boolean' ? raw : undefined;
  if (raw === undefined || raw === '' || typeof raw === 'boolean') return undefined;
  const text = raw;
  switch (field.widget) {
    case 'date':
      return parseGermanDate(text);
    case 'iban':
      return text.replace(/\s+/g, '').toUpperCase();
    case 'money': {
      const cents = parseEuroToCents(text);
      if (Number.isNaN(cents)) return text;
      return field.integer ? cents : cents / 100;
    }
    case 'number': {
      const n = parseGermanNumber(text);
      return Number.isNaN(n) ? text : n;
    }
    default:
      return text;
  }
}

function setIn(target: Record<string, unknown>, path: string[], value: unknown): void {
  let cur: Record<string, unknown> = target;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i] as string;
    if (typeof cur[k] !== 'object' || cur[k] === null) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[path[path.length - 1] as string] = value;
}

/** Converts what the clerk typed into API data (ISO dates, cents, booleans, arrays). */
export function toData(nodes: FormNode[], state: FormState, base = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of nodes) {
    const full = join(base, n.path);
    for (const c of n.containers ?? []) {
      const parts = c.split('.');
      if (getIn(out, parts) === undefined) setIn(out, parts, {});
    }
    if (n.kind === 'field') {
      const v = leafToData(n, state.values[full]);
      if (v !== undefined) setIn(out, n.path.split('.'), v);
    } else {
      const count = state.counts[full] ?? 0;
      const items: unknown[] = [];
      for (let i = 0; i < count; i++) {
        const itemData = toData(n.item, state, `${full}.${i}`);
        items.push(n.item.length === 1 && n.item[0]?.path === 'wert' ? itemData.wert : itemData);
      }
      setIn(out, n.path.split('.'), items);
    }
  }
  return out;
}

function getIn(data: unknown, path: string[]): unknown {
  let cur = data;
  for (const k of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function leafToInput(field: LeafField, value: unknown): string | boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (field.widget === 'yesno') return typeof value === 'boolean' ? value : undefined;
  switch (field.widget) {
    case 'date':
      return formatDate(String(value));
    case 'iban':
      return formatIban(String(value));
    case 'money':
      if (typeof value !== 'number') return String(value);
      return centsToInput(field.integer ? value : Math.round(value * 100));
    case 'number':
      return typeof value === 'number' ? String(value).replace('.', ',') : String(value);
    default:
      return String(value);
  }
}

/** The reverse of toData: API data -> form state (e.g. to correct a case). */
export function fromData(
  nodes: FormNode[],
  data: unknown,
  base = '',
  state: FormState = emptyState(),
): FormState {
  for (const n of nodes) {
    const full = join(base, n.path);
    const v = getIn(data, n.path.split('.'));
    if (n.kind === 'field') {
      const input = leafToInput(n, v);
      if (input !== undefined) state.values[full] = input;
    } else if (Array.isArray(v)) {
      state.counts[full] = v.length;
      v.forEach((item, i) => {
        fromData(
          n.item,
          n.item.length === 1 && n.item[0]?.path === 'wert' ? { wert: item } : item,
          `${full}.${i}`,
          state,
        );
      });
    }
  }
  return state;
}

/** Initial state: repeated groups start with their minimum number of items (at least one if required). */
export function initialState(nodes: FormNode[], base = '', state: FormState = emptyState()): FormState {
  for (const n of nodes) {
    if (n.kind !== 'group') continue;
    const full = join(base, n.path);
    const count = Math.max(n.minItems, n.required ? 1 : 0);
    state.counts[full] = count;
    for (let i = 0; i < count; i++) initialState(n.item, `${full}.${i}`, state);
  }
  return state;
}

/** Removes item `index` of a repeated group and shifts the later items' values down. */
export function removeItem(state: FormState, groupPath: string, index: number): FormState {
  const count = state.counts[groupPath] ?? 0;
  const prefix = `${groupPath}.`;
  const values: FormValues = {};
  const counts: FormCounts = {};
  const shift = (key: string): string | null => {
    if (!key.startsWith(prefix)) return key;
    const rest = key.slice(prefix.length);
    const dot = rest.indexOf('.');
    const i = Number(dot === -1 ? rest : rest.slice(0, dot));
    if (i === index) return null;
    if (i < index) return key;
    return `${prefix}${i - 1}${dot === -1 ? '' : rest.slice(dot)}`;
  };
  for (const [k, v] of Object.entries(state.values)) {
    const nk = shift(k);
    if (nk !== null) values[nk] = v;
  }
  for (const [k, v] of Object.entries(state.counts)) {
    const nk = shift(k);
    if (nk !== null) counts[nk] = v;
  }
  counts[groupPath] = Math.max(0, count - 1);
  return { values, counts };
}
