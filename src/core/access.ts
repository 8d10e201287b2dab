import type { OfficeType } from './offices.js';

/**
 * Roles within one office. `sachbearbeitung` (clerk) does the daily work; `leitung` (head of
 * office) may additionally perform actions a procedure reserves for it (approvals, releases).
 *
 * Two roles exist at the Kämmerei only, for the steps of the budget (§ 80 GO NRW) that belong to
 * others than the Kämmerei's own staff: `buergermeister` confirms the draft the Kämmerer drew up
 * (Bürgermeister/in, at a Kreis the Landrat/Landrätin, or their deputy) and `ratsbuero` records
 * the council's decision (the Sitzungsdienst of the Rat or Kreistag). They read what the office
 * reads and do nothing of the clerks' work: neither satisfies `sachbearbeitung`.
 */
export const ROLES = ['sachbearbeitung', 'leitung', 'buergermeister', 'ratsbuero'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  sachbearbeitung: 'Sachbearbeitung',
  leitung: 'Amtsleitung',
  buergermeister: 'Bürgermeister/in bzw. Landrat/Landrätin',
  ratsbuero: 'Rats- bzw. Kreistagsbüro (Sitzungsdienst)',
};

/** Roles that can be granted at some offices only; the others exist at every office. */
export const ROLE_OFFICES: Partial<Record<Role, readonly OfficeType[]>> = {
  buergermeister: ['kaemmerei'],
  ratsbuero: ['kaemmerei'],
};

/** True when the role can be granted at the office (checked when grants are saved). */
export function roleAllowedAt(role: Role, office: OfficeType): boolean {
  const only = ROLE_OFFICES[role];
  return !only || only.includes(office);
}

/** A role at one office of one authority (AGS). Permissions are the union of a user's grants. */
export interface Grant {
  authorityAgs: string;
  officeType: OfficeType;
  role: Role;
}

/** The authenticated person behind a request. */
export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  grants: Grant[];
  /** Manages accounts; reads no cases unless also granted an office role. */
  isAdmin: boolean;
  /** Crisis team: aggregate figures of the region, no personal data. */
  isCrisisTeam: boolean;
}

export interface Scope {
  authorityAgs: string;
  officeType: OfficeType;
}

/** Role hierarchy: leitung may do everything sachbearbeitung may. */
export function roleSatisfies(have: Role, need: Role): boolean {
  return have === need || (have === 'leitung' && need === 'sachbearbeitung');
}

/** True when the principal holds a grant for the scope with at least one of the roles. Deny by default. */
export function hasRole(
  principal: Principal | null | undefined,
  scope: Scope,
  roles: readonly Role[],
): boolean {
  if (!principal) return false;
  return principal.grants.some(
    (g) =>
      g.authorityAgs === scope.authorityAgs &&
      g.officeType === scope.officeType &&
      roles.some((r) => roleSatisfies(g.role, r)),
  );
}

/** May read cases of this office at this authority (any role there). */
export function canRead(principal: Principal | null | undefined, scope: Scope): boolean {
  return hasRole(principal, scope, ROLES);
}

/** The scopes whose cases the principal may see (for list queries). */
export function readableScopes(principal: Principal | null | undefined): Scope[] {
  if (!principal) return [];
  const seen = new Map<string, Scope>();
  for (const g of principal.grants) {
    seen.set(`${g.authorityAgs}/${g.officeType}`, { authorityAgs: g.authorityAgs, officeType: g.officeType });
  }
  return [...seen.values()];
}
