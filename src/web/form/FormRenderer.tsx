import { KolButton, KolInputRadio, KolInputText, KolSelect, KolTextarea } from '@public-ui/react-v19';
import { createContext, useCallback, useContext, useRef } from 'react';
import type { FormNode, FormState, GroupField, LeafField } from './schema.js';
import { bySection, initialState, removeItem } from './schema.js';

/**
 * Renders form nodes with KoliBri inputs. Each field's host element gets the id `feld-<path>` so
 * the error summary can move the focus there. Errors are keyed by dotted path.
 */

export function fieldId(path: string): string {
  return `feld-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

export interface FormRendererProps {
  nodes: FormNode[];
  sections?: Array<{ id: string; title: string; description?: string }>;
  state: FormState;
  errors: Record<string, string>;
  onChange: (next: FormState) => void;
}

const HELP: Partial<Record<LeafField['widget'], string>> = {
  date: 'Format: TT.MM.JJJJ',
  money: 'Betrag in Euro, z. B. 12,50',
  iban: 'z. B. DE02 1203 0000 0000 2020 51',
};

type SetValue = (path: string, value: string | boolean | undefined) => void;

/** Field updates go through the latest state (a ref), never a render's stale copy. */
const SetValueContext = createContext<SetValue>(() => {});

function Leaf({
  field,
  path,
  state,
  error,
}: {
  field: LeafField;
  path: string;
  state: FormState;
  error?: string;
}) {
  const setValue = useContext(SetValueContext);
  const value = state.values[path];
  const set = (v: string | boolean | undefined) => setValue(path, v);
  const label = field.required ? `${field.label} *` : field.label;
  const hint = [field.help, HELP[field.widget]].filter(Boolean).join(' – ') || undefined;
  const common = {
    id: fieldId(path),
    _label: label,
    _name: path,
    _required: field.required,
    _touched: Boolean(error),
    ...(hint ? { _hint: hint } : {}),
    ...(error ? { _msg: { _type: 'error' as const, _description: error } } : {}),
  };
  // Both input and change: the last keystroke's value also arrives when the field is left.
  const text = (_e: unknown, v: unknown) => set(typeof v === 'string' ? v : '');
  const choice = (_e: unknown, v: unknown) => set(String(Array.isArray(v) ? (v[0] ?? '') : (v ?? '')));
  const yesNo = (_e: unknown, v: unknown) => set(v === 'ja' ? true : v === 'nein' ? false : undefined);
  switch (field.widget) {
    case 'textarea':
      return (
        <KolTextarea
          {...common}
          _value={typeof value === 'string' ? value : ''}
          _rows={4}
          _on={{ onInput: text, onChange: text }}
        />
      );
    case 'select':
      return (
        <KolSelect
          {...common}
          _options={[{ label: 'Bitte wählen', value: '' }, ...field.options]}
          _value={typeof value === 'string' ? value : ''}
          _on={{ onInput: choice, onChange: choice }}
        />
      );
    case 'yesno':
      return (
        <KolInputRadio
          {...common}
          _orientation="horizontal"
          _options={[
            { label: 'Ja', value: 'ja' },
            { label: 'Nein', value: 'nein' },
          ]}
          _value={value === true ? 'ja' : value === false ? 'nein' : undefined}
          _on={{ onInput: yesNo, onChange: yesNo }}
        />
      );
    default:
      return (
        <KolInputText
          {...common}
          _value={typeof value === 'string' ? value : ''}
          {...(field.widget === 'date' ? { _placeholder: 'TT.MM.JJJJ' } : {})}
          {...(field.maxLength ? { _maxLength: field.maxLength } : {})}
          _on={{ onInput: text, onChange: text }}
        />
      );
  }
}

function Group({
  group,
  path,
  state,
  errors,
  onChange,
}: {
  group: GroupField;
  path: string;
  state: FormState;
  errors: Record<string, string>;
  onChange: (next: FormState) => void;
}) {
  const count = state.counts[path] ?? 0;
  const add = () => {
    const next = { values: { ...state.values }, counts: { ...state.counts, [path]: count + 1 } };
    onChange(initialState(group.item, `${path}.${count}`, next));
  };
  const groupError = errors[path];
  return (
    <fieldset className="group" id={fieldId(path)} tabIndex={-1}>
      <legend>{group.label}</legend>
      {group.help ? <p className="help">{group.help}</p> : null}
      {groupError ? (
        <p className="field-error" role="alert">
          {groupError}
        </p>
      ) : null}
      {count === 0 ? <p>Noch keine Einträge.</p> : null}
      {Array.from({ length: count }, (_, i) => {
        const itemPath = `${path}.${i}`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: items are positional; removal re-keys the values
          <fieldset className="group-item" key={i}>
            <legend>
              {group.itemLabel} {i + 1}
            </legend>
            <Nodes nodes={group.item} base={itemPath} state={state} errors={errors} onChange={onChange} />
            {count > group.minItems ? (
              <KolButton
                _label={`${group.itemLabel} ${i + 1} entfernen`}
                _variant="secondary"
                _on={{ onClick: () => onChange(removeItem(state, path, i)) }}
              />
            ) : null}
          </fieldset>
        );
      })}
      {group.maxItems === undefined || count < group.maxItems ? (
        <KolButton _label={`${group.itemLabel} hinzufügen`} _variant="secondary" _on={{ onClick: add }} />
      ) : null}
    </fieldset>
  );
}

function Nodes({
  nodes,
  base,
  state,
  errors,
  onChange,
}: {
  nodes: FormNode[];
  base: string;
  state: FormState;
  errors: Record<string, string>;
  onChange: (next: FormState) => void;
}) {
  return (
    <>
      {nodes.map((n) => {
        const path = base ? `${base}.${n.path}` : n.path;
        return n.kind === 'field' ? (
          <div className="field" key={path}>
            <Leaf field={n} path={path} state={state} {...(errors[path] ? { error: errors[path] } : {})} />
          </div>
        ) : (
          <Group key={path} group={n} path={path} state={state} errors={errors} onChange={onChange} />
        );
      })}
    </>
  );
}

export function FormRenderer({ nodes, sections, state, errors, onChange }: FormRendererProps) {
  const latest = useRef(state);
  latest.current = state;
  const setValue = useCallback<SetValue>(
    (path, value) => {
      const s = latest.current;
      if (s.values[path] === value) return;
      const next = { ...s, values: { ...s.values, [path]: value } };
      latest.current = next;
      onChange(next);
    },
    [onChange],
  );
  return (
    <SetValueContext.Provider value={setValue}>
      {!sections?.length ? (
        <Nodes nodes={nodes} base="" state={state} errors={errors} onChange={onChange} />
      ) : (
        bySection(nodes, sections).map((s) => (
          <fieldset className="section" key={s.id}>
            <legend>{s.title}</legend>
            {s.description ? <p className="help">{s.description}</p> : null}
            <Nodes nodes={s.nodes} base="" state={state} errors={errors} onChange={onChange} />
          </fieldset>
        ))
      )}
    </SetValueContext.Provider>
  );
}

/** Error summary at the top of a form: each message links to its field. */
export function ErrorSummary({
  errors,
  labels,
}: {
  errors: Record<string, string>;
  labels?: Record<string, string>;
}) {
  const entries = Object.entries(errors);
  if (!entries.length) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} id="fehlerliste">
      <h2>
        Bitte korrigieren Sie {entries.length === 1 ? 'die folgende Angabe' : `${entries.length} Angaben`}:
      </h2>
      <ul>
        {entries.map(([path, message]) => (
          <li key={path}>
            <a
              href={`#${fieldId(path)}`}
              onClick={(e) => {
                e.preventDefault();
                focusField(path);
              }}
            >
              {labels?.[path] && !message.startsWith(labels[path] ?? '') ? `${labels[path]}: ` : ''}
              {message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function focusField(path: string): void {
  let el: HTMLElement | null = null;
  // A path may point inside a group (`eltern.0`) or to the group itself: use the nearest field.
  for (let p = path; p && !el; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    el = document.getElementById(fieldId(p));
  }
  if (!el) return;
  el.scrollIntoView({ block: 'center' });
  void (el as HTMLElement & { focus: () => unknown }).focus();
}
