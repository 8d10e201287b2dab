import { KolSelect } from '@public-ui/react-v19';
import { useEffect, useMemo, useState } from 'react';
import { loadAuthorities } from './api.js';
import { useSession } from './session.js';

/** Names of all authorities by AGS (empty until loaded; the list is loaded once per page load). */
export function useAuthorityNames(): Map<string, string> {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    loadAuthorities()
      .then((items) => setNames(new Map(items.map((a) => [a.ags, a.name]))))
      .catch(() => {});
  }, []);
  return names;
}

/** The authorities where the clerk holds a role in the given office, with their names. */
export function useOfficeAuthorities(
  office: string,
  roles: string[] = ['sachbearbeitung', 'leitung'],
): Array<{ value: string; label: string }> {
  const { session } = useSession();
  const names = useAuthorityNames();
  const key = roles.join(',');
  return useMemo(() => {
    const allowed = key.split(',');
    const ags = [
      ...new Set(
        session.user.grants
          .filter((g) => g.officeType === office && allowed.includes(g.role))
          .map((g) => g.authorityAgs),
      ),
    ];
    return ags.map((a) => ({ value: a, label: names.get(a) ?? a }));
  }, [session.user.grants, office, key, names]);
}

/** Chooses one of the clerk's authorities; the first is preselected. */
export function AuthoritySelect({
  options,
  value,
  onChange,
  label = 'Behörde',
}: {
  options: Array<{ value: string; label: string }>;
  value: string;
  onChange: (ags: string) => void;
  label?: string;
}) {
  useEffect(() => {
    if (!value && options[0]) onChange(options[0].value);
  }, [value, options, onChange]);
  if (options.length <= 1) return null;
  return (
    <KolSelect
      id="feld-behoerde"
      _label={label}
      _options={options}
      _value={value}
      _on={{ onInput: (_e, v) => onChange(selected(v)) }}
    />
  );
}

/** The first of a select's values (KoliBri hands over a value or a list). */
export function selected(v: unknown): string {
  return String(Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
}
