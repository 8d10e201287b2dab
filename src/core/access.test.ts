import { describe, expect, it } from 'vitest';
import { hasRole, type Principal, readableScopes, roleAllowedAt, roleSatisfies } from './access.js';

const principal = (grants: Principal['grants']): Principal => ({
  userId: 'u',
  username: 'u',
  displayName: 'U',
  grants,
  isAdmin: false,
  isCrisisTeam: false,
});

describe('roles and scopes', () => {
  it('lets the head of office do what a clerk may, not the other way round', () => {
    expect(roleSatisfies('leitung', 'sachbearbeitung')).toBe(true);
    expect(roleSatisfies('sachbearbeitung', 'leitung')).toBe(false);
  });

  it('keeps the budget roles to themselves: the Bürgermeister and the Ratsbüro do no clerk work', () => {
    for (const r of ['buergermeister', 'ratsbuero'] as const) {
      expect(roleSatisfies(r, 'sachbearbeitung')).toBe(false);
      expect(roleSatisfies(r, 'leitung')).toBe(false);
      expect(roleSatisfies('leitung', r)).toBe(false);
      expect(roleAllowedAt(r, 'kaemmerei')).toBe(true);
      expect(roleAllowedAt(r, 'standesamt')).toBe(false);
    }
    expect(roleSatisfies('buergermeister', 'ratsbuero')).toBe(false);
    expect(roleAllowedAt('leitung', 'standesamt')).toBe(true);
    const p = principal([{ authorityAgs: '05970040', officeType: 'kaemmerei', role: 'buergermeister' }]);
    expect(hasRole(p, { authorityAgs: '05970040', officeType: 'kaemmerei' }, ['buergermeister'])).toBe(true);
    expect(hasRole(p, { authorityAgs: '05970040', officeType: 'kaemmerei' }, ['sachbearbeitung'])).toBe(
      false,
    );
  });

  it('binds a role to one office of one authority and denies everything else', () => {
    const p = principal([{ authorityAgs: '05970040', officeType: 'standesamt', role: 'leitung' }]);
    expect(hasRole(p, { authorityAgs: '05970040', officeType: 'standesamt' }, ['sachbearbeitung'])).toBe(
      true,
    );
    expect(hasRole(p, { authorityAgs: '05970040', officeType: 'meldebehoerde' }, ['sachbearbeitung'])).toBe(
      false,
    );
    expect(hasRole(p, { authorityAgs: '05966024', officeType: 'standesamt' }, ['sachbearbeitung'])).toBe(
      false,
    );
    expect(hasRole(null, { authorityAgs: '05970040', officeType: 'standesamt' }, ['sachbearbeitung'])).toBe(
      false,
    );
  });

  it('lists each readable office once', () => {
    const p = principal([
      { authorityAgs: '05970040', officeType: 'standesamt', role: 'leitung' },
      { authorityAgs: '05970040', officeType: 'standesamt', role: 'sachbearbeitung' },
    ]);
    expect(readableScopes(p)).toEqual([{ authorityAgs: '05970040', officeType: 'standesamt' }]);
  });
});
