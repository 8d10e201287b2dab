import { addDays, type IsoDate } from '../dates.js';

export const DEADLINE_STATES = ['overdue', 'due_today', 'due_soon', 'on_time', 'none'] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];

export const DEADLINE_STATE_LABELS: Record<DeadlineState, string> = {
  overdue: 'Überfällig',
  due_today: 'Heute fällig',
  due_soon: 'Bald fällig',
  on_time: 'Im Zeitplan',
  none: 'Ohne Frist',
};

/** "Bald fällig": due within this many calendar days after today. */
export const DUE_SOON_DAYS = 3;

export function deadlineState(deadline: IsoDate | null, today: IsoDate): DeadlineState {
  if (!deadline) return 'none';
  if (deadline < today) return 'overdue';
  if (deadline === today) return 'due_today';
  if (deadline <= addDays(today, DUE_SOON_DAYS)) return 'due_soon';
  return 'on_time';
}
