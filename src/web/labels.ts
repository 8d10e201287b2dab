import { ROLE_LABELS, type Role } from '../core/access.js';
import { OFFICE_LABELS, type OfficeType } from '../core/offices.js';

export const DEADLINE_LABELS: Record<string, string> = {
  overdue: 'Überfällig',
  due_today: 'Heute fällig',
  due_soon: 'Bald fällig',
  on_time: 'Im Zeitplan',
  none: 'Ohne Frist',
};

export function officeLabel(office: string): string {
  return OFFICE_LABELS[office as OfficeType] ?? office;
}

export function roleLabel(role: string): string {
  return ROLE_LABELS[role as Role] ?? role;
}

export { OFFICE_LABELS, ROLE_LABELS };
