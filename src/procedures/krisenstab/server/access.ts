import { hasRole, type Principal } from '../../../core/access.js';
import { forbidden } from '../../../core/errors.js';
import { isOfficeType } from '../../../core/offices.js';

/**
 * Who may do what on the board (deny by default, checked on the server for every request):
 * - the crisis team (Principal.isCrisisTeam, set by the administration) reads the board, the
 *   figures, the log and the Lageberichte of the whole region, and edits every catalogue; it
 *   never receives personal data (no route of this family hands it any);
 * - the Amtsleitung of an office edits the catalogue entries of its own office;
 * - anyone with a role at an authority reads that authority's catalogue.
 */
export function requireCrisisTeam(principal: Principal): void {
  if (!principal.isCrisisTeam) throw forbidden('Das Lagebild ist dem Krisenstab vorbehalten.');
}

export function canReadCatalogue(principal: Principal, ags: string): boolean {
  return principal.isCrisisTeam || principal.grants.some((g) => g.authorityAgs === ags);
}

export function canEditService(principal: Principal, ags: string, officeType: string | null): boolean {
  if (principal.isCrisisTeam) return true;
  if (!officeType || !isOfficeType(officeType)) return false;
  return hasRole(principal, { authorityAgs: ags, officeType }, ['leitung']);
}
